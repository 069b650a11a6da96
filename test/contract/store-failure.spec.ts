import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { IdempotencyConflictError } from '@ledger/store';
import { StoreBusyError, storeFailureOf, StoreUnavailableError, writeWaitMs } from '@ledger/store';
import { describeWithPostgres, POSTGRES_URL, withPostgres } from '../support/postgres';

/** Real errors of the drivers, classified as the API answers them. */
describe('storeFailureOf', () => {
  it('SQLite: a full database, a read-only one, a busy lock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-failure-'));
    const db = new Database(join(dir, 'a.db'));
    const other = new Database(join(dir, 'a.db'));
    try {
      db.exec('CREATE TABLE t (x TEXT)');
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      const full = catching(() => db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(100_000)));
      expect(storeFailureOf(full)).toMatchObject({ kind: 'disk-full', code: 'SQLITE_FULL', retryAfterSeconds: 60 });
      db.pragma('query_only = 1');
      expect(storeFailureOf(catching(() => db.exec('DELETE FROM t')))).toMatchObject({ kind: 'read-only' });
      db.pragma('query_only = 0');
      other.pragma('busy_timeout = 0');
      db.exec('BEGIN IMMEDIATE');
      expect(storeFailureOf(catching(() => other.exec('BEGIN IMMEDIATE')))).toMatchObject({ kind: 'busy', retryAfterSeconds: 5 });
      db.exec('ROLLBACK');
    } finally {
      db.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the ledger's own: a lock waited for past the bound, no connection; and through a cause", () => {
    expect(storeFailureOf(new StoreBusyError(400))).toMatchObject({ kind: 'busy', message: expect.stringContaining('LEDGER_WRITE_WAIT_MS') });
    expect(storeFailureOf(new StoreUnavailableError('x'))).toMatchObject({ kind: 'unavailable' });
    expect(storeFailureOf(new Error('wrapped', { cause: new StoreBusyError(1) }))).toMatchObject({ kind: 'busy' });
  });

  it('not a store failure: bad input, a conflict, a bug', () => {
    expect(storeFailureOf(new IdempotencyConflictError('e'))).toBeUndefined();
    expect(storeFailureOf(new TypeError('x is undefined'))).toBeUndefined();
    expect(storeFailureOf(Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 }))).toBeUndefined();
    expect(storeFailureOf(catching(() => new Database(':memory:').exec('SELECT * FROM nowhere')))).toBeUndefined();
  });

  it('a connection refused (nothing listens)', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'test', connectionTimeoutMillis: 2000 });
    const refused = await client.connect().then(() => undefined, (error: unknown) => error);
    expect(storeFailureOf(refused)).toMatchObject({ kind: 'unavailable', code: 'ECONNREFUSED' });
  });

  it('LEDGER_WRITE_WAIT_MS: milliseconds, 30 s by default, refused when not a whole number', () => {
    expect(writeWaitMs({})).toBe(30_000);
    expect(writeWaitMs({ LEDGER_WRITE_WAIT_MS: '250' })).toBe(250);
    expect(() => writeWaitMs({ LEDGER_WRITE_WAIT_MS: '2s' })).toThrow(/LEDGER_WRITE_WAIT_MS="2s"/);
  });
});

describeWithPostgres('storeFailureOf on PostgreSQL errors')('storeFailureOf on PostgreSQL errors', () => {
  it('disk full, a read-only transaction, a lock timeout, a terminated connection', async () => {
    await withPostgres(async (admin) => {
      const raised = (code: string) => admin.query(`DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '${code}'; END $$`).then(() => undefined, (e: unknown) => e);
      expect(storeFailureOf(await raised('53100'))).toMatchObject({ kind: 'disk-full', code: '53100' });
      await admin.query('BEGIN READ ONLY');
      const readOnly = await admin.query('CREATE TEMP TABLE t (x int)').then(() => undefined, (e: unknown) => e);
      await admin.query('ROLLBACK');
      expect(storeFailureOf(readOnly)).toMatchObject({ kind: 'read-only', code: '25006' });
      expect(storeFailureOf(await raised('55P03'))).toMatchObject({ kind: 'busy' });
    });
    const victim = new Client({ connectionString: POSTGRES_URL });
    await victim.connect();
    victim.on('error', () => undefined);
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const pending = victim.query('SELECT pg_sleep(5)').then(() => undefined, (e: unknown) => e);
    await withPostgres((admin) => admin.query('SELECT pg_terminate_backend($1)', [pid]));
    expect(storeFailureOf(await pending)).toMatchObject({ kind: 'unavailable' });
    await victim.end().catch(() => undefined);
  });
});

function catching(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}
