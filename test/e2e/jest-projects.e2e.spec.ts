import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const JEST = require.resolve('jest/bin/jest', { paths: [ROOT] });

/** The specs jest finds for one project, as jest itself decides (jest.config.js), relative to the root. */
function listed(project: string): string[] {
  const run = spawnSync(process.execPath, [JEST, '--listTests', '--json', '--selectProjects', project], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(run.status).toBe(0);
  const paths: unknown = JSON.parse(run.stdout);
  if (!Array.isArray(paths)) throw new Error(`jest --listTests printed ${run.stdout}`);
  return paths.map((p) => relative(ROOT, String(p))).sort();
}

function specsOnDisk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : specsOnDisk(path);
    return entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the jest projects (jest.config.js)', () => {
  let unit: string[];
  let contract: string[];
  let e2e: string[];
  beforeAll(() => {
    unit = listed('unit');
    contract = listed('contract');
    e2e = listed('e2e');
  }, 120_000);

  it('take every spec, each in exactly one project', () => {
    const all = ['libs', 'apps', 'projections', 'test', 'docs'].flatMap(specsOnDisk).sort();
    expect([...unit, ...contract, ...e2e].sort()).toEqual(all);
  });

  it('sort a spec by its path: test/e2e/** and *.e2e.spec.ts; test/contract/** and *.contract.spec.ts; the rest unit', () => {
    const isE2e = (f: string) => f.startsWith('test/e2e/') || f.endsWith('.e2e.spec.ts');
    const isContract = (f: string) => !isE2e(f) && (f.startsWith('test/contract/') || f.endsWith('.contract.spec.ts'));
    expect(e2e.filter((f) => !isE2e(f))).toEqual([]);
    expect(contract.filter((f) => !isContract(f))).toEqual([]);
    expect(unit.filter((f) => isE2e(f) || isContract(f))).toEqual([]);
    expect(e2e).toEqual(expect.arrayContaining(['test/e2e/dashboard.chromium.spec.ts', 'test/e2e/cli-report-explain.spec.ts']));
    expect(contract).toEqual(expect.arrayContaining(['test/contract/postgres-event-store.spec.ts', 'test/contract/sqlite-event-store.spec.ts']));
    expect(unit).toEqual(expect.arrayContaining(['libs/projection-kit/src/period.spec.ts', 'projections/funding/funding.projection.spec.ts']));
  });
});
