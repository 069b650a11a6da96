import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openCreatingPrivately } from '@ledger/files';
import type { AppendContext } from '../append-plan';
import { planAppend } from '../append-plan';
import type { AppendedEvent, AppendRequest, Clock, CreateOption, EventStore, LogIdentity, ReadAllOptions } from '../event-store.port';
import { LedgerNotFoundError, readyOrAborted, recordsOf, systemClock } from '../event-store.port';
import type { LogHead, LogRecord } from '../log-record';
import { EMPTY_HEAD } from '../log-record';
import { writeWaitMs } from '../store-failure';
import { BUSY_TIMEOUT_MS, SqliteWriteLock } from './write-lock';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position        INTEGER PRIMARY KEY,  -- the rowid: the log order, appended in order
  event_id        TEXT    NOT NULL UNIQUE,
  stream_id       TEXT    NOT NULL,
  stream_revision INTEGER NOT NULL,
  type            TEXT    NOT NULL,
  learner_id      TEXT,
  occurred_at     TEXT    NOT NULL,
  recorded_at     TEXT    NOT NULL,
  data            TEXT    NOT NULL,
  hash            BLOB    NOT NULL,
  chain           BLOB    NOT NULL,
  UNIQUE (stream_id, stream_revision)
);
CREATE TABLE IF NOT EXISTS ledger_meta (
  key   TEXT PRIMARY KEY,  -- 'log_id': the log's identity, made when the log is created
  value TEXT NOT NULL
);
`;

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  stream_revision: number;
  type: string;
  learner_id: string | null;
  occurred_at: string;
  recorded_at: string;
  data: string;
  hash: Buffer;
  chain: Buffer;
}

/**
 * A page row as an array, in COLUMNS order (raw mode: better-sqlite3 builds no object per
 * row, which halves the cost of a read of the whole log); a lean row stops before `hash`.
 */
type PageRow = [number, string, string, number, string, string | null, string, string, string, Buffer?, Buffer?];

const COLUMNS = 'position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, hash, chain';
/** The columns a reader that needs no hashes gets (projections): the two BLOBs are not even read. */
const LEAN_COLUMNS = 'position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data';

/** Events written between two turns of the event loop in a long append (about 0.1-0.3 s of work). */
const WRITE_SLICE = 5000;

export interface SqliteEventStoreOptions extends CreateOption {
  readonly clock?: Clock;
  /** `FULL` (the default) makes every acknowledged commit durable. */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another writer's lock before giving up (default LEDGER_WRITE_WAIT_MS, then 30 s). */
  readonly writeWaitMs?: number;
}

/**
 * The embedded default. One writer at a time (SQLite's own lock, taken with BEGIN
 * IMMEDIATE), so positions are assigned in commit order and a reader never sees a gap.
 * WAL lets readers (projections, the API) run beside the writer.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly statements;
  private readonly appendOne: Database.Transaction<(request: AppendRequest) => AppendedEvent[]>;
  /** Set while an append waits, uncommitted, for its `ready`: nothing else may use the connection then. */
  private openSpeculation: Promise<void> | undefined;
  private readonly pages = new Map<string, Database.Statement<unknown[], PageRow>>();
  private readonly logId: string;
  private readonly writeLock: SqliteWriteLock;

  constructor(readonly file: string, options: SqliteEventStoreOptions = {}) {
    const create = options.create !== false || file === ':memory:';
    if (!create && !existsSync(file)) throw new LedgerNotFoundError(`sqlite:${file}`, 'the file does not exist');
    if (create && file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = openCreatingPrivately(file, () => new Database(file, { fileMustExist: !create }));
    if (!create && !holdsLedger(this.db)) {
      this.db.close();
      throw new LedgerNotFoundError(`sqlite:${file}`, 'the file holds no ledger (no events table)');
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // A large page cache keeps a big import's scattered event-id index pages in memory until commit.
    this.db.pragma('cache_size = -262144');
    this.db.exec(SCHEMA);
    this.logId = logIdOf(this.db);
    this.clock = options.clock ?? systemClock;
    this.statements = {
      head: this.db.prepare<[], { position: number; recorded_at: string; chain: Buffer }>(
        'SELECT position, recorded_at, chain FROM events ORDER BY position DESC LIMIT 1',
      ),
      byEventId: this.db.prepare<[string], EventRow>(`SELECT ${COLUMNS} FROM events WHERE event_id = ?`),
      streamRevision: this.db.prepare<[string], { revision: number | null }>(
        'SELECT MAX(stream_revision) AS revision FROM events WHERE stream_id = ?',
      ),
      readStream: this.db.prepare<[string], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? ORDER BY stream_revision`,
      ),
      insert: this.db.prepare(
        `INSERT INTO events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
      ),
    };
    // Nested better-sqlite3 transactions become savepoints: that is what makes appendGroup's
    // units atomic one by one inside a single durable commit.
    this.appendOne = this.db.transaction((request: AppendRequest) => this.appendInTransaction(request));
    this.writeLock = new SqliteWriteLock(this.db, options.writeWaitMs ?? writeWaitMs());
  }

  async append(request: AppendRequest): Promise<AppendedEvent[]> {
    if (!request.ready && !request.signal) return this.writeLock.take(() => this.commit(() => this.appendOne(request)), () => this.idle());
    await this.idle();
    request.signal?.throwIfAborted();
    // Written now, committed once the caller's checks pass and unless it is cancelled: the
    // transaction stays open across awaits, so every other use of this connection waits for it
    // (openSpeculation).
    let release = (): void => undefined;
    this.openSpeculation = new Promise<void>((resolve) => (release = resolve));
    try {
      const outcomes = await this.writeLock.take(() => this.appendInSlices(request));
      await readyOrAborted(request);
      request.signal?.throwIfAborted();
      this.db.exec('COMMIT');
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.openSpeculation = undefined;
      release();
    }
  }

  async appendGroup(requests: readonly AppendRequest[]): Promise<Array<AppendedEvent[] | Error>> {
    await Promise.all(requests.map((r) => r.ready));
    // Each unit is a savepoint inside the one transaction: atomic on its own, durable with the group.
    const units = (): Array<AppendedEvent[] | Error> =>
      requests.map((unit) => {
        try {
          return this.appendOne(unit);
        } catch (error) {
          // A full disk or an I/O error may make SQLite roll the whole transaction back:
          // then no unit holds, and the next ones must not run outside of it.
          if (!this.db.inTransaction) throw error;
          // The cause keeps the driver's code (SQLITE_FULL...) for whoever classifies the failure.
          return error instanceof Error ? error : new Error(String(error), { cause: error });
        }
      });
    return this.writeLock.take(() => this.commit(units), () => this.idle());
  }

  async readStream(streamId: string): Promise<LogRecord[]> {
    await this.idle();
    return this.statements.readStream.all(streamId).map(toRecord);
  }

  async findEvents(eventIds: readonly string[]): Promise<Map<string, LogRecord>> {
    await this.idle();
    const found = new Map<string, LogRecord>();
    for (const id of eventIds) {
      const row = this.statements.byEventId.get(id);
      if (row) found.set(id, toRecord(row));
    }
    return found;
  }

  readAll(fromPosition = 1, options: ReadAllOptions = {}): AsyncIterable<LogRecord> {
    return recordsOf(this.readPages(fromPosition, options));
  }

  async *readPages(fromPosition = 1, options: ReadAllOptions = {}): AsyncIterable<readonly LogRecord[]> {
    const pageSize = options.pageSize ?? 2000;
    const last = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    let next = Math.max(1, fromPosition);
    const types = options.types;
    const page = this.pageStatement(types?.length ?? 0, options.withoutHashes === true);
    for (;;) {
      await this.idle();
      const rows = page.all(next, last, ...(types ?? []), pageSize);
      if (rows.length > 0) yield rows.map(fromPageRow);
      const tail = rows[rows.length - 1];
      if (rows.length < pageSize || !tail) return;
      next = tail[0] + 1;
    }
  }

  async head(): Promise<LogHead> {
    await this.idle();
    return this.readHead();
  }

  async identity(): Promise<LogIdentity> {
    return { logId: this.logId };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** The raw connection, for tools that inspect the file (tests that tamper with it, benchmarks). */
  get connection(): Database.Database {
    return this.db;
  }

  /** A page of the log, restricted to a number of types (0: all), prepared once per shape. */
  private pageStatement(types: number, lean: boolean): Database.Statement<unknown[], PageRow> {
    const key = `${types}:${lean}`;
    let statement = this.pages.get(key);
    if (!statement) {
      const byType = types === 0 ? '' : `AND type IN (${Array.from({ length: types }, () => '?').join(', ')})`;
      statement = this.db
        .prepare<unknown[], PageRow>(
          `SELECT ${lean ? LEAN_COLUMNS : COLUMNS} FROM events WHERE position >= ? AND position <= ? ${byType} ORDER BY position LIMIT ?`,
        )
        .raw(true);
      this.pages.set(key, statement);
    }
    return statement;
  }

  /** Runs `work` in the write transaction `writeLock.take` opened, and commits it; rolls it back on failure. */
  private commit<T>(work: () => T): T {
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Resolves when no append holds the connection's transaction open; the caller then runs without yielding. */
  private async idle(): Promise<void> {
    while (this.openSpeculation) await this.openSpeculation;
  }

  private readHead(): LogHead {
    const row = this.statements.head.get();
    return row ? { position: row.position, recordedAt: row.recorded_at, chain: row.chain.toString('hex') } : EMPTY_HEAD;
  }

  /**
   * Writes a long append in slices inside the open transaction, giving the event loop a turn
   * between slices: a signal (Ctrl-C) is handled within one slice, not after the whole write,
   * and the rows of the slices are exactly those one plan would write. The slices share one
   * clock reading, so one `recordedAt`; a stream's expected revision is checked until the
   * first slice that writes to it, as one plan checks it until its first write there.
   */
  private async appendInSlices(request: AppendRequest): Promise<AppendedEvent[]> {
    const now = this.clock();
    const events = request.events;
    if (events.length <= WRITE_SLICE) return this.appendInTransaction(request, now);
    const outcomes: AppendedEvent[] = [];
    const written = new Set<string>();
    for (let from = 0; from < events.length; from += WRITE_SLICE) {
      if (from > 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        request.signal?.throwIfAborted();
      }
      const expected = request.expectedRevisions;
      const stillExpected = expected && written.size > 0 ? new Map([...expected].filter(([id]) => !written.has(id))) : expected;
      const slice = { events: events.slice(from, from + WRITE_SLICE), ...(stillExpected ? { expectedRevisions: stillExpected } : {}) };
      for (const outcome of this.appendInTransaction(slice, now)) {
        outcomes.push(outcome);
        if (outcome.status === 'appended') written.add(outcome.streamId);
      }
    }
    return outcomes;
  }

  private appendInTransaction(request: AppendRequest, now: Date = this.clock()): AppendedEvent[] {
    // Inside the write transaction: one index probe per stream; the insert itself finds event ids already present.
    const context: AppendContext = {
      head: this.readHead(),
      existing: { get: (eventId) => mapRow(this.statements.byEventId.get(eventId)) },
      streamRevisions: { get: (streamId) => this.statements.streamRevision.get(streamId)?.revision ?? undefined },
      now,
    };
    const insert = this.statements.insert;
    const plan = planAppend(
      request,
      context,
      (r) =>
        insert.run(r.position, r.eventId, r.streamId, r.streamRevision, r.type, r.learnerId, r.occurredAt, r.recordedAt, r.data,
          Buffer.from(r.hash, 'hex'), Buffer.from(r.chain, 'hex')).changes === 1,
    );
    return plan.outcomes;
  }
}

/** Whether a file holds a ledger, read before anything is written to it. */
function holdsLedger(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined;
}

/**
 * The log's id, made by the first open that finds none (the log's creation, or a ledger made
 * before logs had ids). Read first: an open that finds it takes no write lock.
 */
function logIdOf(db: Database.Database): string {
  const read = db.prepare<[], { value: string }>("SELECT value FROM ledger_meta WHERE key = 'log_id'");
  const found = read.get();
  if (found) return found.value;
  db.prepare("INSERT OR IGNORE INTO ledger_meta (key, value) VALUES ('log_id', ?)").run(randomUUID());
  const made = read.get(); // another process may have made it first: its id is the one
  if (!made) throw new Error('sqlite event store: no log id after making one');
  return made.value;
}

function mapRow(row: EventRow | undefined): LogRecord | undefined {
  return row === undefined ? undefined : toRecord(row);
}

function toRecord(row: EventRow): LogRecord {
  return {
    position: row.position,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamRevision: row.stream_revision,
    type: row.type,
    learnerId: row.learner_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    data: row.data,
    hash: row.hash.toString('hex'),
    chain: row.chain.toString('hex'),
  };
}

/** A page row as a record; a lean row has '' for its hashes (the port allows it for readers without hashes). */
function fromPageRow(row: PageRow): LogRecord {
  return {
    position: row[0],
    eventId: row[1],
    streamId: row[2],
    streamRevision: row[3],
    type: row[4],
    learnerId: row[5],
    occurredAt: row[6],
    recordedAt: row[7],
    data: row[8],
    hash: row[9]?.toString('hex') ?? '',
    chain: row[10]?.toString('hex') ?? '',
  };
}

