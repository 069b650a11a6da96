import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { PoolClient } from 'pg';
import { erasureStreamOf } from '@ledger/events';
import type { ErasureRequest } from '@ledger/events';
import { learnerErasedEvent } from '@ledger/events';
import type { AppendContext, AppendPlan } from '../append-plan';
import { hasLearnerEvents, planAppend, streamsOf } from '../append-plan';
import type {
  AppendedEvent,
  AppendRequest,
  Clock,
  CreateOption,
  ErasureOutcome,
  EventStore,
  LeafFormat,
  LogIdentity,
  StoredCheckpoint,
  StoredCosignature,
  RandomSource,
  ReadAllOptions,
  StoreSource,
} from '../event-store.port';
import { allReady, ErasureRefusedError, IdempotencyConflictError, LedgerNotFoundError, readyOrAborted, recordsOf, saltSource, systemClock, systemRandom, WrongExpectedRevisionError } from '../event-store.port';
import { checkedErasure, unknownLearner } from '../erasure';
import type { LogHead, LogRecord } from '../log-record';
import { EMPTY_HEAD } from '../log-record';
import { DEFAULT_WRITE_WAIT_MS } from '@ledger/config';
import { StoreUnavailableError } from '../store-failure';
import { copyRow, openCopy } from './copy-from';

export interface PostgresEventStoreOptions extends CreateOption {
  readonly clock?: Clock;
  /** The schema holding the tables (created if missing by `open`, unless `create` is false); default the connection string's `schema` parameter, else `public`. */
  readonly schema?: string;
  /** Connections in the pool (default 10). Writers queue on the head lock, so more writers do not write faster. */
  readonly poolSize?: number;
  /** How long a write waits for the head lock another writer holds (default LEDGER_WRITE_WAIT_MS, then 30 s). */
  readonly writeWaitMs?: number;
  /** Random bytes for leaf v2 salts (default node:crypto's). */
  readonly random?: RandomSource;
  /** The leaf version a log created by this open writes (default 2); an existing log keeps its own. */
  readonly newLogLeafVersion?: 1 | 2;
  /**
   * A table made before leaf v2 gets its new columns on open (default true: the opens of the
   * commands that write). false (the reading commands): it is read as it is, the missing columns
   * given their defaults, and migrated by the first write if one comes (a role that does not
   * own the table can read it).
   */
  readonly migrate?: boolean;
}

/**
 * Each connection's settings, given at its start (`options`; one the connection string sets
 * wins). The store's statements read one stream or a few ids by index: a table that has never
 * been analyzed (autovacuum off, or a load faster than it) makes the planner guess tens of
 * thousands of rows for them, and then compile each with JIT and start parallel workers for
 * it, which took a full-scale load from 25k to 3k events a second (docs/performance.md).
 */
const SESSION_SETTINGS = '-c jit=off -c max_parallel_workers_per_gather=0';

/** Rows per `INSERT ... SELECT FROM unnest(...)` statement (a few MB of parameters at most). */
const INSERT_CHUNK = 2000;
/** Events from which a unit is written with COPY rather than `INSERT ... unnest`. */
const COPY_FROM = 500;
/** Rows sent to the server at a time during a COPY. */
const COPY_SEND = 256;
/** Ids per `= ANY($1)` look-up while reading an append's context. */
const LOOKUP_CHUNK = 5000;
/** Rows per page of `readAll` when the caller does not say. */
const DEFAULT_PAGE_SIZE = 5000;
/** Attempts of one unit when a unique violation shows that a writer bypassed the head lock. */
const RACE_ATTEMPTS = 3;

const COLUMNS = 'position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, hash, chain, leaf_version, commitment, salt';
/** The columns as read: the hashes hex-encoded by the server (cheaper than Buffer, then hex, in Node). */
const READ_COLUMNS =
  "position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, encode(hash, 'hex') AS hash, encode(chain, 'hex') AS chain, " +
  "leaf_version, encode(commitment, 'hex') AS commitment, encode(salt, 'hex') AS salt, erased";
/** The same from a table made before leaf v2, not yet migrated: its rows are v1 and not erased (the migration's defaults). */
const LEGACY_READ_COLUMNS =
  "position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, encode(hash, 'hex') AS hash, encode(chain, 'hex') AS chain, " +
  '1::smallint AS leaf_version, NULL::text AS commitment, NULL::text AS salt, FALSE AS erased';

/** The columns of a lean read (`withoutHashes`): no hashes ('' in the record), no salt, no commitment. */
const LEAN_READ_COLUMNS =
  "position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, '' AS hash, '' AS chain, " +
  'leaf_version, NULL::text AS commitment, NULL::text AS salt, erased';
const LEGACY_LEAN_READ_COLUMNS =
  "position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, '' AS hash, '' AS chain, " +
  '1::smallint AS leaf_version, NULL::text AS commitment, NULL::text AS salt, FALSE AS erased';

/**
 * A lean row as one text column: the fields joined by tabs, the data last. pg decodes a row
 * field by field in JavaScript (a string, an object key and a type parser each): the 15 columns
 * of a row cost about three times the bare read of position and data; one column costs about
 * what the bare read does, and splitting it in Node costs little. Flags: the leaf version's
 * digit, then `e` if erased, `n` if learner_id is NULL. A field that holds a tab is caught by
 * `leanRecord` (the data, canonical JSON, never holds a raw tab): its page is read the ordinary way.
 */
const LEAN_ROW =
  "concat(position, E'\\t', event_id, E'\\t', stream_id, E'\\t', stream_revision, E'\\t', type, E'\\t', learner_id, E'\\t', occurred_at, E'\\t', " +
  "recorded_at, E'\\t', leaf_version, CASE WHEN erased THEN 'e' END, CASE WHEN learner_id IS NULL THEN 'n' END, E'\\t', data) AS r";
const LEGACY_LEAN_ROW =
  "concat(position, E'\\t', event_id, E'\\t', stream_id, E'\\t', stream_revision, E'\\t', type, E'\\t', learner_id, E'\\t', occurred_at, E'\\t', " +
  "recorded_at, E'\\t', 1, CASE WHEN learner_id IS NULL THEN 'n' END, E'\\t', data) AS r";

const CONSTRAINT = {
  position: 'events_position_pk',
  eventId: 'events_event_id_uq',
  streamRevision: 'events_stream_revision_uq',
} as const;

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_revision: number;
  type: string;
  learner_id: string | null;
  occurred_at: string;
  recorded_at: string;
  data: string;
  hash: string;
  chain: string;
  leaf_version: number;
  commitment: string | null;
  salt: string | null;
  erased: boolean;
}

type ContextRow =
  | ({ kind: 'event' } & EventRow)
  | { kind: 'stream'; event_id: null; stream_id: string; stream_revision: number | null };

interface HeadRow {
  position: string;
  recorded_at: string | null;
  chain: string;
}

/**
 * The secondary indexes of the events table, beside its primary key and UNIQUE constraints:
 * declared here only, so that a bulk load of an empty ledger may build them after the rows
 * (`create` takes the quoted events table). `events_type_position`: the events of some types
 * in log order without reading the others (explain's counters, retractions, an audit's rare types).
 */
