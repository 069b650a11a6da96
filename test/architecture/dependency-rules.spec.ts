import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The module boundaries of .dependency-cruiser.js, checked by dependency-cruiser itself (it
 * resolves the @ledger/* aliases through tsconfig.json, and follows re-exports, dynamic imports
 * and requires, which a regex over `from '...'` missed). Clock and id reads in the domain are
 * eslint's (eslint.config.js), also run by `npm test`.
 */
const root = join(__dirname, '..', '..');
// Its package exports nothing to require.resolve: the bin is run by path.
const DEPCRUISE = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
  readonly cycle?: ReadonlyArray<{ readonly name: string }>;
}

/** dependency-cruiser's violations over `paths` of the tree at `cwd`, with this repository's rules. */
function violationsIn(cwd: string, paths: readonly string[]): Violation[] {
  let output: string;
  try {
    output = execFileSync(process.execPath, [DEPCRUISE, '--config', join(root, '.dependency-cruiser.js'), '--output-type', 'json', ...paths], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    // It exits non-zero when it finds violations; its JSON is still on stdout.
    const stdout = (error as { stdout?: unknown }).stdout;
    if (typeof stdout !== 'string' || stdout === '') throw error;
    output = stdout;
  }
  const result = JSON.parse(output) as { summary: { violations: Violation[] } };
  return result.summary.violations;
}

const describeViolation = (v: Violation): string => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`;

describe('module boundaries (dependency-cruiser)', () => {
  it('holds for the whole repository', () => {
    const violations = violationsIn(root, ['apps', 'libs', 'projections', 'docs', 'bench', 'test']);
    expect(violations.map(describeViolation)).toEqual([]);
  }, 120_000);

  describe('in a tree that breaks each rule once', () => {
    let dir: string;
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ledger-depcruise-'));
      copyFileSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
      write('libs/events/src/index.ts', "export * from './catalog';\n");
      write('libs/events/src/catalog.ts', "import { Injectable } from '@nestjs/common';\nexport const NEST = Injectable;\n");
      write('libs/store/src/index.ts', "export * from './sqlite-store';\n");
      write('libs/store/src/sqlite-store.ts', "import '@ledger/events';\nexport const STORE = 1;\n");
      write('libs/projection-kit/src/index.ts', "export const KIT = 1;\n");
      write('projections/index.ts', "export * from './counts/counts.projection';\n");
      write('projections/counts/counts.projection.ts', "import { STORE } from '@ledger/store';\nimport { KIT } from '@ledger/projection-kit';\nexport const COUNTS = STORE + KIT;\n");
      write('libs/audit/src/index.ts', "export * from './a';\n");
      write('libs/audit/src/a.ts', "import { B } from './b';\nimport { STORE } from '../../store/src/sqlite-store';\nexport const A = () => B + STORE;\n");
      write('libs/audit/src/b.ts', "import { A } from './a';\nexport const B = 1;\nexport const C = () => A;\n");
      write('libs/ingest/src/index.ts', "import '../../../apps/cli/src/main';\nexport const INGEST = 1;\n");
      write('apps/cli/src/main.ts', 'export const MAIN = 1;\n');
      write('libs/application/src/index.ts', "export * from './report/report.handler';\n");
      write('libs/application/src/report/report.handler.ts', "import { Command } from 'commander';\nexport const REPORT = new Command('report');\n");
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reports every broken rule, by name', () => {
      const found = violationsIn(dir, ['apps', 'libs', 'projections']).map(describeViolation);
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^domain-without-framework: libs\/events\/src\/catalog.ts → (.*\/)?node_modules\/@nestjs\/common\/index.js$/),
          'projections-use-the-kit: projections/counts/counts.projection.ts → libs/store/src/index.ts',
          'domain-inward-only: projections/counts/counts.projection.ts → libs/store/src/index.ts',
          expect.stringMatching(/^no-circular: libs\/audit\/src\/(a|b)\.ts → libs\/audit\/src\/(b|a)\.ts/),
          'entry-points-only: libs/audit/src/a.ts → libs/store/src/sqlite-store.ts',
          'libs-never-import-apps: libs/ingest/src/index.ts → apps/cli/src/main.ts',
          expect.stringMatching(/^use-cases-outside-the-shells: libs\/application\/src\/report\/report.handler.ts → (.*\/)?node_modules\/commander\//),
        ]),
      );
    }, 60_000);
  });
});
