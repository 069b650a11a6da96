import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { syntheticEvents, toNdjson } from '../../bench/synthetic-events';
import { describeWithPostgres, POSTGRES_URL, withPostgres } from '../support/postgres';
import { exitOf, runCli, spawnCli, waitFor } from '../support/run-cli';

/** What must not change when an import is interrupted: the verified log (count and Merkle root). */
function verified(ledgerDb: string): string {
  const run = runCli(['verify'], ledgerDb);
  expect(run.status).toBe(0);
  return run.stdout.trim();
}

/**
 * Starts `ledger import <file>`, waits until the import holds the store's write lock (its
 * transaction is open: the import is under way, not finished), sends `signal`, and returns
 * how the process ended and how long after the signal.
 */
async function interruptImport(ledgerDb: string, file: string, signal: NodeJS.Signals, writing: () => Promise<boolean>) {
  const child = spawnCli(['import', file], ledgerDb);
  let ended = false;
  const exit = exitOf(child).finally(() => (ended = true));
  await waitFor('the import to hold the write lock', writing, { stopped: () => ended });
  const sent = Date.now();
  child.kill(signal);
  // Ctrl-C under `npm run` comes twice (from the terminal, and forwarded by npm): the same interrupt.
  if (signal === 'SIGINT') setTimeout(() => child.kill(signal), 20);
  const result = await exit;
  return { ...result, afterSignalMs: Date.now() - sent };
}

function expectRolledBack(run: Awaited<ReturnType<typeof interruptImport>>, file: string, signal: string): void {
  expect(run.signal).toBeNull(); // it exited by itself, not killed by the signal
  expect(run.status).toBe(130);
  expect(run.stderr).toContain(`${file}: interrupted by ${signal}: the import was rolled back, nothing was stored`);
  expect(run.stdout).toBe('');
}

describe('ledger import interrupted by SIGINT or SIGTERM (the compiled CLI on a real SQLite file)', () => {
  let dir: string;
  let db: string;
  let ledgerDb: string;
  let big: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-interrupt-'));
    db = join(dir, 'ledger.db');
    ledgerDb = `sqlite:${db}`;
    const base = join(dir, 'base.ndjson');
    writeFileSync(base, toNdjson(syntheticEvents(100, 6)));
    expect(runCli(['import', base], ledgerDb).status).toBe(0);
    big = join(dir, 'big.ndjson');
    writeFileSync(big, toNdjson(syntheticEvents(60_000, 7)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** True while another connection holds the write lock: BEGIN IMMEDIATE cannot start. */
  const writing = async (): Promise<boolean> => {
    const probe = new Database(db, { fileMustExist: true });
    try {
      probe.pragma('busy_timeout = 0');
      probe.exec('BEGIN IMMEDIATE');
      probe.exec('ROLLBACK');
      return false;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
      throw error;
    } finally {
      probe.close();
    }
  };

  it.each(['SIGINT', 'SIGTERM'] as const)('%s during the write rolls it back, says nothing was stored, and exits 130', async (signal) => {
    const before = verified(ledgerDb);
    expect(before).toMatch(/^verified 100 events/);
    const run = await interruptImport(ledgerDb, big, signal, writing);
    expectRolledBack(run, big, signal);
    // A slice of rows at most is written after the signal is heard, then rolled back.
    expect(run.afterSignalMs).toBeLessThan(15_000);
    expect(verified(ledgerDb)).toBe(before);
    // The file was left clean: the next import takes it whole.
    expect(runCli(['import', join(dir, 'base.ndjson')], ledgerDb).stdout).toMatch(/0 appended, 100 already present/);
  }, 180_000);
});

describeWithPostgres('ledger import interrupted (LEDGER_DB=postgres://...)')('ledger import interrupted by SIGINT or SIGTERM (the compiled CLI on PostgreSQL)', () => {
  // The CLI uses the `public` schema of the database LEDGER_DB names: each run gets a database of its own.
  const database = `ledger_interrupt_${randomBytes(5).toString('hex')}`;
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  const ledgerDb = url.toString();
  let dir: string;
  let big: string;
  beforeAll(async () => {
    await withPostgres((client) => client.query(`CREATE DATABASE "${database}"`));
    dir = mkdtempSync(join(tmpdir(), 'ledger-interrupt-pg-'));
    const base = join(dir, 'base.ndjson');
    writeFileSync(base, toNdjson(syntheticEvents(100, 6)));
    expect(runCli(['import', base], ledgerDb).status).toBe(0);
    big = join(dir, 'big.ndjson');
    writeFileSync(big, toNdjson(syntheticEvents(60_000, 7)));
  }, 60_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await withPostgres((client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  });

  /** True while a writer holds the head row, the adapter's write lock. */
  const writing = async (): Promise<boolean> => {
    const client = new Client({ connectionString: ledgerDb });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM public.log_head FOR UPDATE NOWAIT');
      return false;
    } catch (error) {
      if ((error as { code?: string }).code === '55P03') return true; // lock_not_available
      throw error;
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  };

  it.each(['SIGINT', 'SIGTERM'] as const)('%s during the write rolls it back, says nothing was stored, and exits 130', async (signal) => {
    const before = verified(ledgerDb);
    expect(before).toMatch(/^verified 100 events/);
    const run = await interruptImport(ledgerDb, big, signal, writing);
    expectRolledBack(run, big, signal);
    expect(run.afterSignalMs).toBeLessThan(15_000);
    expect(verified(ledgerDb)).toBe(before);
    const client = new Client({ connectionString: ledgerDb });
    await client.connect();
    try {
      const head = await client.query<{ position: string }>('SELECT position FROM public.log_head');
      expect(head.rows[0]?.position).toBe('100');
    } finally {
      await client.end();
    }
  }, 180_000);
});