export const POSTGRES_SECONDARY_INDEXES: ReadonlyArray<{ readonly name: string; create(events: string): string }> = [
  { name: 'events_type_position', create: (events) => `CREATE INDEX IF NOT EXISTS events_type_position ON ${events} (type, position)` },
];

/**
 * The PostgreSQL adapter of the event store port.
 *
 * Tables (in `schema`):
 * - `events`: one row per event. `position` is the primary key and the log order. Every
 *   text column holds exactly the string that was hashed (`event_id` is TEXT, not UUID, so
 *   that an id comes back byte for byte as sent; `data` is TEXT, not jsonb, which would
 *   rewrite the canonical JSON and break the hash). `hash`/`chain` are BYTEA (32 bytes).
 * - `log_head`: one row, the head of the log (`position`, `recorded_at`, `chain`).
 * - `ledger_meta`: key and value; `log_id` is the log's identity, made with the log.
 *
 * Writers are serialized by the head row: every write transaction starts with
 * `SELECT ... FROM log_head FOR UPDATE` and its last insert moves the head in the same
 * statement. Why a row lock rather than `pg_advisory_xact_lock`:
 * - the lock is the state: the locked row is the head the plan builds on (position, chain,
 *   recordedAt), so there is no `max(position)` / last-chain query and no window between
 *   taking a lock and reading what it protects;
 * - it is scoped to the schema by construction (advisory keys are per database and would
 *   have to be derived from the schema name), and it works for any number of processes;
 * - a row lock, like an advisory xact lock, is released only after the commit record is
 *   flushed (synchronous commit) and the transaction is visible. So the next writer reads
 *   the head only once the previous one is visible: positions are assigned in commit order,
 *   and any snapshot that sees position N+1 also sees every position up to N. That is what
 *   makes keyset paging on `position` in `readAll` safe (no lost or repeated events).
 * Readers (readAll, readStream, head) take no lock: MVCC gives them the last commit.
 *
 * Write transactions run at READ COMMITTED (whatever the server default is): each statement
 * after the lock sees what the previous writer committed, and `FOR UPDATE` never raises a
 * serialization failure. A write transaction whose session has `synchronous_commit = off`
 * raises it to `on` for itself: an acknowledged append is on disk.
 */

