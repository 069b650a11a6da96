import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { ServiceVerdict } from './required-service';
import { describeFor, serviceVerdict } from './required-service';
import { requireProject } from './test-project';

export const POSTGRES_URL = process.env.LEDGER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the server answers, decided synchronously (jest collects `describe` blocks
 * synchronously): a child node process connects and runs `SELECT 1`.
 */
export function postgresReachable(url: string = POSTGRES_URL): boolean {
  const probe =
    "const { Client } = require('pg');" +
    'const c = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 3000 });' +
    "c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(() => process.exit(0), () => process.exit(1));";
  try {
    execFileSync(process.execPath, ['-e', probe], { cwd: __dirname, env: { ...process.env, PROBE_URL: url }, stdio: 'ignore', timeout: 10000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe` when PostgreSQL answers; otherwise a skip with a notice saying what was skipped and
 * why, or under CI a failure (test/support/required-service.ts).
 */
export function describeWithPostgres(what: string): jest.Describe {
  requireProject(['contract', 'e2e'], 'PostgreSQL');
  return describeFor(postgresVerdict(what));
}

/** Run, skip or fail the tests that need PostgreSQL at `url` (see describeWithPostgres). */
export function postgresVerdict(what: string, url: string = POSTGRES_URL, env: NodeJS.ProcessEnv = process.env): ServiceVerdict {
  const missing = postgresReachable(url)
    ? undefined
    : `no PostgreSQL server at ${url}.\n` +
      'Start one (e.g. `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`) or point LEDGER_TEST_POSTGRES_URL at one';
  return serviceVerdict('PostgreSQL', what, missing, env);
}

export function freshSchema(): string {
  return `ledger_test_${randomBytes(6).toString('hex')}`;
}

export async function withPostgres<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await withPostgres((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}
