import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openCreatingPrivately } from '@ledger/files';
import { erasureStreamOf } from '@ledger/events';
import type { ErasureRequest } from '@ledger/events';
import { learnerErasedEvent } from '@ledger/events';
import type { AppendContext } from '../append-plan';
import { planAppend } from '../append-plan';
import type {
  AppendedEvent,
  AppendRequest,
  Clock,
  CreateOption,
  ErasureOutcome,
  EventStore,
  LeafFormat,
  LogIdentity,
  RandomSource,
  ReadAllOptions,
  Recording,
  StoredCheckpoint,
  StoredCosignature,
  StoreSource,
} from '../event-store.port';
import { allReady, DeferredIndexError, ErasureRefusedError, LedgerNotFoundError, readyOrAborted, recordsOf, saltSource, systemClock, systemRandom } from '../event-store.port';
import { checkedErasure, unknownLearner } from '../erasure';
import type { LogHead, LogRecord } from '../log-record';
import { EMPTY_HEAD } from '../log-record';
import { DEFAULT_WRITE_WAIT_MS } from '@ledger/config';
import { BUSY_TIMEOUT_MS, SqliteWriteLock } from './write-lock';
import type { RowKeys } from './deferred-indexes';
import { DeferredIndexes, EVENT_INDEXES, MAX_DEFERRED_POSITION, TYPE_INDEX } from './deferred-indexes';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position        INTEGER PRIMARY KEY,  -- the rowid: the log order, appended in order
  event_id        TEXT    NOT NULL,     -- unique, and (stream_id, stream_revision) too: EVENT_INDEXES
  stream_id       TEXT    NOT NULL,
  stream_revision INTEGER NOT NULL,
  type            TEXT    NOT NULL,
  learner_id      TEXT,
  occurred_at     TEXT    NOT NULL,
  recorded_at     TEXT    NOT NULL,
  data            TEXT    NOT NULL,
  hash            BLOB    NOT NULL,
  chain           BLOB    NOT NULL,
  leaf_version    INTEGER NOT NULL DEFAULT 1,  -- 2: leaf v2, the leaf hashes commitment (docs/erasure.md)
  commitment      BLOB,                        -- v2: SHA-256(salt || personal part)
  salt            BLOB,                        -- v2: 32 random bytes; NULL once erased
  erased          INTEGER NOT NULL DEFAULT 0   -- 1: the personal part was erased
);
CREATE TABLE IF NOT EXISTS ledger_meta (
  key   TEXT PRIMARY KEY,  -- 'log_id': the log's identity, made when the log is created; 'leaf_v2_from': see leafFormat
  value TEXT NOT NULL
);
`;

/** Leaf hashes read a page at a time (32 bytes each: 2 MB a page). */
const LEAF_HASH_PAGE = 65_536;

/** Signed checkpoints (docs/signed-checkpoints.md), every one kept, in the order made. */
const CHECKPOINTS_TABLE = `
CREATE TABLE IF NOT EXISTS checkpoints (
  seq       INTEGER PRIMARY KEY,
  tree_size INTEGER NOT NULL,
  signed_at TEXT    NOT NULL,
  note      TEXT    NOT NULL
);
`;

/** The Merkle frontier of each checkpoint's tree (docs/signed-checkpoints.md, incremental signing). */
const FRONTIERS_TABLE = `
CREATE TABLE IF NOT EXISTS checkpoint_frontiers (
  seq       INTEGER PRIMARY KEY,
  tree_size INTEGER NOT NULL,
  frontier  BLOB    NOT NULL
);
CREATE INDEX IF NOT EXISTS checkpoint_frontiers_size ON checkpoint_frontiers (tree_size);
`;

/** Witness cosignatures of those checkpoints (append-only: rows are only inserted), one row per line. */
const COSIGNATURES_TABLE = `
CREATE TABLE IF NOT EXISTS checkpoint_cosignatures (
  seq         INTEGER PRIMARY KEY,
  tree_size   INTEGER NOT NULL,
  checkpoint  TEXT    NOT NULL,
  witness     TEXT    NOT NULL,
  line        TEXT    NOT NULL,
  cosigned_at INTEGER NOT NULL,
  received_at TEXT    NOT NULL,
  UNIQUE (checkpoint, line)
);
CREATE INDEX IF NOT EXISTS checkpoint_cosignatures_size ON checkpoint_cosignatures (tree_size);
`;

/** The columns leaf v2 added, for a ledger made before them (ALTER TABLE ... ADD COLUMN). */
const LEAF_V2_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['leaf_version', 'INTEGER NOT NULL DEFAULT 1'],
  ['commitment', 'BLOB'],
  ['salt', 'BLOB'],
  ['erased', 'INTEGER NOT NULL DEFAULT 0'],
];

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
  erased: number;
  leaf_version: number;
  hash: Buffer;
  chain: Buffer;
  commitment: Buffer | null;
  salt: Buffer | null;
}

/**
 * A page row as an array, in PAGE_COLUMNS order (raw mode: better-sqlite3 builds no object per
 * row, which halves the cost of a read of the whole log); a lean row stops before `hash`. The
 * hashes come as lower-case hex text, made by SQLite (what `Buffer#toString('hex')` gives): a
 * Buffer per BLOB costs more than the rest of the row (`verify` reads four per event).
 */
type PageRow = [number, string, string, number, string, string | null, string, string, string, number, number, string?, string?, (string | null)?, (string | null)?];

