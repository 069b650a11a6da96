import type Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreBusyError } from '../store-failure';

/** How long a statement other than taking the write lock may wait for a lock (WAL readers, rarely). */
export const BUSY_TIMEOUT_MS = 10_000;

/** The longest pause between two tries for the lock: a released lock is taken within this. */
const MAX_PAUSE_MS = 50;

/**
 * SQLite's write lock (`BEGIN IMMEDIATE`), waited for without blocking the process.
 *
 * better-sqlite3 is synchronous: SQLite's own busy_timeout waits inside the call, and so
 * holds Node's event loop for as long as another process (an import) holds the lock. No
 * request is read or answered meanwhile, and keep-alive sockets the server has timed out
 * by the time it wakes are reset under clients that had reused them (ECONNRESET). Here the
 * lock is tried without waiting (busy_timeout 0 for that one statement) and tried again
 * after a pause, on a timer, until `waitMs` have passed: then `StoreBusyError`, which the
 * API answers 503 with a Retry-After.
 */
export class SqliteWriteLock {
  private readonly noWait: Database.Statement;
  private readonly wait: Database.Statement;
  private readonly begin: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    readonly waitMs: number,
  ) {
    this.noWait = db.prepare('PRAGMA busy_timeout = 0');
    this.wait = db.prepare(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.begin = db.prepare('BEGIN IMMEDIATE');
  }

  /**
   * Opens a write transaction and runs `work` in it, in the same turn of the event loop as
   * the BEGIN: nothing else of this process can use the connection in between. `work` ends
   * the transaction, or leaves it open for a caller that keeps others out meanwhile.
   * `idle` resolves when this connection is free to use (no other transaction of this
   * process open on it); it is awaited before each try.
   */
  async take<T>(work: () => T, idle: () => Promise<void> = async () => undefined): Promise<T> {
    const started = performance.now();
    for (let pause = 1; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      await idle();
      if (this.tryTake()) return work();
      const waited = performance.now() - started;
      if (waited >= this.waitMs) throw new StoreBusyError(this.waitMs);
      await sleep(Math.min(pause, this.waitMs - waited));
    }
  }

  private tryTake(): boolean {
    this.noWait.get();
    try {
      this.begin.run();
      return true;
    } catch (error) {
      if (typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('SQLITE_BUSY')) return false;
      throw error;
    } finally {
      this.wait.get();
    }
  }
}
