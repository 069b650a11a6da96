import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../apps/api/src/create-app';
import { LedgerNotFoundError } from '@ledger/store';
import { describeWithPostgres, POSTGRES_URL, withPostgres } from '../support/postgres';
import { CLI } from '../support/run-cli';

const API = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');
const YEAR = ['--from', '2020-01-01', '--to', '2020-12-31'];
const CREATES = /`ledger import <file\.ndjson>`, `ledger load-history <file>` or `ledger demo`/;

/** The environment of a fresh shell: none of the ledger's variables but those given. */
function envWith(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['LEDGER_DB', 'READ_MODELS_DB', 'API_KEYS_DB', 'API_AUDIT_LOG']) delete env[name];
  return { ...env, ...vars };
}

/** A command of the compiled CLI, run in `cwd` (where ./data would be made). */
function ledger(args: readonly string[], cwd: string, vars: Record<string, string>) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, env: envWith(vars), encoding: 'utf8', timeout: 60_000 });
}

/** Every file and folder under a folder. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/** The commands that read a ledger: none of them may make one. */
const READING = [
  ['report', ...YEAR],
  ['explain', 'impact.positive-progressions', ...YEAR],
  ['verify'],
  ['audit', ...YEAR],
  ['proof', '0f8fad5b-d9cb-469f-a165-70867728950e'],
  ['publish', ...YEAR],
  ['rebuild'],
];

describe('a ledger that does not exist is refused by every command that reads one, and by the API', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'ledger-missing-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it.each(READING)('ledger %s: exit 2, names the path and the commands that create a ledger, creates nothing', (...args) => {
    const missing = join(cwd, 'nonexistent', 'dir', 'typo.db');
    const run = ledger(args, cwd, { LEDGER_DB: `sqlite:${missing}` });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`ledger: no ledger at sqlite:${missing}: the file does not exist. Nothing was created.`);
    expect(run.stderr).toMatch(CREATES);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(tree(cwd)).toEqual([]); // no ledger, no folder, no ./data, no read models, no audit or proof file
  });

  it('refuses the default ledger (./data/ledger.db) when there is none, without making ./data', () => {
    const run = ledger(['report', ...YEAR], cwd, {});
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no ledger at sqlite:\.\/data\/ledger\.db: the file does not exist/);
    expect(tree(cwd)).toEqual([]);
  });

  it('refuses a path under a folder at the root that does not exist, as /nonexistent/dir/, and makes no folder there', () => {
    const root = `/nonexistent-${randomBytes(5).toString('hex')}`; // a name of its own: the machine is shared
    const run = ledger(['verify'], cwd, { LEDGER_DB: `sqlite:${root}/dir/typo.db` });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`no ledger at sqlite:${root}/dir/typo.db: the file does not exist`);
    expect(existsSync(root)).toBe(false);
  });

  it('lets import create the ledger, after which reading commands read it', () => {
    const file = join(cwd, 'ledger.db');
    const verify = () => ledger(['verify'], cwd, { LEDGER_DB: `sqlite:${file}`, READ_MODELS_DB: join(cwd, 'read-models.db') });
    expect(verify().status).toBe(2);
    const events = join(__dirname, '..', '..', 'examples', 'first-events.ndjson');
    const imported = ledger(['import', events], cwd, { LEDGER_DB: `sqlite:${file}` });
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(verify().status).toBe(0);
  });

  it('the API refuses to start on it: createApp throws and no file is made (keys, request log, read models)', async () => {
    const missing = join(cwd, 'nonexistent', 'ledger.db');
    const starting = createApp({
      ledgerDb: `sqlite:${missing}`,
      readModelsDb: join(cwd, 'read-models.db'),
      apiKeysDb: join(cwd, 'api-keys.db'),
      requestLog: join(cwd, 'requests.log'),
    });
    await expect(starting).rejects.toBeInstanceOf(LedgerNotFoundError);
    await expect(starting).rejects.toThrow(CREATES);
    expect(tree(cwd)).toEqual([]);
  });

  it('the API process exits 2 with one line naming the ledger, and makes no ./data', () => {
    const run = spawnSync(process.execPath, [API], {
      cwd,
      env: envWith({ PORT: '0', LEDGER_DB: `sqlite:${join(cwd, 'typo.db')}` }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^impact ledger API did not start: no ledger at sqlite:${join(cwd, 'typo.db')}: the file does not exist\\. .*ledger import`));
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(tree(cwd)).toEqual([]);
  });
});

describeWithPostgres('a PostgreSQL ledger whose tables do not exist')('a PostgreSQL ledger whose tables do not exist', () => {
  const database = `ledger_missing_${randomBytes(5).toString('hex')}`;
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  let cwd: string;

  beforeAll(async () => {
    await withPostgres((c) => c.query(`CREATE DATABASE "${database}"`));
  });
  afterAll(async () => {
    await withPostgres((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  });
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'ledger-missing-pg-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  const tables = async (): Promise<string[]> => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return (await client.query<{ t: string }>("SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")).rows.map((r) => r.t);
    } finally {
      await client.end();
    }
  };

  it.each([['report', ...YEAR], ['verify'], ['audit', ...YEAR]])('ledger %s: exit 2, names the database and schema, creates no table', async (...args) => {
    const run = ledger(args, cwd, { LEDGER_DB: url.toString() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`ledger: no ledger at PostgreSQL database ${database}, schema public: the schema has no events table. Nothing was created.`);
    expect(run.stderr).toMatch(CREATES);
    expect(await tables()).toEqual([]);
    expect(tree(cwd)).toEqual([]);
  });

  it('import creates its tables', async () => {
    const events = join(__dirname, '..', '..', 'examples', 'first-events.ndjson');
    const run = ledger(['import', events], cwd, { LEDGER_DB: url.toString() });
    expect(run.status).toBe(0);
    expect((await tables()).sort()).toEqual(['public.events', 'public.ledger_meta', 'public.log_head']);
    expect(ledger(['verify'], cwd, { LEDGER_DB: url.toString() }).status).toBe(0);
  });
});