export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres';
  readonly schema: string;
  /** The connection string and schema, for another thread to open its own connection to this log. */
  readonly source: StoreSource;
  private readonly db: Pool;
  private readonly pipelined: Pool;
  private readonly clock: Clock;
  private readonly sql;
  private closed = false;
  private logId: string | undefined;
  /** The events table has no leaf v2 columns yet (opened by a reader): read with defaults, migrated by the first write. */
  private legacy = false;
  private readonly salt: () => string;
  private readonly newLogLeafVersion: 1 | 2;

  /** Use `PostgresEventStore.open`, which also creates the schema; the constructor does no I/O. */
  constructor(connectionString: string, options: PostgresEventStoreOptions = {}) {
    this.schema = options.schema ?? schemaParameter(connectionString) ?? 'public';
    this.source = { kind: 'postgres', connectionString, schema: this.schema };
    this.clock = options.clock ?? systemClock;
    this.salt = saltSource(options.random ?? systemRandom);
    this.newLogLeafVersion = options.newLogLeafVersion ?? 2;
    this.db = new Pool({ connectionString, max: options.poolSize ?? 10, options: SESSION_SETTINGS });
    // Group commits: their statements are pipelined (sent without waiting for the answer to the
    // one before), so a group costs two round trips to the server. A pool of their own: a
    // pipelined connection cannot hold a cursor, which readers may want.
    this.pipelined = new Pool({ connectionString, max: 2, pipeline: true, options: SESSION_SETTINGS });
    this.pipelined.on('error', () => undefined);
    // An idle connection that dies (server restart, network) emits 'error' on the pool; without a
    // listener that would crash the process. The pool drops the client; the next query reconnects.
    this.db.on('error', () => undefined);
    const s = quoteIdentifier(this.schema);
    // lock_timeout 0 would wait without end: the least bound is 1 ms.
    const lockTimeout = Math.max(1, Math.floor(options.writeWaitMs ?? DEFAULT_WRITE_WAIT_MS));
    const events = `${s}.events`;
    const head = `${s}.log_head`;
    const unnest =
      `SELECT p, e, s, r, t, l, o, a, d, decode(h, 'hex'), decode(c, 'hex'), v, decode(m, 'hex'), decode(k, 'hex') ` +
      `FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], ` +
      `$12::smallint[], $13::text[], $14::text[]) ` +
      `AS u(p, e, s, r, t, l, o, a, d, h, c, v, m, k)`;
    this.sql = {
      events,
      head,
      meta: `${s}.ledger_meta`,
      // One round trip: open the transaction, make its commit durable, bound the wait for the
      // writers' lock (past it: 55P03, a 503 busy), take it. synchronous_commit is only raised
      // from `off` (an admin's `remote_apply` is left alone).
      beginWrite:
        `BEGIN ISOLATION LEVEL READ COMMITTED; ` +
        `SELECT set_config('synchronous_commit', 'on', true) WHERE current_setting('synchronous_commit') = 'off'; ` +
        `SELECT set_config('lock_timeout', '${lockTimeout}ms', true); ` +
        `SELECT position, recorded_at, encode(chain, 'hex') AS chain FROM ${head} FOR UPDATE; ` +
        // Read under the lock: another process may have moved the log to leaf v2 (useLeafV2).
        `SELECT value FROM ${s}.ledger_meta WHERE key = 'leaf_v2_from'`,
      readV2From: `SELECT value FROM ${s}.ledger_meta WHERE key = 'leaf_v2_from'`,
      setV2From: `INSERT INTO ${s}.ledger_meta (key, value) VALUES ('leaf_v2_from', $1) ON CONFLICT (key) DO NOTHING`,
      streamStart: `SELECT position, recorded_at FROM ${events} WHERE stream_id = $1 ORDER BY stream_revision LIMIT 1`,
      erase:
        `UPDATE ${events} SET event_id = 'erased:' || position, stream_id = 'erased:' || position, stream_revision = 0, ` +
        `learner_id = NULL, occurred_at = '', data = '', salt = NULL, erased = TRUE WHERE stream_id = $1`,
      readHead: `SELECT position, recorded_at, encode(chain, 'hex') AS chain FROM ${head}`,
      // Looked up id by id: one probe of the event-id index each (`byIds`), whatever the
      // planner believes of the table. `event_id = ANY($1)` was planned, on a table not analyzed
      // yet (any bulk-loaded one; autovacuum may be off or behind), as a scan of the whole table
      // per look-up: every batch of a load scanned the log, quadratic in the log.
      byEventIds: `SELECT ${READ_COLUMNS} FROM ${byIds(events)}`,
      // An append's context in one round trip per chunk: the rows of the ids already present
      // (kind 'event'), then the last revision of each stream (kind 'stream'; one backward
      // probe of the (stream_id, stream_revision) index per stream, NULL when it does not exist).
      context:
        `SELECT 'event' AS kind, ${READ_COLUMNS} FROM ${byIds(events)} ` +
        `UNION ALL ` +
        `SELECT 'stream', NULL, NULL, u.id, (SELECT max(stream_revision) FROM ${events} WHERE stream_id = u.id), ` +
        `NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM unnest($2::text[]) AS u(id) ` +
        // With $3, the erasure streams (erasureStreamOf: `erasure-<learner>`), all of them, as one
        // range of the (stream_id, stream_revision) index (COLLATE "C": byte order, so '.' follows
        // '-'): one per erased learner, where a probe per learner of the request found none nearly always.
        `UNION ALL ` +
        `SELECT 'stream', NULL, NULL, stream_id, max(stream_revision), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL ` +
        `FROM ${events} WHERE $3::boolean AND stream_id >= 'erasure-' AND stream_id < 'erasure.' GROUP BY stream_id`,
      insert: `INSERT INTO ${events} (${COLUMNS}) ${unnest}`,
      // The last chunk of a unit also moves the head: the unit's rows and its head go together.
      insertAndMoveHead:
        `WITH inserted AS (INSERT INTO ${events} (${COLUMNS}) ${unnest}) ` +
        `UPDATE ${head} SET position = $15, recorded_at = $16, chain = decode($17, 'hex')`,
      copy: `COPY ${events} (${COLUMNS}) FROM STDIN`,
      moveHead: `UPDATE ${head} SET position = $1, recorded_at = $2, chain = decode($3, 'hex')`,
      readStream: `SELECT ${READ_COLUMNS} FROM ${events} WHERE stream_id = $1 ORDER BY stream_revision`,
      page: `SELECT ${READ_COLUMNS} FROM ${events} WHERE position >= $1 AND position <= $2 ORDER BY position LIMIT $3`,
      typedPage: `SELECT ${READ_COLUMNS} FROM ${events} WHERE position >= $1 AND position <= $2 AND type = ANY($4) ORDER BY position LIMIT $3`,
    };
  }

  /**
   * Connects, creates the schema and tables if missing (with `create: false`, a schema without
   * the `events` table is refused and nothing is created), and returns the store.
   */
  static async open(connectionString: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(connectionString, options);
    try {
      await store.migrate(options.create !== false, options.migrate !== false);
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /**
   * Creates what is missing: the schema, the tables, the head row. Idempotent, and safe when
   * several processes start at once: a transaction-scoped advisory lock on the schema name
   * serializes them (`CREATE ... IF NOT EXISTS` alone can still fail on a concurrent create).
   * Only what is missing is created, so a role without CREATE rights can open existing tables.
   * Without `create`, a ledger is there when its `events` table is: otherwise this throws
   * `LedgerNotFoundError` and rolls back, having created nothing.
   */
  async migrate(create = true, upgrade = true): Promise<void> {
    const { events, head, meta } = this.sql;
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`impact-ledger:migrate:${this.schema}`]);
      const found = await client.query<{ database: string; schema: boolean; events: boolean; head: boolean; meta: boolean; leaf_v2: boolean }>(
        `SELECT current_database() AS database, EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS schema,
                to_regclass($2) IS NOT NULL AS events, to_regclass($3) IS NOT NULL AS head, to_regclass($4) IS NOT NULL AS meta,
                EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($2) AND attname = 'erased' AND NOT attisdropped) AS leaf_v2`,
        [this.schema, events, head, meta],
      );
      const exists = found.rows[0];
      if (!create && !exists?.events) {
        throw new LedgerNotFoundError(
          `PostgreSQL database ${exists?.database ?? '?'}, schema ${this.schema}`,
          exists?.schema ? 'the schema has no events table' : 'the schema does not exist',
        );
      }
      if (!exists?.schema) await client.query(`CREATE SCHEMA ${quoteIdentifier(this.schema)}`);
      if (!exists?.events) {
        await client.query(`
          CREATE TABLE ${events} (
            position        BIGINT  NOT NULL,
            event_id        TEXT    COLLATE "C" NOT NULL,
            stream_id       TEXT    COLLATE "C" NOT NULL,
            stream_revision INTEGER NOT NULL,
            type            TEXT    NOT NULL,
            learner_id      TEXT,
            occurred_at     TEXT    NOT NULL,
            recorded_at     TEXT    NOT NULL,
            data            TEXT    NOT NULL,
            hash            BYTEA   NOT NULL,
            chain           BYTEA   NOT NULL,
            leaf_version    SMALLINT NOT NULL DEFAULT 1,
            commitment      BYTEA,
            salt            BYTEA,
            erased          BOOLEAN NOT NULL DEFAULT FALSE,
            CONSTRAINT ${CONSTRAINT.position} PRIMARY KEY (position),
            CONSTRAINT ${CONSTRAINT.eventId} UNIQUE (event_id),
            CONSTRAINT ${CONSTRAINT.streamRevision} UNIQUE (stream_id, stream_revision),
            CONSTRAINT events_position_positive CHECK (position > 0),
            CONSTRAINT events_revision_non_negative CHECK (stream_revision >= 0)
          )`);
      }
      // A ledger made before leaf v2: its rows are v1 and not erased (no rewrite: constant defaults).
      else if (!exists.leaf_v2 && !upgrade) this.legacy = true;
      else if (!exists.leaf_v2) {
        this.legacy = false;
        await client.query(
          `ALTER TABLE ${events} ADD COLUMN IF NOT EXISTS leaf_version SMALLINT NOT NULL DEFAULT 1, ` +
            `ADD COLUMN IF NOT EXISTS commitment BYTEA, ADD COLUMN IF NOT EXISTS salt BYTEA, ` +
            `ADD COLUMN IF NOT EXISTS erased BOOLEAN NOT NULL DEFAULT FALSE`,
        );
      }
      // Looked for first, like the tables: a role that may only read opens a ledger that has them.
      if (upgrade) {
        for (const index of POSTGRES_SECONDARY_INDEXES) {
          const there = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [`${quoteIdentifier(this.schema)}.${index.name}`]);
          if (there.rows[0]?.found !== true) await client.query(index.create(events));
        }
      }
      if (!exists?.head) {
        await client.query(`
          CREATE TABLE ${head} (
            singleton   BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
            position    BIGINT  NOT NULL,
            recorded_at TEXT,
            chain       BYTEA   NOT NULL
          )`);
      }
      // The head row, from the last event if the events table already holds some. Looked for
      // first: a ledger that has it takes no write here (a role that may only read opens it).
      const hasHead = exists?.head === true && ((await client.query(`SELECT 1 FROM ${head}`)).rowCount ?? 0) > 0;
      if (!hasHead) await client.query(
        `INSERT INTO ${head} (singleton, position, recorded_at, chain)
         SELECT TRUE, coalesce(last.position, 0), last.recorded_at, coalesce(last.chain, decode($1, 'hex'))
         FROM (SELECT 1) AS one
         LEFT JOIN (SELECT position, recorded_at, chain FROM ${events} ORDER BY position DESC LIMIT 1) AS last ON TRUE
         ON CONFLICT (singleton) DO NOTHING`,
        [EMPTY_HEAD.chain],
      );
      if (!exists?.meta) await client.query(`CREATE TABLE ${meta} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      // Made with the log, or on the first open of a log made before logs had ids (under the lock above).
      const readId = async () => (await client.query<{ value: string }>(`SELECT value FROM ${meta} WHERE key = 'log_id'`)).rows[0]?.value;
      let logId = await readId();
      if (logId === undefined) {
        await client.query(`INSERT INTO ${meta} (key, value) VALUES ('log_id', $1)`, [randomUUID()]);
        logId = await readId();
      }
      this.logId = logId;
      // A log with no event yet writes leaf v2 from position 1; one that holds events without the key stays v1 (useLeafV2).
      const decided = exists?.meta === true && exists.events && ((await client.query(`SELECT 1 FROM ${meta} WHERE key = 'leaf_v2_from' UNION ALL SELECT 1 FROM ${events} LIMIT 1`)).rowCount ?? 0) > 0;
      if (this.newLogLeafVersion === 2 && !decided) {
        await client.query(
          `INSERT INTO ${meta} (key, value) SELECT 'leaf_v2_from', '1' WHERE NOT EXISTS (SELECT 1 FROM ${events}) ON CONFLICT (key) DO NOTHING`,
        );
      }
    });
  }

  async append(request: AppendRequest): Promise<AppendedEvent[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        request.signal?.throwIfAborted();
        return await this.write(async (client, head, v2From) => {
          const { outcomes } = await this.appendUnit(client, request, head, v2From);
          await readyOrAborted(request); // written, not committed, until the caller's checks pass
          request.signal?.throwIfAborted(); // cancelled: rolled back by write()
          return outcomes;
        });
      } catch (error) {
        if (attempt < RACE_ATTEMPTS && isRaceConflict(error)) continue;
        throw toPortError(error, request);
      }
    }
  }

  /**
   * Every unit of the group in one write transaction of a few round trips, whatever the group's
   * size: the head lock, one context read for all units (their ids and streams together), the
   * plans made in memory unit after unit (each unit sees the ones before it: their events as
   * present, their streams' revisions, their head), one insert of every unit's rows that moves
   * the head, the commit. A unit the plan refuses (a wrong expected revision, a reused id with
   * other content, an erased learner) gets its error and writes nothing; the others are not
   * affected. If the insert itself fails (a writer that bypassed the head lock, a row the
   * server refuses), nothing was committed, and the group is made again unit by unit, each in
   * a savepoint, so that only the unit at fault fails.
   */
  async appendGroup(requests: readonly AppendRequest[]): Promise<Array<AppendedEvent[] | Error>> {
    await allReady(requests);
    await this.writable();
    try {
      return await this.withClient((client) => this.appendBatch(client, requests), this.pipelined);
    } catch (error) {
      if (!(error instanceof BatchInsertFailed)) throw error;
      return this.appendGroupByUnits(requests);
    }
  }

  /**
   * A group on a pipelined connection: round trip 1 sends the head lock (`beginWrite`) and the
   * context reads together (the server runs them in order: the reads run under the lock);
   * round trip 2 sends the inserts and COMMIT together (an insert that fails aborts the
   * transaction, and the COMMIT behind it then rolls back: nothing of the group is stored).
   */
  private async appendBatch(client: PoolClient, requests: readonly AppendRequest[]): Promise<Array<AppendedEvent[] | Error>> {
    const ids = new Set<string>();
    const streams = new Set<string>();
    let erasures = false; // whether the erasure streams are to be read (a unit has learners' events)
    for (const request of requests) {
      for (const event of request.events) ids.add(event.eventId);
      for (const stream of streamsOf(request)) streams.add(stream);
      if (!erasures) erasures = hasLearnerEvents(request);
    }
    const idChunks = chunks([...ids], LOOKUP_CHUNK);
    const streamChunks = chunks([...streams], LOOKUP_CHUNK);
    const begin = client.query(this.sql.beginWrite) as unknown as Promise<Array<{ rows: unknown[] }>>;
    const reads = Array.from({ length: Math.max(idChunks.length, streamChunks.length) }, (_, i) =>
      client.query<ContextRow>(this.sql.context, [idChunks[i] ?? [], streamChunks[i] ?? [], erasures && i === 0]),
    );
    for (const query of reads) query.catch(() => undefined); // handled below, in order
    // The lock's own failure (busy) is the one to report, not the reads aborted behind it.
    const { head: startHead, v2From } = this.openedWrite(await begin);
    const read = await inOrder(reads);
    const existing = new Map<string, LogRecord>();
    const streamRevisions = new Map<string, number>();
    for (const result of read) {
      for (const row of result.rows) {
        if (row.kind === 'event') existing.set(row.event_id, toRecord(row));
        else if (row.stream_revision !== null) streamRevisions.set(row.stream_id, row.stream_revision);
      }
    }
    const erasedLearners = { get: (learnerId: string) => streamRevisions.has(erasureStreamOf(learnerId)) };
    let head = startHead;
    const records: LogRecord[] = [];
    const results: Array<AppendedEvent[] | Error> = [];
    for (const request of requests) {
      let plan: AppendPlan;
      try {
        plan = planAppend(request, {
          head,
          existing,
          streamRevisions,
          now: this.clock(),
          erasedLearners,
          ...(v2From === null ? {} : { salt: this.salt }),
        });
      } catch (error) {
        results.push(asError(toPortError(error, request)));
        continue;
      }
      // The next units build on this one: positions stay gapless, its events are present, its streams moved.
      for (const record of plan.records) {
        records.push(record);
        existing.set(record.eventId, record);
        streamRevisions.set(record.streamId, record.streamRevision);
      }
      head = plan.head;
      results.push(plan.outcomes);
    }
    const inserts = chunks(records, INSERT_CHUNK).map((part, i, parts) =>
      i < parts.length - 1
        ? client.query({ name: 'insert', text: this.sql.insert, values: columnsOf(part) })
        : client.query({ name: 'insert-and-move-head', text: this.sql.insertAndMoveHead, values: [...columnsOf(part), head.position, head.recordedAt, head.chain] }),
    );
    const commit = client.query('COMMIT');
    commit.catch(() => undefined); // awaited below, once the inserts are
    try {
      await inOrder(inserts);
    } catch (error) {
      await commit.catch(() => undefined); // a rollback: the transaction is aborted
      throw new BatchInsertFailed(error);
    }
    await commit;
    return results;
  }

  /** The old way of a group: unit by unit, each in a savepoint (a few round trips per unit). */
  private async appendGroupByUnits(requests: readonly AppendRequest[]): Promise<Array<AppendedEvent[] | Error>> {
    return this.write(async (client, startHead, v2From) => {
      let head = startHead;
      const results: Array<AppendedEvent[] | Error> = [];
      for (const request of requests) {
        await client.query('SAVEPOINT unit');
        for (let attempt = 1; ; attempt += 1) {
          try {
            const plan = await this.appendUnit(client, request, head, v2From);
            await client.query('RELEASE SAVEPOINT unit');
            head = plan.head; // the next unit builds on this one: positions stay gapless
            results.push(plan.outcomes);
            break;
          } catch (error) {
            // If the connection is gone this throws too, and the whole group fails (nothing committed).
            await client.query('ROLLBACK TO SAVEPOINT unit');
            if (attempt < RACE_ATTEMPTS && isRaceConflict(error)) continue;
            await client.query('RELEASE SAVEPOINT unit');
            results.push(asError(toPortError(error, request)));
            break;
          }
        }
      }
      return results;
    });
  }

  async readStream(streamId: string): Promise<LogRecord[]> {
    const result = await this.db.query<EventRow>(this.read(this.sql.readStream), [streamId]);
    return result.rows.map(toRecord);
  }

  async findEvents(eventIds: readonly string[]): Promise<Map<string, LogRecord>> {
    const byId = new Map<string, LogRecord>();
    for (const chunk of chunks([...new Set(eventIds)], LOOKUP_CHUNK)) {
      const result = await this.db.query<EventRow>(this.read(this.sql.byEventIds), [chunk]);
      for (const row of result.rows) byId.set(row.event_id, toRecord(row));
    }
    // In the order asked for.
    const found = new Map<string, LogRecord>();
    for (const id of eventIds) {
      const record = byId.get(id);
      if (record) found.set(id, record);
    }
    return found;
  }

  /**
   * Keyset pages on the primary key: each page is one indexed range scan from the last
   * position seen, so catching up costs the same per page at any depth of the log, and
   * memory holds one page. No connection or transaction is held between pages, so a
   * consumer that stops early leaks nothing.
   */
  readAll(fromPosition = 1, options: ReadAllOptions = {}): AsyncIterable<LogRecord> {
    return recordsOf(this.readPages(fromPosition, options));
  }

  /**
   * Pages by ranges of positions: positions are gapless, so page n is the rows of positions
   * [from + n * pageSize, from + (n + 1) * pageSize), bounded by the head read at the start
   * (read again at the end, so that a read goes on while the log grows). A bounded range is
   * one short index range scan whatever the planner believes of the table (a bulk-loaded table
   * not analyzed yet made an open-ended "position >= $1 ... LIMIT" page scan and sort the whole
   * rest of the log, every page). A typed page holds the rows of its range of those types, and
   * may be empty (not yielded). The next page is asked for before the caller works on the
   * current one, so the server reads while the caller folds. A lean read (`withoutHashes`)
   * leaves out the hashes, salts and commitments, a third of each row's bytes.
   */
  async *readPages(fromPosition = 1, options: ReadAllOptions = {}): AsyncIterable<readonly LogRecord[]> {
    const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE));
    const last = Math.floor(options.toPosition ?? Number.MAX_SAFE_INTEGER);
    const lean = options.withoutHashes === true;
    const name = `${this.legacy ? 'legacy-' : ''}${options.types ? 'typed-' : ''}page`;
    const text = this.read(options.types ? this.sql.typedPage : this.sql.page);
    const columns = this.legacy ? LEGACY_READ_COLUMNS : READ_COLUMNS;
    const rows = (from: number, to: number, how: 'full' | 'lean'): Promise<LogRecord[]> =>
      this.db
        .query<EventRow>({
          name: how === 'full' ? name : `lean-${name}`,
          text: how === 'full' ? text : text.split(columns).join(this.legacy ? LEGACY_LEAN_READ_COLUMNS : LEAN_READ_COLUMNS),
          values: options.types ? [from, to, pageSize, options.types] : [from, to, pageSize],
        })
        .then((result) => result.rows.map(toRecord));
    // A lean page comes as one text column a row (LEAN_ROW); a row it cannot split has its page read again as columns.
    const leanRows = async (from: number, to: number): Promise<LogRecord[]> => {
      const result = await this.db.query<[string]>({
        name: `lean-row-${name}`,
        text: text.split(columns).join(this.legacy ? LEGACY_LEAN_ROW : LEAN_ROW),
        values: options.types ? [from, to, pageSize, options.types] : [from, to, pageSize],
        rowMode: 'array',
      });
      const records = new Array<LogRecord>(result.rows.length);
      for (let i = 0; i < records.length; i += 1) {
        const record = leanRecord((result.rows[i] as [string])[0]);
        if (record === undefined) return rows(from, to, 'lean');
        records[i] = record;
      }
      return records;
    };
    const page = (from: number, to: number): Promise<LogRecord[]> => (lean ? leanRows(from, to) : rows(from, to, 'full'));
    let from = Math.max(1, Math.floor(fromPosition));
    // A read of one page at most (a one-record read: positionAt's bisection) needs no head.
    let head = last - from < pageSize ? last : (await this.head()).position;
    const end = () => Math.min(last, head);
    if (from > end()) return;
    let to = Math.min(end(), from + pageSize - 1);
    let pending = page(from, to);
    try {
      for (;;) {
        const result = await pending;
        from = to + 1;
        if (from > end() && from <= last) head = (await this.head()).position; // the log grew meanwhile: read on
        const more = from <= end();
        if (more) {
          to = Math.min(end(), from + pageSize - 1);
          pending = page(from, to);
        }
        if (result.length > 0) yield result;
        if (!more) return;
      }
    } finally {
      pending.catch(() => undefined); // a caller that stopped early: the page asked for ahead is dropped
    }
  }

  async *readLeafHashes(fromPosition: number, toPosition: number): AsyncIterable<Buffer> {
    const page = 65_536;
    let next = Math.max(1, Math.floor(fromPosition));
    while (next <= toPosition) {
      const result = await this.db.query<{ position: string; hash: Buffer }>({
        name: 'leaf-hashes',
        text: `SELECT position, hash FROM ${this.sql.events} WHERE position >= $1 AND position <= $2 ORDER BY position LIMIT $3`,
        values: [next, Math.floor(toPosition), page],
      });
      if (result.rows.length > 0) yield Buffer.concat(result.rows.map((r) => r.hash));
      const tail = result.rows[result.rows.length - 1];
      if (result.rows.length < page || !tail) return;
      next = toSafeInteger(tail.position, 'position') + 1;
    }
  }

  async head(): Promise<LogHead> {
    const result = await this.db.query<HeadRow>({ name: 'read-head', text: this.sql.readHead });
    return toHead(result.rows[0]);
  }

  async identity(): Promise<LogIdentity> {
    if (this.logId === undefined) throw new Error('postgres event store: no log id; open it with PostgresEventStore.open');
    return { logId: this.logId };
  }

  async leafFormat(): Promise<LeafFormat> {
    const result = await this.db.query<{ value: string }>(this.sql.readV2From);
    return { v2From: v2FromOf(result.rows[0]) };
  }

  async useLeafV2(): Promise<LeafFormat> {
    return this.write(async (client, head, v2From) => {
      if (v2From !== null) return { v2From };
      await client.query(this.sql.setV2From, [String(head.position + 1)]);
      return { v2From: head.position + 1 };
    });
  }

  async eraseLearner(learnerId: string, request: ErasureRequest): Promise<ErasureOutcome> {
    const valid = checkedErasure(learnerId, request);
    return this.write(async (client, head, v2From) => {
      const before = (await client.query<{ position: string; recorded_at: string }>(this.sql.streamStart, [erasureStreamOf(learnerId)])).rows[0];
      if (before) return { status: 'already-erased', learnerId, position: toSafeInteger(before.position, 'position'), recordedAt: before.recorded_at };
      const erasedEvents = (await client.query(this.sql.erase, [`learner-${learnerId}`])).rowCount ?? 0;
      if (erasedEvents === 0) throw unknownLearner(learnerId);
      const plan = await this.appendUnit(client, { events: [learnerErasedEvent(learnerId, valid)] }, head, v2From, true);
      const appended = plan.outcomes[0];
      if (appended?.status !== 'appended') {
        throw new ErasureRefusedError('invalid-request', `event id ${valid.eventId} is already in the log: an erasure needs a new event id`, [
          { field: 'eventId', message: 'is already in the log' },
        ]);
      }
      return { status: 'erased', learnerId, erasedEvents, position: appended.position, recordedAt: appended.recordedAt };
    });
  }

  async saveCheckpoint(checkpoint: StoredCheckpoint, frontier?: Buffer): Promise<void> {
    const table = `${quoteIdentifier(this.schema)}.checkpoints`;
    // Made by the first checkpoint (under the migration's lock), not at open: a role that may
    // only read still opens a ledger that has none.
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`impact-ledger:migrate:${this.schema}`]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${table} (seq BIGSERIAL PRIMARY KEY, tree_size BIGINT NOT NULL, signed_at TEXT NOT NULL, note TEXT NOT NULL)`);
      await client.query(`INSERT INTO ${table} (tree_size, signed_at, note) VALUES ($1, $2, $3)`, [checkpoint.treeSize, checkpoint.signedAt, checkpoint.note]);
      if (frontier !== undefined) {
        const frontiers = `${quoteIdentifier(this.schema)}.checkpoint_frontiers`;
        await client.query(`CREATE TABLE IF NOT EXISTS ${frontiers} (seq BIGSERIAL PRIMARY KEY, tree_size BIGINT NOT NULL, frontier BYTEA NOT NULL)`);
        await client.query(`INSERT INTO ${frontiers} (tree_size, frontier) VALUES ($1, $2)`, [checkpoint.treeSize, frontier]);
      }
    });
  }

  async checkpointFrontier(treeSize: number): Promise<Buffer | null> {
    const table = `${quoteIdentifier(this.schema)}.checkpoint_frontiers`;
    const found = await this.db.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [table]);
    if (found.rows[0]?.exists !== true) return null;
    const rows = await this.db.query<{ frontier: Buffer }>(`SELECT frontier FROM ${table} WHERE tree_size = $1 ORDER BY seq DESC LIMIT 1`, [treeSize]);
    return rows.rows[0]?.frontier ?? null;
  }

  async checkpoints(limit?: number): Promise<StoredCheckpoint[]> {
    const table = `${quoteIdentifier(this.schema)}.checkpoints`;
    const found = await this.db.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [table]);
    if (found.rows[0]?.exists !== true) return [];
    const rows = await this.db.query<{ tree_size: string; signed_at: string; note: string }>(
      `SELECT tree_size, signed_at, note FROM ${table} ORDER BY seq DESC LIMIT $1`,
      [limit ?? null],
    );
    return rows.rows.reverse().map((r) => ({ treeSize: toSafeInteger(r.tree_size, 'tree_size'), signedAt: r.signed_at, note: r.note }));
  }

  async saveCosignatures(cosignatures: readonly StoredCosignature[]): Promise<number> {
    if (cosignatures.length === 0) return 0;
    const table = `${quoteIdentifier(this.schema)}.checkpoint_cosignatures`;
    // Append-only: rows are only inserted; one already kept (same checkpoint, same line) is skipped.
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`impact-ledger:migrate:${this.schema}`]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${table} (seq BIGSERIAL PRIMARY KEY, tree_size BIGINT NOT NULL, checkpoint TEXT NOT NULL, witness TEXT NOT NULL, line TEXT NOT NULL, cosigned_at BIGINT NOT NULL, received_at TEXT NOT NULL, UNIQUE (checkpoint, line))`,
      );
      await client.query(`CREATE INDEX IF NOT EXISTS checkpoint_cosignatures_size ON ${table} (tree_size)`);
      let added = 0;
      for (const c of cosignatures) {
        const result = await client.query(
          `INSERT INTO ${table} (tree_size, checkpoint, witness, line, cosigned_at, received_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (checkpoint, line) DO NOTHING`,
          [c.treeSize, c.checkpoint, c.witness, c.line, c.cosignedAt, c.receivedAt],
        );
        added += result.rowCount ?? 0;
      }
      return added;
    });
  }

  async cosignatures(treeSize: number): Promise<StoredCosignature[]> {
    const table = `${quoteIdentifier(this.schema)}.checkpoint_cosignatures`;
    const found = await this.db.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [table]);
    if (found.rows[0]?.exists !== true) return [];
    const rows = await this.db.query<{ tree_size: string; checkpoint: string; witness: string; line: string; cosigned_at: string; received_at: string }>(
      `SELECT tree_size, checkpoint, witness, line, cosigned_at, received_at FROM ${table} WHERE tree_size = $1 ORDER BY seq`,
      [treeSize],
    );
    return rows.rows.map((r) => ({
      treeSize: toSafeInteger(r.tree_size, 'tree_size'),
      checkpoint: r.checkpoint,
      witness: r.witness,
      line: r.line,
      cosignedAt: toSafeInteger(r.cosigned_at, 'cosigned_at'),
      receivedAt: r.received_at,
    }));
  }

  /**
   * What erasure leaves in the table's files goes (docs/erasure.md): the old row versions are
   * dead tuples until VACUUM, and a plain VACUUM marks their space free without overwriting it,
   * so the table and its indexes are rewritten (VACUUM FULL, an exclusive lock while it runs).
   */
  async vacuumErased(): Promise<void> {
    await this.db.query(`VACUUM FULL ${this.sql.events}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.db.end(), this.pipelined.end()]);
  }

  /** A reading query, on the table as it is: a legacy table's missing columns read as their defaults. */
  private read(text: string): string {
    return this.legacy ? text.split(READ_COLUMNS).join(LEGACY_READ_COLUMNS) : text;
  }

  /** Before a write: a legacy table is migrated now (by the first write, never by a read). */
  private async writable(): Promise<void> {
    if (this.legacy) await this.migrate(false, true);
  }

  /** The pool, for tools that inspect the tables (tests that tamper with them, benchmarks). */
  get pool(): Pool {
    return this.db;
  }

  /** Reads the context of one unit inside the write transaction, plans it, and writes it. */
  private async appendUnit(client: PoolClient, request: AppendRequest, head: LogHead, v2From: number | null, erasure = false): Promise<AppendPlan> {
    const existing = new Map<string, LogRecord>();
    const streamRevisions = new Map<string, number>();
    const ids = [...new Set(request.events.map((e) => e.eventId))];
    const large = request.events.length >= COPY_FROM;
    // The erasure streams of the request's learners too: one that exists means an erased learner.
    // A large unit first reads no event ids (below).
    await this.readContext(client, large ? [] : ids, streamsOf(request), existing, streamRevisions, hasLearnerEvents(request));
    const context: AppendContext = {
      head,
      existing,
      streamRevisions,
      now: this.clock(),
      erasedLearners: { get: (learnerId) => streamRevisions.has(erasureStreamOf(learnerId)) },
      erasure,
      ...(v2From === null ? {} : { salt: this.salt }),
    };
    if (!large) {
      const plan = planAppend(request, context);
      await this.insertRecords(client, plan.records, plan.head, request.signal);
      return plan;
    }
    // A large unit (an import, a batch of a recorded history) is new events as a rule: it is
    // copied without looking its ids up first (the COPY's own insert into the event-id index
    // finds any already there, and that look-up was as many index probes again). If anything
    // refuses it (an id already in the log, or a refusal of the plan that the ids could change:
    // an expected revision that an event already present would answer), it is made again from
    // a savepoint, its ids read first, as any unit is.
    await client.query('SAVEPOINT unread_ids');
    try {
      return await this.copyUnit(client, request, head, context, existing);
    } catch (error) {
      if (request.signal?.aborted === true) throw error;
      await client.query('ROLLBACK TO SAVEPOINT unread_ids');
    }
    const present = new Map<string, LogRecord>();
    await this.readContext(client, ids, [], present, new Map(), false);
    return this.copyUnit(client, request, head, { ...context, existing: present }, present);
  }

  /**
   * A large unit through COPY, the server's bulk path, opened before the plan: each record is
   * sent as soon as it is sealed, so the server stores the rows while this process seals the
   * next ones. The plan hands each sealed record to the writer, which answers whether it is new:
   * present in `existing` (the context read) or earlier in this request means not written, and
   * the plan reports it present.
   */
  private async copyUnit(client: PoolClient, request: AppendRequest, head: LogHead, context: AppendContext, existing: Map<string, LogRecord>): Promise<AppendPlan> {
    const copy = await openCopy(client, this.sql.copy);
    let rows = '';
    let pending = 0;
    const write = (record: LogRecord): boolean => {
      if (existing.has(record.eventId)) return false;
      existing.set(record.eventId, record);
      rows += copyRow(record);
      if ((pending += 1) === COPY_SEND) {
        copy.write(rows);
        rows = '';
        pending = 0;
      }
      return true;
    };
    let plan: AppendPlan;
    try {
      plan = planAppend(request, context, write);
      request.signal?.throwIfAborted();
    } catch (error) {
      await copy.fail(error instanceof Error ? error.message : String(error));
      throw error;
    }
    copy.write(rows);
    await copy.end();
    if (plan.head !== head) await client.query({ name: 'move-head', text: this.sql.moveHead, values: [plan.head.position, plan.head.recordedAt, plan.head.chain] });
    return plan;
  }

  /**
   * Reads, inside the write transaction, the records already stored for some event ids and
   * the last revision of some streams: one round trip per chunk. Unnamed statements: planned
   * with the actual arrays and the table as it is now (a plan cached while the table was small
   * would scan it).
   */
  private async readContext(
    client: PoolClient,
    eventIds: readonly string[],
    streamIds: readonly string[],
    existing: Map<string, LogRecord>,
    streamRevisions: Map<string, number>,
    erasures: boolean,
  ): Promise<void> {
    const ids = chunks(eventIds, LOOKUP_CHUNK);
    const streams = chunks(streamIds, LOOKUP_CHUNK);
    for (let i = 0; i < Math.max(ids.length, streams.length, erasures ? 1 : 0); i += 1) {
      const result = await client.query<ContextRow>(this.sql.context, [ids[i] ?? [], streams[i] ?? [], erasures && i === 0]);
      for (const row of result.rows) {
        if (row.kind === 'event') existing.set(row.event_id, toRecord(row));
        else if (row.stream_revision !== null) streamRevisions.set(row.stream_id, row.stream_revision);
      }
    }
  }

  /** Writes sealed records (none: nothing) and moves the head with the last chunk. */
  private async insertRecords(client: PoolClient, records: readonly LogRecord[], head: LogHead, signal?: AbortSignal): Promise<void> {
    const parts = chunks(records, INSERT_CHUNK);
    for (let i = 0; i < parts.length; i += 1) {
      signal?.throwIfAborted();
      const values = columnsOf(parts[i] ?? []);
      if (i < parts.length - 1) {
        await client.query({ name: 'insert', text: this.sql.insert, values });
      } else {
        await client.query({
          name: 'insert-and-move-head',
          text: this.sql.insertAndMoveHead,
          values: [...values, head.position, head.recordedAt, head.chain],
        });
      }
    }
  }

  /** One write transaction: holds the head lock from its first statement to its commit. */
  private async write<T>(work: (client: PoolClient, head: LogHead, v2From: number | null) => Promise<T>): Promise<T> {
    await this.writable();
    return this.withClient(async (client) => {
      const { head, v2From } = this.openedWrite((await client.query(this.sql.beginWrite)) as unknown as Array<{ rows: unknown[] }>);
      const result = await work(client, head, v2From);
      await client.query('COMMIT');
      return result;
    });
  }

  /** What `beginWrite` answered: the head, locked, and where leaf v2 starts. */
  private openedWrite(results: ReadonlyArray<{ rows: unknown[] }>): { head: LogHead; v2From: number | null } {
    const row = results[results.length - 2]?.rows[0] as HeadRow | undefined;
    if (!row) throw new Error(`postgres event store: no head row in ${this.sql.head}; run PostgresEventStore.open first`);
    return { head: toHead(row), v2From: v2FromOf(results[results.length - 1]?.rows[0] as { value: string } | undefined) };
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    });
  }

  /**
   * Runs work on a pooled client; rolls back on failure; throws away a client that cannot roll
   * back. No connection at all (refused, not allowed, timed out) is a store unavailable.
   */
  private async withClient<T>(work: (client: PoolClient) => Promise<T>, pool: Pool = this.db): Promise<T> {
    const client = await pool.connect().catch((error: unknown) => {
      throw new StoreUnavailableError(`postgres event store: no connection to the server: ${asError(error).message}`, { cause: error });
    });
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = asError(rollbackError);
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}