/** The columns a reader that needs no hashes gets (projections): the BLOBs are not even read. */
const LEAN_COLUMNS = 'position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, erased, leaf_version';
const COLUMNS = `${LEAN_COLUMNS}, hash, chain, commitment, salt`;
/** The hashes as hex text (NULL stays NULL; an empty BLOB gives ''), for the pages of `readPages`. */
const HEX_HASHES = 'lower(hex(hash)), lower(hex(chain)), CASE WHEN commitment IS NULL THEN NULL ELSE lower(hex(commitment)) END, CASE WHEN salt IS NULL THEN NULL ELSE lower(hex(salt)) END';
const PAGE_COLUMNS = `${LEAN_COLUMNS}, ${HEX_HASHES}`;
/** The same columns from a table made before leaf v2, not yet migrated: its rows are v1 and not erased (what the migration's defaults say). */
const LEGACY_LEAN_COLUMNS = 'position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, 0 AS erased, 1 AS leaf_version';
const LEGACY_COLUMNS = `${LEGACY_LEAN_COLUMNS}, hash, chain, NULL AS commitment, NULL AS salt`;
const LEGACY_PAGE_COLUMNS = `${LEGACY_LEAN_COLUMNS}, lower(hex(hash)), lower(hex(chain)), NULL AS commitment, NULL AS salt`;
const INSERT_COLUMNS = 'position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, leaf_version, hash, chain, commitment, salt';

/**
 * Page caches, in KiB (negative for SQLite's `cache_size`): the large one for appends (a big
 * import's scattered event-id index pages; `cacheMiB`, 256 MiB by default), a small one while
 * a scan reads the log page after page, each once: a cache would only keep what is not read
 * again, up to 256 MiB of RSS that `rebuild` and `verify` paid for nothing.
 */
const DEFAULT_WRITE_CACHE_MIB = 256;
const SCAN_CACHE_KIB = -8192;
/**
 * The page cache while a bulk load's indexes are deferred: the table is appended in rowid
 * order, so only its last pages and the rows read back by position are used; the large cache
 * comes back to build the indexes (SQLite's sorter works in it).
 */
const DEFERRED_CACHE_KIB = -65_536;

/** Events written between two turns of the event loop in a long append (about 0.1-0.3 s of work). */
const WRITE_SLICE = 5000;

export interface SqliteEventStoreOptions extends CreateOption {
  readonly clock?: Clock;
  /** `FULL` (the default) makes every acknowledged commit durable. */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another writer's lock before giving up (default LEDGER_WRITE_WAIT_MS, then 30 s). */
  readonly writeWaitMs?: number;
  /** Random bytes for leaf v2 salts (default node:crypto's). */
  readonly random?: RandomSource;
  /** The leaf version a log created by this open writes (default 2); an existing log keeps its own. */
  readonly newLogLeafVersion?: 1 | 2;
  /**
   * A ledger made before leaf v2 gets its new columns on open (default true: the opens of the
   * commands that write). false (the reading commands): it is read as it is, the missing
   * columns given their defaults, and migrated only by the first write, if one comes: a read
   * never writes (a read-only file opens).
   */
  readonly migrate?: boolean;
  /** The appends' page cache, in MiB (default 256; a scan reads with a small one meanwhile). */
  readonly cacheMiB?: number;
  /**
   * Told before and after a long step a write's open takes on an existing log: an index the
   * file lacks built over its events (a ledger made before the index, or a load interrupted
   * with its indexes deferred): minutes on a large ledger, which should not pass in silence.
   */
  readonly notice?: (message: string) => void;
}

