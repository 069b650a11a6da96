import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli';

const ROOT = join(__dirname, '..', '..');
const API = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

/**
 * A bad environment variable stops the CLI (exit 2) and the API (exit 2, before it listens)
 * with one line naming the variable and what it must be; nothing is created.
 */
describe('a bad environment variable is refused at start', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ledger-bad-env-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it.each([
    [['verify'], { LEDGER_WRITE_WAIT_MS: '2s' }, 'LEDGER_WRITE_WAIT_MS="2s" must be a whole number of milliseconds, 0 or more'],
    [['keys', 'list'], { API_KEYS_DB: join(cwd, 'k.db'), API_RATE_WINDOW_SECONDS: '0' }, 'API_RATE_WINDOW_SECONDS="0" must be a whole number of seconds, 1 or more'],
    [['report', '--from', '2020-01-01', '--to', '2020-12-31'], { LEDGER_DB: 'mysql://db' }, 'LEDGER_DB="mysql://db" must be sqlite:<file>, postgres://..., kurrentdb://... or esdb://...'],
  ])('ledger %j exits 2 naming the variable', (args, env, said) => {
    const run = runCli(args, `sqlite:${join(cwd, 'ledger.db')}`, env);
    expect([run.status, run.stdout, run.stderr]).toEqual([2, '', `ledger: bad environment: ${said}\n`]);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('the API exits 2 before it listens, with one line', () => {
    const run = spawnSync(process.execPath, [API], {
      cwd,
      env: { ...process.env, LEDGER_DB: `sqlite:${join(cwd, 'ledger.db')}`, PORT: 'http', LOG_LEVEL: 'loud' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'impact ledger API did not start: bad environment: PORT="http" must be a whole number from 0 to 65535; ' +
        'LOG_LEVEL="loud" must be fatal, error, warn, info, debug, trace, silent\n',
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("ledger --version prints package.json's version", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = runCli(['--version'], `sqlite:${join(cwd, 'ledger.db')}`);
    expect([run.status, run.stdout, run.stderr]).toEqual([0, `${version}\n`, '']);
  });
});