/**
 * The rows of the event ids in `$1` (text[]), one index probe per id: a LATERAL subquery with a
 * LIMIT is never flattened into a join, so the plan is a nested loop over the ids whatever the
 * table's statistics say (event ids are unique: the LIMIT changes no result).
 */
function byIds(events: string): string {
  return `unnest($1::text[]) AS ids(id) CROSS JOIN LATERAL (SELECT * FROM ${events} WHERE event_id = ids.id LIMIT 1) AS e`;
}

/** The columns of some records, as the arrays `unnest` takes ($1..$11). */
function columnsOf(records: readonly LogRecord[]): unknown[] {
  const n = records.length;
  const position = new Array<number>(n);
  const eventId = new Array<string>(n);
  const streamId = new Array<string>(n);
  const streamRevision = new Array<number>(n);
  const type = new Array<string>(n);
  const learnerId = new Array<string | null>(n);
  const occurredAt = new Array<string>(n);
  const recordedAt = new Array<string>(n);
  const data = new Array<string>(n);
  const hash = new Array<string>(n);
  const chain = new Array<string>(n);
  const version = new Array<number>(n);
  const commitment = new Array<string | null>(n);
  const salt = new Array<string | null>(n);
  records.forEach((r, i) => {
    position[i] = r.position;
    eventId[i] = r.eventId;
    streamId[i] = r.streamId;
    streamRevision[i] = r.streamRevision;
    type[i] = r.type;
    learnerId[i] = r.learnerId;
    occurredAt[i] = r.occurredAt;
    recordedAt[i] = r.recordedAt;
    data[i] = r.data;
    hash[i] = r.hash;
    chain[i] = r.chain;
    version[i] = r.leafVersion ?? 1;
    commitment[i] = r.commitment ?? null;
    salt[i] = r.salt ?? null;
  });
  return [position, eventId, streamId, streamRevision, type, learnerId, occurredAt, recordedAt, data, hash, chain, version, commitment, salt];
}

