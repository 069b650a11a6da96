import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const JEST = require.resolve('jest/bin/jest', { paths: [ROOT] });
const NO_POSTGRES = 'postgres://postgres@127.0.0.1:1/test';
const NO_CHROMIUM = '/nonexistent/chromium';

/** The fixture in a jest of its own, as an e2e spec, where neither PostgreSQL nor Chromium can be had. */
function runFixture(ci: string) {
  const config = {
    rootDir: ROOT,
    testEnvironment: 'node',
    roots: ['<rootDir>/test/e2e/fixtures'],
    testMatch: ['**/needs-services.fixture.ts'],
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
    globals: { LEDGER_TEST_PROJECT: 'e2e' },
  };
  const run = spawnSync(process.execPath, [JEST, '--config', JSON.stringify(config), '--ci', '--colors=false'], {
    cwd: ROOT,
    env: { ...process.env, CI: ci, LEDGER_TEST_POSTGRES_URL: NO_POSTGRES, CHROMIUM_PATH: NO_CHROMIUM, FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('a missing PostgreSQL or Chromium', () => {
  it('fails the run under CI=true, saying what is missing; the tests that need neither still run', () => {
    const { status, output } = runFixture('true');
    expect(output).toContain(`Fixture PostgreSQL tests FAILED: no PostgreSQL server at ${NO_POSTGRES}.`);
    expect(output).toContain(`Fixture browser tests FAILED: ${NO_CHROMIUM} is missing (apt-get install chromium, or set CHROMIUM_PATH).`);
    expect(output).toMatch(/Tests:\s+2 failed, 1 passed, 3 total/);
    expect(status).toBe(1);
  }, 120_000);

  it('is skipped with its notice outside CI, and the run passes', () => {
    const { status, output } = runFixture('false');
    expect(output).toContain(`Fixture PostgreSQL tests SKIPPED: no PostgreSQL server at ${NO_POSTGRES}.`);
    expect(output).toContain(`Fixture browser tests SKIPPED: ${NO_CHROMIUM} is missing`);
    expect(output).toMatch(/Tests:\s+2 skipped, 1 passed, 3 total/);
    expect(status).toBe(0);
  }, 120_000);
});