/**
 * The embedded default. One writer at a time (SQLite's own lock, taken with BEGIN
 * IMMEDIATE), so positions are assigned in commit order and a reader never sees a gap.
 * WAL lets readers (projections, the API) run beside the writer.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite';
  /** The file, for another thread to open it (none for an in-memory database). */
  readonly source: StoreSource | undefined;
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private statements;
  /** The table has no leaf v2 columns yet (a ledger made before, opened by a reader): read with defaults, migrated by the first write. */
  private legacy: boolean;
  private readonly appendOne: Database.Transaction<(request: AppendRequest) => AppendedEvent[]>;
  /** Set while an append waits, uncommitted, for its `ready`: nothing else may use the connection then. */
  private openSpeculation: Promise<void> | undefined;
  private readonly pages = new Map<string, Database.Statement<unknown[], PageRow>>();
  private readonly logId: string;
  private readonly writeLock: SqliteWriteLock;
  private readonly salt: () => string;
  /** Scans running (`ReadAllOptions.scan`): the page cache is small while there is one. */
  private scans = 0;
  /** The appends' page cache (`cacheMiB`), in SQLite's negative KiB, put back after the last scan. */
  private readonly writeCacheKib: number;
  /** The index by (type, position) is there: typed pages read it (a ledger made before it and opened by a reader has none). */
  private typeIndex: boolean;
  /**
   * Set during a bulk load into an empty ledger whose indexes are dropped (`deferIndexes`): what
   * they answer, from memory. `lost`: a write transaction rolled back, or another writer was
   * seen; the indexes are then built before the next write (`settleDeferral`).
   */
  private deferred: { readonly indexes: DeferredIndexes; readonly insert: Database.Statement; lost: boolean } | undefined;
  private readonly notice: (message: string) => void;

  constructor(readonly file: string, options: SqliteEventStoreOptions = {}) {
    const create = options.create !== false || file === ':memory:';
    if (!create && !existsSync(file)) throw new LedgerNotFoundError(`sqlite:${file}`, 'the file does not exist');
    if (create && file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = openCreatingPrivately(file, () => new Database(file, { fileMustExist: !create }));
    const existed = holdsLedger(this.db);
    if (!create && !existed) {
      this.db.close();
      throw new LedgerNotFoundError(`sqlite:${file}`, 'the file holds no ledger (no events table)');
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // A large page cache keeps a big import's scattered event-id index pages in memory until commit.
    this.writeCacheKib = -Math.round((options.cacheMiB ?? DEFAULT_WRITE_CACHE_MIB) * 1024);
    this.db.pragma(`cache_size = ${this.writeCacheKib}`);
    // Erased payloads are overwritten with zeros in the file, not left in free space (docs/erasure.md).
    this.db.pragma('secure_delete = ON');
    this.notice = options.notice ?? (() => undefined);
    this.db.exec(SCHEMA);
    // A reader of an existing ledger writes nothing (a read-only file opens); a bulk load interrupted with its
    // indexes deferred (killed, Ctrl-C) gets them from the next open that may write.
    if (!existed || options.migrate !== false) makeMissingIndexes(this.db, this.notice);
    this.legacy = missingLeafV2Columns(this.db).length > 0;
    if (this.legacy && options.migrate !== false) this.migrateLeafV2();
    this.typeIndex = hasTypeIndex(this.db);
    initLeafFormat(this.db, options.newLogLeafVersion ?? 2);
    this.logId = logIdOf(this.db);
    this.clock = options.clock ?? systemClock;
    this.salt = saltSource(options.random ?? systemRandom);
    this.statements = this.prepareStatements();
    // Nested better-sqlite3 transactions become savepoints: that is what makes appendGroup's
    // units atomic one by one inside a single durable commit.
    this.appendOne = this.db.transaction((request: AppendRequest) => this.appendInTransaction(request));
    this.writeLock = new SqliteWriteLock(this.db, options.writeWaitMs ?? DEFAULT_WRITE_WAIT_MS);
    this.source = file === ':memory:' || file === '' ? undefined : { kind: 'sqlite', file };
  }

  /** The statements, on the table as it is (a legacy table: the missing columns read as their defaults; no write statement works on it before the migration). */
  private prepareStatements() {
    const columns = this.legacy ? LEGACY_COLUMNS : COLUMNS;
    const writable = !this.legacy;
    // Its ON CONFLICT needs the unique index on event ids: a reader of a ledger whose indexes a load left unbuilt has none.
    const insertable = writable && eventIdIndexed(this.db);
    return {
      head: this.db.prepare<[], { position: number; recorded_at: string; chain: Buffer }>(
        'SELECT position, recorded_at, chain FROM events ORDER BY position DESC LIMIT 1',
      ),
      byEventId: this.db.prepare<[string], EventRow>(`SELECT ${columns} FROM events WHERE event_id = ?`),
      byPosition: this.db.prepare<[number], EventRow>(`SELECT ${columns} FROM events WHERE position = ?`),
      keysAt: this.db.prepare<[number], [string, string, number]>('SELECT event_id, stream_id, stream_revision FROM events WHERE position = ?').raw(true),
      streamRevision: this.db.prepare<[string], { revision: number | null }>(
        'SELECT MAX(stream_revision) AS revision FROM events WHERE stream_id = ?',
      ),
      readStream: this.db.prepare<[string], EventRow>(
        `SELECT ${columns} FROM events WHERE stream_id = ? ORDER BY stream_revision`,
      ),
      insert: insertable
        ? this.db.prepare(`INSERT INTO events (${INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`)
        : undefined,
      streamExists: this.db.prepare<[string], { position: number; recorded_at: string }>(
        'SELECT position, recorded_at FROM events WHERE stream_id = ? ORDER BY stream_revision LIMIT 1',
      ),
      v2From: this.db.prepare<[], { value: string }>("SELECT value FROM ledger_meta WHERE key = 'leaf_v2_from'"),
      setV2From: this.db.prepare<[string]>("INSERT OR IGNORE INTO ledger_meta (key, value) VALUES ('leaf_v2_from', ?)"),
      // The placeholders name the position only; secure_delete zeroes the old bytes in the file.
      erase: writable
        ? this.db.prepare<[string]>(
            `UPDATE events SET event_id = 'erased:' || position, stream_id = 'erased:' || position, stream_revision = 0,
               learner_id = NULL, occurred_at = '', data = '', salt = NULL, erased = 1
             WHERE stream_id = ?`,
          )
        : undefined,
    };
  }

  /** Adds the leaf v2 columns (one immediate transaction), then prepares the statements on the table as it now is. */
  private migrateLeafV2(): void {
    addLeafV2Columns(this.db);
    this.legacy = false;
    this.pages.clear();
    if (this.statements !== undefined) this.statements = this.prepareStatements();
  }

  /** Before a write: a legacy table is migrated now (by the first write, never by a read). */
  private async writable(): Promise<void> {
    if (!this.legacy && (this.statements.insert !== undefined || this.deferred)) return;
    await this.idle();
    if (this.legacy) this.migrateLeafV2();
    // Opened as a reader of a ledger whose indexes an interrupted load left unbuilt: they are made by its first write.
    if (this.statements.insert === undefined && !this.deferred) {
      makeMissingIndexes(this.db, this.notice);
      this.typeIndex = hasTypeIndex(this.db);
      this.statements = this.prepareStatements();
    }
  }

  async append(request: AppendRequest): Promise<AppendedEvent[]> {
    await this.writable();
    await this.settleDeferral();
    try {
      return await this.appendNow(request);
    } catch (error) {
      // Another writer wrote while the indexes were deferred: they are built, and the append made again as usual.
      if (!(error instanceof DeferralLost)) throw error;
      await this.settleDeferral();
      return this.appendNow(request);
    }
  }

  private async appendNow(request: AppendRequest): Promise<AppendedEvent[]> {
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
      this.rollback();
      throw error;
    } finally {
      this.openSpeculation = undefined;
      release();
    }
  }

  async appendGroup(requests: readonly AppendRequest[]): Promise<Array<AppendedEvent[] | Error>> {
    await allReady(requests);
    await this.writable();
    await this.endDeferral();
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
    const deferred = this.deferred?.indexes;
    if (deferred === undefined) return this.statements.readStream.all(streamId).map(toRecord);
    return deferred.positionsOf(streamId).map((position) => toRecord(this.rowAt(position)));
  }

  async findEvents(eventIds: readonly string[]): Promise<Map<string, LogRecord>> {
    await this.idle();
    const found = new Map<string, LogRecord>();
    for (const id of eventIds) {
      const row = this.eventRow(id);
      if (row) found.set(id, toRecord(row));
    }
    return found;
  }

  /**
   * Drops the indexes of an empty log (EVENT_INDEXES) for a bulk load (see the port). Not
   * when the log holds events, nor when its unique indexes are constraints of its table (a
   * ledger made before they were declared apart), which cannot be dropped.
   */
  async deferIndexes(): Promise<boolean> {
    await this.writable();
    await this.settleDeferral();
    if (this.deferred) return true;
    const dropped = await this.writeLock.take(
      () =>
        this.commit(() => {
          if (this.readHead().position !== 0 || hasTableConstraints(this.db)) return false;
          for (const index of EVENT_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${index.name}`);
          this.typeIndex = false;
          return true;
        }),
      () => this.idle(),
    );
    if (!dropped) return false;
    const keys = this.statements.keysAt;
    const rowKeys = (position: number): RowKeys | undefined => {
      const row = keys.get(position);
      return row === undefined ? undefined : { eventId: row[0], streamId: row[1], streamRevision: row[2] };
    };
    this.deferred = {
      indexes: new DeferredIndexes(rowKeys),
      insert: this.db.prepare(`INSERT INTO events (${INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      lost: false,
    };
    if (this.scans === 0) this.db.pragma(`cache_size = ${DEFERRED_CACHE_KIB}`);
    return true;
  }

  async buildDeferredIndexes(): Promise<void> {
    await this.endDeferral();
  }

  /** Builds the deferred indexes now if a rollback or another writer ended the deferral (before any other write). */
  private async settleDeferral(): Promise<void> {
    if (this.deferred?.lost === true) await this.endDeferral();
  }

  /**
   * Builds the indexes a bulk load deferred, in one transaction, with the large page cache
   * (SQLite sorts each in it). A duplicate (never, when every write of the load went through
   * here) undoes the load: the ledger was empty when the indexes were dropped, and the load
   * alone wrote since (else the deferral was lost and no duplicate can be blamed on it).
   */
  private async endDeferral(): Promise<void> {
    const deferred = this.deferred;
    if (deferred === undefined) return;
    if (this.scans === 0) this.db.pragma(`cache_size = ${this.writeCacheKib}`);
    const duplicate = await this.writeLock.take(
      () =>
        this.commit(() => {
          const alone = !deferred.lost && this.readHead().position === deferred.indexes.head && !hasAnyIndex(this.db);
          try {
            createEventIndexes(this.db);
            return undefined;
          } catch (error) {
            const found = duplicateIn(this.db);
            if (found === undefined || !alone) throw error;
            this.db.exec('DELETE FROM events');
            createEventIndexes(this.db);
            return found;
          }
        }),
      () => this.idle(),
    );
    this.deferred = undefined;
    this.typeIndex = hasTypeIndex(this.db);
    if (duplicate !== undefined) throw new DeferredIndexError(duplicate);
  }

  /** Rolls back the open transaction, if any; a bulk load's deferred indexes no longer match the log: built before the next write. */
  private rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    if (this.deferred) this.deferred.lost = true;
  }

  /** The row of an event id, through its index or, while deferred, through memory. */
  private eventRow(eventId: string): EventRow | undefined {
    const deferred = this.deferred?.indexes;
    if (deferred === undefined) return this.statements.byEventId.get(eventId);
    const position = deferred.positionOf(eventId);
    return position === undefined ? undefined : this.rowAt(position);
  }

  private rowAt(position: number): EventRow {
    const row = this.statements.byPosition.get(position);
    if (row === undefined) throw new Error(`sqlite event store: no row at position ${position}, which the deferred indexes hold`);
    return row;
  }

  readAll(fromPosition = 1, options: ReadAllOptions = {}): AsyncIterable<LogRecord> {
    return recordsOf(this.readPages(fromPosition, options));
  }

  async *readPages(fromPosition = 1, options: ReadAllOptions = {}): AsyncIterable<readonly LogRecord[]> {
    const pageSize = options.pageSize ?? 2000;
    const last = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    let next = Math.max(1, fromPosition);
    // Each type once: a type named twice would be a second arm of the indexed page, its rows twice.
    const types = options.types ? [...new Set(options.types)] : undefined;
    const occurredFrom = options.occurredFromDay === undefined ? undefined : dayBefore(options.occurredFromDay);
    // Decided once for the whole read: the statement and its arguments must keep one shape even if the index comes or goes meanwhile.
    const byIndex = types !== undefined && types.length > 0 && this.typeIndex;
    const page = this.pageStatement(types?.length ?? 0, options.withoutHashes === true, byIndex, occurredFrom !== undefined);
    if (options.scan === true) this.scanStarted();
    try {
      for (;;) {
        await this.idle();
        const rows = page.all(...pageArguments(next, last, types, byIndex, pageSize, occurredFrom));
        if (rows.length > 0) yield rows.map(fromPageRow);
        const tail = rows[rows.length - 1];
        if (rows.length < pageSize || !tail) return;
        next = tail[0] + 1;
      }
    } finally {
      if (options.scan === true) this.scanEnded();
    }
  }

  /** The small page cache while at least one scan runs (`ReadAllOptions.scan`); the large one again after the last. */
  private scanStarted(): void {
    if (this.scans++ === 0) this.db.pragma(`cache_size = ${SCAN_CACHE_KIB}`);
  }

  private scanEnded(): void {
    if (--this.scans === 0 && this.db.open) this.db.pragma(`cache_size = ${this.deferred ? DEFERRED_CACHE_KIB : this.writeCacheKib}`);
  }

  async *readLeafHashes(fromPosition: number, toPosition: number): AsyncIterable<Buffer> {
    const page = this.db.prepare<[number, number, number], { position: number; hash: Buffer }>(
      'SELECT position, hash FROM events WHERE position >= ? AND position <= ? ORDER BY position LIMIT ?',
    );
    let next = Math.max(1, fromPosition);
    for (;;) {
      await this.idle();
      const rows = page.all(next, toPosition, LEAF_HASH_PAGE);
      if (rows.length > 0) yield Buffer.concat(rows.map((r) => r.hash));
      const tail = rows[rows.length - 1];
      if (rows.length < LEAF_HASH_PAGE || !tail) return;
      next = tail.position + 1;
    }
  }

  async head(): Promise<LogHead> {
    await this.idle();
    return this.readHead();
  }

  async identity(): Promise<LogIdentity> {
    return { logId: this.logId };
  }

  async leafFormat(): Promise<LeafFormat> {
    await this.idle();
    return { v2From: this.readV2From() };
  }

  async useLeafV2(): Promise<LeafFormat> {
    await this.writable();
    return this.writeLock.take(
      () =>
        this.commit(() => {
          if (this.readV2From() === null) this.statements.setV2From.run(String(this.readHead().position + 1));
          return { v2From: this.readV2From() };
        }),
      () => this.idle(),
    );
  }

  async eraseLearner(learnerId: string, request: ErasureRequest): Promise<ErasureOutcome> {
    const valid = checkedErasure(learnerId, request);
    await this.writable();
    await this.endDeferral();
    const outcome = await this.writeLock.take(() => this.commit(() => this.eraseInTransaction(learnerId, valid)), () => this.idle());
    // The WAL still holds the pages as they were before the erasure: copied into the file
    // (whose old bytes secure_delete has zeroed) and truncated. Readers may hold some frames:
    // then what is left goes at the next checkpoint (docs/erasure.md).
    if (outcome.status === 'erased') this.db.pragma('wal_checkpoint(TRUNCATE)');
    return outcome;
  }

  async saveCheckpoint(checkpoint: StoredCheckpoint, frontier?: Buffer): Promise<void> {
    // Made by the first checkpoint, not at open: a ledger without one still opens read-only.
    await this.writeLock.take(
      () =>
        this.commit(() => {
          this.db.exec(CHECKPOINTS_TABLE);
          this.db.prepare('INSERT INTO checkpoints (tree_size, signed_at, note) VALUES (?, ?, ?)').run(checkpoint.treeSize, checkpoint.signedAt, checkpoint.note);
          if (frontier !== undefined) {
            this.db.exec(FRONTIERS_TABLE);
            this.db.prepare('INSERT INTO checkpoint_frontiers (tree_size, frontier) VALUES (?, ?)').run(checkpoint.treeSize, frontier);
          }
        }),
      () => this.idle(),
    );
  }

  async checkpoints(limit?: number): Promise<StoredCheckpoint[]> {
    await this.idle();
    if (this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkpoints'").get() === undefined) return [];
    const rows = this.db
      .prepare<[number], { tree_size: number; signed_at: string; note: string }>('SELECT tree_size, signed_at, note FROM checkpoints ORDER BY seq DESC LIMIT ?')
      .all(limit ?? -1);
    return rows.reverse().map((r) => ({ treeSize: r.tree_size, signedAt: r.signed_at, note: r.note }));
  }

  async checkpointFrontier(treeSize: number): Promise<Buffer | null> {
    await this.idle();
    if (this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkpoint_frontiers'").get() === undefined) return null;
    const row = this.db.prepare<[number], { frontier: Buffer }>('SELECT frontier FROM checkpoint_frontiers WHERE tree_size = ? ORDER BY seq DESC LIMIT 1').get(treeSize);
    return row ? Buffer.from(row.frontier) : null;
  }

  async saveCosignatures(cosignatures: readonly StoredCosignature[]): Promise<number> {
    if (cosignatures.length === 0) return 0;
    return this.writeLock.take(
      () =>
        this.commit(() => {
          this.db.exec(COSIGNATURES_TABLE);
          const insert = this.db.prepare(
            'INSERT OR IGNORE INTO checkpoint_cosignatures (tree_size, checkpoint, witness, line, cosigned_at, received_at) VALUES (?, ?, ?, ?, ?, ?)',
          );
          let added = 0;
          for (const c of cosignatures) added += insert.run(c.treeSize, c.checkpoint, c.witness, c.line, c.cosignedAt, c.receivedAt).changes;
          return added;
        }),
      () => this.idle(),
    );
  }

  async cosignatures(treeSize: number): Promise<StoredCosignature[]> {
    await this.idle();
    if (this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkpoint_cosignatures'").get() === undefined) return [];
    const rows = this.db
      .prepare<[number], { tree_size: number; checkpoint: string; witness: string; line: string; cosigned_at: number; received_at: string }>(
        'SELECT tree_size, checkpoint, witness, line, cosigned_at, received_at FROM checkpoint_cosignatures WHERE tree_size = ? ORDER BY seq',
      )
      .all(treeSize);
    return rows.map((r) => ({ treeSize: r.tree_size, checkpoint: r.checkpoint, witness: r.witness, line: r.line, cosignedAt: r.cosigned_at, receivedAt: r.received_at }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** The raw connection, for tools that inspect the file (tests that tamper with it, benchmarks). */
  get connection(): Database.Database {
    return this.db;
  }

  /**
   * A page of the log, restricted to a number of types (0: all), prepared once per shape. With
   * the type index, one arm per type (an index range in position order) and SQLite merges the
   * arms (`MERGE (UNION ALL)`), stopping at the page's LIMIT: a page costs its rows, not the
   * log's. `type IN (...)` on that index would sort every row of the types up to the end
   * of the range for each page.
   */
  private pageStatement(types: number, lean: boolean, byIndex: boolean, occurred: boolean): Database.Statement<unknown[], PageRow> {
    const key = `${types}:${lean}:${byIndex}:${occurred}`;
    let statement = this.pages.get(key);
    if (!statement) {
      const columns = this.legacy ? (lean ? LEGACY_LEAN_COLUMNS : LEGACY_PAGE_COLUMNS) : lean ? LEAN_COLUMNS : PAGE_COLUMNS;
      const byType = types === 0 ? '' : `AND type IN (${Array.from({ length: types }, () => '?').join(', ')})`;
      // RFC 3339 text starts with its own date: on or after the day before the UTC day wanted, whatever its offset.
      const byDay = occurred ? 'AND substr(occurred_at, 1, 10) >= ?' : '';
      const sql = byIndex
        ? `${Array.from({ length: types }, () => `SELECT ${columns} FROM events WHERE type = ? AND position >= ? AND position <= ? ${byDay}`).join(' UNION ALL ')} ORDER BY 1 LIMIT ?`
        : `SELECT ${columns} FROM events WHERE position >= ? AND position <= ? ${byType} ${byDay} ORDER BY position LIMIT ?`;
      statement = this.db.prepare<unknown[], PageRow>(sql).raw(true);
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
      this.rollback();
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
    // Read once for the whole append, not once a slice: this transaction is the only writer.
    const known: KnownStreams = { revisions: new Map(), erased: new Map() };
    for (let from = 0; from < events.length; from += WRITE_SLICE) {
      if (from > 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        request.signal?.throwIfAborted();
      }
      const expected = request.expectedRevisions;
      const stillExpected = expected && written.size > 0 ? new Map([...expected].filter(([id]) => !written.has(id))) : expected;
      const recordings = request.recordings ? recordingsOfSlice(request.recordings, from, from + WRITE_SLICE) : undefined;
      const slice = {
        events: events.slice(from, from + WRITE_SLICE),
        ...(stillExpected ? { expectedRevisions: stillExpected } : {}),
        ...(recordings ? { recordings } : {}),
      };
      for (const outcome of this.appendInTransaction(slice, now, false, known)) {
        outcomes.push(outcome);
        if (outcome.status === 'appended') {
          written.add(outcome.streamId);
          known.revisions.set(outcome.streamId, outcome.streamRevision);
        }
      }
    }
    return outcomes;
  }

  private eraseInTransaction(learnerId: string, request: ErasureRequest): ErasureOutcome {
    const before = this.statements.streamExists.get(erasureStreamOf(learnerId));
    if (before) return { status: 'already-erased', learnerId, position: before.position, recordedAt: before.recorded_at };
    const erasedEvents = written(this.statements.erase).run(`learner-${learnerId}`).changes;
    if (erasedEvents === 0) throw unknownLearner(learnerId);
    const [appended] = this.appendInTransaction({ events: [learnerErasedEvent(learnerId, request)] }, this.clock(), true);
    if (appended?.status !== 'appended') throw new ErasureRefusedError('invalid-request', `event id ${request.eventId} is already in the log: an erasure needs a new event id`, [{ field: 'eventId', message: 'is already in the log' }]);
    return { status: 'erased', learnerId, erasedEvents, position: appended.position, recordedAt: appended.recordedAt };
  }

  private readV2From(): number | null {
    const row = this.statements.v2From.get();
    return row ? Number(row.value) : null;
  }

  private appendInTransaction(request: AppendRequest, now: Date = this.clock(), erasure = false, known?: KnownStreams): AppendedEvent[] {
    // Inside the write transaction: one index probe per stream; the insert itself finds event ids already present.
    const head = this.readHead();
    const deferred = this.deferred?.indexes;
    // Nobody else may have written since the indexes were dropped: else they are built first (append makes it again).
    if (deferred !== undefined && (head.position !== deferred.head || hasAnyIndex(this.db))) throw new DeferralLost();
    const revisionOf = deferred
      ? (streamId: string): number | undefined => deferred.lastRevision(streamId)
      : (streamId: string): number | undefined => this.statements.streamRevision.get(streamId)?.revision ?? undefined;
    const erasedNow = deferred
      ? (learnerId: string): boolean => deferred.lastRevision(erasureStreamOf(learnerId)) !== undefined
      : (learnerId: string): boolean => this.statements.streamExists.get(erasureStreamOf(learnerId)) !== undefined;
    const context: AppendContext = {
      head,
      existing: { get: (eventId) => mapRow(this.eventRow(eventId)) },
      streamRevisions: { get: known ? (streamId) => remembered(known.revisions, streamId, revisionOf) : revisionOf },
      erasedLearners: { get: known ? (learnerId) => remembered(known.erased, learnerId, erasedNow) : erasedNow },
      now,
      erasure,
      // Read in the transaction: another process may have moved the log to v2 (useLeafV2).
      ...(this.readV2From() === null ? {} : { salt: this.salt }),
    };
    const insert = this.deferred?.insert ?? written(this.statements.insert);
    const row = (r: LogRecord): boolean =>
      insert.run(r.position, r.eventId, r.streamId, r.streamRevision, r.type, r.learnerId, r.occurredAt, r.recordedAt, r.data,
        r.leafVersion ?? 1, Buffer.from(r.hash, 'hex'), Buffer.from(r.chain, 'hex'),
        r.commitment === undefined ? null : Buffer.from(r.commitment, 'hex'), r.salt === undefined ? null : Buffer.from(r.salt, 'hex')).changes === 1;
    // Deferred: the event id is looked up in memory (present: not written, as the index's conflict would say), then remembered.
    const write = deferred
      ? (r: LogRecord): boolean => {
          if (deferred.positionOf(r.eventId) !== undefined) return false;
          if (r.position > MAX_DEFERRED_POSITION) throw new DeferralLost();
          row(r);
          deferred.added(r.position, r.eventId, r.streamId);
          return true;
        }
      : row;
    return planAppend(request, context, write).outcomes;
  }
}

/** A write found that the log moved while its indexes were deferred (another writer): rolled back, the indexes built, and the append made again. */
class DeferralLost extends Error {
  constructor() {
    super('sqlite event store: the log changed while a bulk load had its indexes deferred');
    this.name = 'DeferralLost';
  }
}

/** What the slices of one append have read of streams (the write transaction's, so still true): last revisions, and learners erased. */
interface KnownStreams {
  readonly revisions: Map<string, number | undefined>;
  readonly erased: Map<string, boolean>;
}

function remembered<V>(known: Map<string, V>, key: string, read: (key: string) => V): V {
  if (known.has(key)) return known.get(key) as V;
  const value = read(key);
  known.set(key, value);
  return value;
}

/** The recording batches of events `from` to `to` (excluded) of an append, counted from `from`. */
function recordingsOfSlice(recordings: readonly Recording[], from: number, to: number): Recording[] {
  const inSlice: Recording[] = [];
  for (const recording of recordings) {
    if (recording.from >= to) break;
    // The batch the slice starts in begins, for the slice, at its first event.
    if (recording.from <= from) inSlice[0] = { from: 0, at: recording.at };
    else inSlice.push({ from: recording.from - from, at: recording.at });
  }
  return inSlice;
}

/** A write statement, which exists once the table has its leaf v2 columns (`writable()` comes first). */
function written<T>(statement: T | undefined): T {
  if (statement === undefined) throw new Error('sqlite event store: a write before the leaf v2 migration');
  return statement;
}

/** The leaf v2 columns a ledger made before them lacks. */
function missingLeafV2Columns(db: Database.Database): ReadonlyArray<readonly [string, string]> {
  const present = new Set(db.prepare<[], { name: string }>('SELECT name FROM pragma_table_info(\'events\')').all().map((c) => c.name));
  return LEAF_V2_COLUMNS.filter(([name]) => !present.has(name));
}

/** Adds the leaf v2 columns to a ledger made before them (its rows: v1, not erased); read again inside the write lock (another process may have added them). */
function addLeafV2Columns(db: Database.Database): void {
  db.transaction(() => {
    for (const [name, type] of missingLeafV2Columns(db)) db.exec(`ALTER TABLE events ADD COLUMN ${name} ${type}`);
  }).immediate();
}

/**
 * A log created now writes leaf v2 from position 1 (`leaf_v2_from` = 1); a log that already
 * holds events without the key was written before leaf v2, and stays v1 until `useLeafV2`.
 */
function initLeafFormat(db: Database.Database, version: 1 | 2): void {
  if (version !== 2) return;
  // Read first: a ledger that has its format (or events) takes no write here (a read-only file opens).
  const decided = db.prepare("SELECT 1 FROM ledger_meta WHERE key = 'leaf_v2_from' UNION ALL SELECT 1 FROM events LIMIT 1").get();
  if (decided !== undefined) return;
  db.prepare(
    "INSERT OR IGNORE INTO ledger_meta (key, value) SELECT 'leaf_v2_from', '1' WHERE NOT EXISTS (SELECT 1 FROM events)",
  ).run();
}

/**
 * Makes the declared indexes the table lacks (EVENT_INDEXES): a new ledger's, or those a bulk
 * load deferred and did not build (it was interrupted). The unique ones of a ledger whose table
 * holds them as constraints are there already.
 */
function makeMissingIndexes(db: Database.Database, notice: (message: string) => void): void {
  const constraints = hasTableConstraints(db);
  let events: number | undefined;
  for (const index of EVENT_INDEXES) {
    if (constraints && index.tableConstraintBefore === true) continue;
    if (hasIndex(db, index.name)) continue;
    // The size of the log, said in the notice: read once, and only when an index is missing.
    events ??= db.prepare<[], { n: number }>('SELECT COALESCE(MAX(position), 0) AS n FROM events').get()?.n ?? 0;
    const started = performance.now();
    if (events > 0) notice(`building the index ${index.name} over the ${events.toLocaleString('en')} events of the log, once (minutes on a large ledger)`);
    try {
      db.exec(index.create);
      if (events > 0) notice(`index ${index.name} built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      const found = duplicateIn(db);
      if (found === undefined) throw error;
      throw new Error(`sqlite event store: the index ${index.name} cannot be built: ${found}; the ledger needs repair`, { cause: error });
    }
  }
}

/** A ledger made before EVENT_INDEXES: its table's UNIQUE constraints are its (undroppable) unique indexes. */
function hasTableConstraints(db: Database.Database): boolean {
  return hasIndex(db, 'sqlite_autoindex_events_1');
}

/** Whether event ids have their unique index (declared, or a constraint of an older table). */
function eventIdIndexed(db: Database.Database): boolean {
  const [first] = EVENT_INDEXES;
  return hasTableConstraints(db) || hasIndex(db, first?.name ?? '');
}

/** Builds the declared indexes (EVENT_INDEXES) the table lacks. */
function createEventIndexes(db: Database.Database): void {
  for (const index of EVENT_INDEXES) db.exec(index.create);
}

/** Whether any of the declared indexes is there (during a deferral: another connection made them). */
function hasAnyIndex(db: Database.Database): boolean {
  const names = EVENT_INDEXES.map((index) => `'${index.name}'`).join(', ');
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name IN (${names})`).get() !== undefined;
}

/** The first duplicate the unique indexes would refuse, said in words; undefined: none. */
function duplicateIn(db: Database.Database): string | undefined {
  const id = db.prepare<[], { event_id: string; n: number }>('SELECT event_id, COUNT(*) AS n FROM events GROUP BY event_id HAVING n > 1 LIMIT 1').get();
  if (id) return `event id ${id.event_id} is in the log ${id.n} times`;
  const revision = db
    .prepare<[], { stream_id: string; stream_revision: number; n: number }>(
      'SELECT stream_id, stream_revision, COUNT(*) AS n FROM events GROUP BY stream_id, stream_revision HAVING n > 1 LIMIT 1',
    )
    .get();
  return revision ? `revision ${revision.stream_revision} of stream ${revision.stream_id} is in the log ${revision.n} times` : undefined;
}

/** The arguments of `pageStatement`'s page from `next` to `last`, in its shape. */
function pageArguments(next: number, last: number, types: readonly string[] | undefined, byIndex: boolean, pageSize: number, occurredFrom: string | undefined): unknown[] {
  const day = occurredFrom === undefined ? [] : [occurredFrom];
  if (!types || types.length === 0) return [next, last, ...day, pageSize];
  if (!byIndex) return [next, last, ...types, ...day, pageSize];
  return [...types.flatMap((type) => [type, next, last, ...day]), pageSize];
}

/**
 * The day before a UTC day (YYYY-MM-DD): an instant on or after that day has a local date, at
 * any offset of RFC 3339 (under 24 hours), on or after the day before. undefined: not a day
 * whose day before can be written so (then nothing is left out).
 */
function dayBefore(day: string): string | undefined {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) return undefined;
  const before = new Date(ms - 86_400_000).toISOString();
  return /^\d{4}-/.test(before) ? before.slice(0, 10) : undefined;
}

/** Whether typed pages can read the type index (a ledger made before it, opened by a reader, has none). */
function hasTypeIndex(db: Database.Database): boolean {
  return hasIndex(db, TYPE_INDEX.name);
}

/** Whether the file holds an index of that name. */
function hasIndex(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) !== undefined;
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
    ...leafFields(row.leaf_version, row.erased, row.commitment, row.salt),
  };
}

/** The leaf v2 and erasure fields of a record, present only when they say something (a v1 record has none). */
function leafFields(version: number, erased: number, commitment: Buffer | null | undefined, salt: Buffer | null | undefined): Partial<LogRecord> {
  const fields: { -readonly [K in keyof LogRecord]?: LogRecord[K] } = {};
  if (version === 2) fields.leafVersion = 2;
  if (commitment) fields.commitment = commitment.toString('hex');
  if (salt) fields.salt = salt.toString('hex');
  if (erased === 1) fields.erased = true;
  return fields;
}

/** A page row as a record; a lean row has '' for its hashes (the port allows it for readers without hashes). */
function fromPageRow(row: PageRow): LogRecord {
  const version = row[10];
  const erased = row[9];
  // A v1 record, not erased (every record of a log made before leaf v2): nothing more to set.
  if (version !== 2 && erased !== 1) return pageRecord(row);
  const salt = row[14];
  // A v2 record with its payload (every record the ledger writes now): built in its final shape at once.
  if (version === 2 && erased !== 1 && typeof salt === 'string' && typeof row[13] === 'string') {
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
      hash: row[11] ?? '',
      chain: row[12] ?? '',
      leafVersion: 2,
      commitment: row[13],
      salt,
    };
  }
  const fields: { -readonly [K in keyof LogRecord]?: LogRecord[K] } = {};
  if (version === 2) fields.leafVersion = 2;
  if (typeof row[13] === 'string') fields.commitment = row[13];
  if (typeof salt === 'string') fields.salt = salt;
  if (erased === 1) fields.erased = true;
  return Object.assign(pageRecord(row), fields);
}

function pageRecord(row: PageRow): LogRecord {
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
    hash: row[11] ?? '',
    chain: row[12] ?? '',
  };
}