/**
 * The results of pipelined queries, in the order sent; the first failure, in that order, is
 * thrown (after it the transaction is aborted, and the later queries fail only because of it).
 */
async function inOrder<T>(queries: ReadonlyArray<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(queries);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** The insert of a batched group failed: nothing of the group was committed; it is made again unit by unit. */
class BatchInsertFailed extends Error {
  constructor(cause: unknown) {
    super('postgres event store: the insert of a group failed', { cause });
    this.name = 'BatchInsertFailed';
  }
}

interface PgError {
  readonly code?: string;
  readonly constraint?: string;
  readonly detail?: string;
}

function pgErrorOf(error: unknown): PgError | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? (error as PgError) : undefined;
}

/**
 * A unique violation on an event id or a stream revision: with every writer behind the head
 * lock this cannot happen, so it means a writer bypassed the lock and committed a row that the
 * plan could not see. Planning again (on a fresh read) turns it into the right outcome.
 */
function isRaceConflict(error: unknown): boolean {
  const pg = pgErrorOf(error);
  return pg?.code === '23505' && (pg.constraint === CONSTRAINT.eventId || pg.constraint === CONSTRAINT.streamRevision);
}

/**
 * What a unique violation means in the port's terms, when planning again did not resolve it.
 * A position conflict means the head row is out of step with the events table: not a conflict
 * of the caller's, but a damaged store, said as such. Other errors pass through.
 */
