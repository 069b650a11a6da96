import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputsOf, STAMP, staleReason } from '../../tools/build';

/**
 * When `npm run ledger`, `npm test` and the e2e globalSetup may skip tsc: a real folder laid out
 * like the repository, its dates set explicitly.
 */
describe('tools/build.js: is dist/ current?', () => {
  let root: string;
  const T0 = new Date('2025-01-01T00:00:00Z');
  const built = new Date('2025-01-02T00:00:00Z');
  const later = new Date('2025-01-03T00:00:00Z');

  const write = (path: string, content = '', at = T0) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
    utimesSync(join(root, path), at, at);
  };
  /** What a successful compilation leaves: the outputs, and the stamp listing its inputs. */
  const compiled = () => {
    for (const file of inputsOf(root).filter((f) => f.endsWith('.ts'))) write(join('dist', file.replace(/\.ts$/, '.js')), '', built);
    write(STAMP, inputsOf(root).join('\n') + '\n', built);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-build-'));
    write('tsconfig.json', JSON.stringify({ include: ['libs', 'test'] }));
    write('package.json', '{}');
    write('package-lock.json', '{}');
    write('libs/a/src/a.ts', 'export const a = 1;');
    write('libs/a/src/a.spec.ts', '');
    write('libs/a/src/data.json', '{}');
    write('libs/a/src/README.md', 'not an input');
    write('test/support/x.ts', '');
    write('bench/run.ts', 'outside include');
    write('libs/node_modules/dep/index.ts', 'never an input');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("takes as inputs the .ts and .json files under tsconfig.json's include, tsconfig.json and package-lock.json", () => {
    expect(inputsOf(root)).toEqual(['libs/a/src/a.spec.ts', 'libs/a/src/a.ts', 'libs/a/src/data.json', 'package-lock.json', 'test/support/x.ts', 'tsconfig.json']);
  });

  it('is stale before any successful build', () => {
    expect(staleReason(root)).toBe('no successful build recorded yet');
  });

  it('is current after one, until an input changes', () => {
    compiled();
    expect(staleReason(root)).toBeUndefined();
    write('libs/a/src/README.md', 'edited', later);
    expect(staleReason(root)).toBeUndefined();
    write('test/support/x.ts', 'edited', later);
    expect(staleReason(root)).toBe('test/support/x.ts changed');
  });

  it('is stale when the installed dependencies changed, not for a script in package.json', () => {
    compiled();
    write('package.json', '{"scripts":{}}', later);
    expect(staleReason(root)).toBeUndefined();
    write('package-lock.json', '{"packages":{}}', later);
    expect(staleReason(root)).toBe('package-lock.json changed');
  });

  it('is stale when tsconfig.json changed', () => {
    compiled();
    write('tsconfig.json', JSON.stringify({ include: ['libs', 'test'], compilerOptions: { strict: true } }), later);
    expect(staleReason(root)).toBe('tsconfig.json changed');
  });

  it('is stale when a source was added or removed, whatever its date', () => {
    compiled();
    write('libs/a/src/b.ts', '', T0);
    expect(staleReason(root)).toBe('added: libs/a/src/b.ts');
    rmSync(join(root, 'libs/a/src/b.ts'));
    rmSync(join(root, 'libs/a/src/a.spec.ts'));
    expect(staleReason(root)).toBe('removed: libs/a/src/a.spec.ts');
  });

  it('is stale when an output is missing', () => {
    compiled();
    rmSync(join(root, 'dist/libs/a/src/a.js'));
    expect(staleReason(root)).toBe('dist/libs/a/src/a.js is missing');
  });

  it('refuses a tsconfig.json it cannot read as JSON, saying so', () => {
    write('tsconfig.json', '{ // a comment\n "include": ["libs"] }');
    expect(() => inputsOf(root)).toThrow(/tools\/build\.js reads tsconfig\.json as plain JSON \(no comments\)/);
  });
});
