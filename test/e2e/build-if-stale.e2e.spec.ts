import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfStale, STAMP, staleReason } from '../../tools/build';

const ROOT = join(__dirname, '..', '..');

/**
 * tools/build.js with the real tsc, on a small project laid out like this one: it compiles when
 * dist/ is not current, and only then (what `npm run ledger` and `npm test` rely on to skip tsc).
 */
describe('tools/build.js compiles only when dist/ is not current', () => {
  let root: string;
  const source = (code: string, at: Date) => {
    writeFileSync(join(root, 'src', 'a.ts'), code);
    utimesSync(join(root, 'src', 'a.ts'), at, at);
  };
  const output = () => join(root, 'dist', 'src', 'a.js');

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-build-e2e-'));
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    mkdirSync(join(root, 'src'));
    writeFileSync(
      join(root, 'tsconfig.json'),
      JSON.stringify({
        // ES2022 without the DOM and no @types: a compilation of a second or so.
        compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', lib: ['ES2022'], types: [], outDir: 'dist', rootDir: '.', incremental: true, tsBuildInfoFile: 'dist/.tsbuildinfo' },
        include: ['src'],
      }),
    );
    writeFileSync(join(root, 'package.json'), '{}');
    source('export const answer: number = 41;\n', new Date(Date.now() - 60_000));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('compiles the first time, then finds dist/ current and does not start tsc', () => {
    expect(buildIfStale(root)).toBe(true);
    expect(readFileSync(output(), 'utf8')).toContain('exports.answer = 41');
    const emitted = statSync(output()).mtimeMs;
    expect(staleReason(root)).toBeUndefined();
    expect(buildIfStale(root)).toBe(false);
    expect(statSync(output()).mtimeMs).toBe(emitted);
  }, 60_000);

  it('compiles again after a source changed', () => {
    source('export const answer: number = 42;\n', new Date());
    expect(buildIfStale(root)).toBe(true);
    expect(readFileSync(output(), 'utf8')).toContain('exports.answer = 42');
  }, 60_000);

  it('emits again an output removed from dist/, which incremental tsc alone would not', () => {
    rmSync(output());
    expect(staleReason(root)).toBe('dist/src/a.js is missing');
    expect(buildIfStale(root)).toBe(true);
    expect(existsSync(output())).toBe(true);
  }, 60_000);

  it('fails on a type error and records no build, so that the next call type checks again', () => {
    source('export const answer: number = "forty-two";\n', new Date());
    expect(() => buildIfStale(root)).toThrow();
    expect(existsSync(join(root, STAMP))).toBe(false);
    expect(staleReason(root)).toBe('no successful build recorded yet');
  }, 60_000);
});