function toPortError(error: unknown, request: AppendRequest): unknown {
  const pg = pgErrorOf(error);
  if (pg?.code !== '23505') return error;
  const detail = pg.detail ?? '';
  if (pg.constraint === CONSTRAINT.eventId) {
    const id = /^Key \(event_id\)=\((.*)\) already exists\.$/.exec(detail)?.[1] ?? request.events[0]?.eventId ?? 'unknown';
    return new IdempotencyConflictError(id);
  }
  if (pg.constraint === CONSTRAINT.streamRevision) {
    const match = /^Key \(stream_id, stream_revision\)=\((.*), (\d+)\) already exists\.$/.exec(detail);
    const streamId = match?.[1] ?? 'unknown';
    const actual = match?.[2] === undefined ? 'no-stream' : Number(match[2]);
    return new WrongExpectedRevisionError(streamId, request.expectedRevisions?.get(streamId) ?? 'any', actual);
  }
  if (pg.constraint === CONSTRAINT.position) {
    return new Error(
      `postgres event store: position already taken (${detail}): the log_head row is out of step with the events table ` +
        `(a row written without the head lock?); nothing of this request was stored`,
      { cause: error },
    );
  }
  return error;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * `postgres://host/db?schema=name`: a LEDGER_DB string can name its schema (pg itself ignores
 * the parameter). Read by hand: a connection string is not always a WHATWG URL (socket paths).
 */
function schemaParameter(connectionString: string): string | undefined {
  const value = /[?&]schema=([^&#]*)/.exec(connectionString)?.[1];
  return value === undefined ? undefined : decodeURIComponent(value.replace(/\+/g, ' '));
}

/** `"name"`, with embedded quotes doubled: a schema name is never spliced in raw. */
function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.includes('\0')) throw new Error(`invalid schema name ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** BIGINT comes back from pg as a string: a number only if it is exactly one. */
function toSafeInteger(value: string | number, what: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`postgres event store: ${what} ${value} is not a safe integer`);
  return n;
}

function toHead(row: HeadRow | undefined): LogHead {
  if (!row) return EMPTY_HEAD;
  const position = toSafeInteger(row.position, 'head position');
  return position === 0 ? EMPTY_HEAD : { position, recordedAt: row.recorded_at, chain: row.chain };
}

function toRecord(row: EventRow): LogRecord {
  return {
    position: toSafeInteger(row.position, 'position'),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamRevision: row.stream_revision,
    type: row.type,
    learnerId: row.learner_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    data: row.data,
    hash: row.hash,
    chain: row.chain,
    ...(row.leaf_version === 2 ? { leafVersion: 2 as const } : {}),
    ...(row.commitment === null ? {} : { commitment: row.commitment }),
    ...(row.salt === null ? {} : { salt: row.salt }),
    ...(row.erased ? { erased: true } : {}),
  };
}

/**
 * A lean row (LEAN_ROW) as a record, without hashes; undefined when it does not split into its
 * ten fields with tab-free data (a field held a tab).
 */
function leanRecord(row: string): LogRecord | undefined {
  const t0 = row.indexOf('\t');
  const t1 = row.indexOf('\t', t0 + 1);
  const t2 = row.indexOf('\t', t1 + 1);
  const t3 = row.indexOf('\t', t2 + 1);
  const t4 = row.indexOf('\t', t3 + 1);
  const t5 = row.indexOf('\t', t4 + 1);
  const t6 = row.indexOf('\t', t5 + 1);
  const t7 = row.indexOf('\t', t6 + 1);
  const t8 = row.indexOf('\t', t7 + 1);
  // indexOf from past a -1 starts again at 0, so a missing tab shows as a position that does not grow.
  if (t0 < 0 || t1 <= t0 || t2 <= t1 || t3 <= t2 || t4 <= t3 || t5 <= t4 || t6 <= t5 || t7 <= t6 || t8 <= t7) return undefined;
  const data = row.slice(t8 + 1);
  if (data.includes('\t')) return undefined;
  const flags = row.slice(t7 + 1, t8);
  const record: { -readonly [K in keyof LogRecord]: LogRecord[K] } = {
    position: toSafeInteger(row.slice(0, t0), 'position'),
    eventId: row.slice(t0 + 1, t1),
    streamId: row.slice(t1 + 1, t2),
    streamRevision: toSafeInteger(row.slice(t2 + 1, t3), 'stream_revision'),
    type: row.slice(t3 + 1, t4),
    learnerId: flags.includes('n') ? null : row.slice(t4 + 1, t5),
    occurredAt: row.slice(t5 + 1, t6),
    recordedAt: row.slice(t6 + 1, t7),
    data,
    hash: '',
    chain: '',
  };
  if (flags.startsWith('2')) record.leafVersion = 2;
  if (flags.includes('e')) record.erased = true;
  return record;
}

function v2FromOf(row: { value: string } | undefined): number | null {
  return row === undefined ? null : toSafeInteger(row.value, 'leaf_v2_from');
}
