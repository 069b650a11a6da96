import { randomUUID } from 'node:crypto';
import {
  jsonEvent,
  KurrentDBClient,
  MaxAppendSizeExceededError,
  NO_STREAM,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type { JSONEventData, ResolvedEvent } from '@kurrent/kurrentdb-client';
import { planAppend, streamsOf } from '../append-plan';
import type { ErasureRequest } from '@ledger/events';
import { checkedErasure, erasureNotSupported } from '../erasure';
import type { AppendedEvent, AppendRequest, Clock, CreateOption, ErasureOutcome, EventStore, LeafFormat, LogIdentity, ReadAllOptions, StoredCheckpoint, StoredCosignature } from '../event-store.port';
import { allReady, IdempotencyConflictError, LedgerNotFoundError, readyOrAborted, recordsOf, systemClock, WrongExpectedRevisionError } from '../event-store.port';
import type { LogHead, LogRecord } from '../log-record';
import { EMPTY_HEAD } from '../log-record';
import type { IndexEntry, StoredEvent } from './log-event-codec';
import { eventSize, fromStoredEvent, indexEntryOf, kurrentIdOf, KurrentDbLogError, toEventData } from './log-event-codec';

export { KurrentDbLogError } from './log-event-codec';

/** KurrentDB's default `MaxAppendSize` (bytes, all events of one append): 1 MiB; the server allows at most 16 MiB. */
export const KURRENTDB_DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;

export interface KurrentDbEventStoreOptions extends CreateOption {
  readonly clock?: Clock;
  /** The KurrentDB stream that is the ledger's log. Default `ledger-log`; its identity is in `<logStream>-identity`. */
  readonly logStream?: string;
  /**
   * The server's `MaxAppendSize` (bytes). An atomic unit larger than this is refused before it is
   * sent. Raise it only together with the server setting (`KURRENTDB_MAX_APPEND_SIZE`, at most 16 MiB).
   */
  readonly maxAppendSize?: number;
  /** How many times an append is re-planned when other writers keep moving the head. Default 50. */
  readonly maxHeadRetries?: number;
}

/**
 * An atomic unit is larger than one KurrentDB append may be. Nothing of it was written: this
 * adapter never splits a unit (that would break its all-or-nothing promise).
 */
export class AppendTooLargeError extends Error {
  constructor(
    readonly events: number,
    readonly bytes: number,
    readonly maxAppendSize: number,
  ) {
    super(
      `an atomic append of ${events} events is ${bytes} bytes, over KurrentDB's MaxAppendSize of ${maxAppendSize} bytes ` +
        `(server default 1 MiB, at most 16 MiB with KURRENTDB_MAX_APPEND_SIZE): nothing was written. ` +
        `The KurrentDB adapter keeps every unit atomic, so it refuses rather than split it: send smaller units, ` +
        `or run all-or-nothing bulk imports on the SQLite or PostgreSQL adapter (docs/kurrentdb-adapter.md).`,
    );
    this.name = 'AppendTooLargeError';
  }
}

/** Other writers kept appending to the log stream: the append was re-planned too many times. Nothing was written. */
export class HeadContentionError extends Error {
  constructor(
    readonly logStream: string,
    readonly attempts: number,
  ) {
    super(`KurrentDB log stream ${logStream}: the head moved under ${attempts} attempts in a row; nothing was written`);
    this.name = 'HeadContentionError';
  }
}

/** The calls of the KurrentDB client this adapter makes. */
export type KurrentDbClientLike = Pick<KurrentDBClient, 'appendToStream' | 'readStream' | 'getStreamMetadata'>;

const CONNECTION_STRING = /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//;
/** The one event of a log's identity stream. */
const IDENTITY_EVENT = 'LedgerLogCreated';
/** The events of the checkpoints stream. */
const CHECKPOINT_EVENT = 'LedgerCheckpointSigned';
/** Witness cosignatures go to the same stream, appended after the checkpoint they cosign: the stream stays append-only. */
const COSIGNATURE_EVENT = 'LedgerCheckpointCosigned';
/** Positions closer than this are read in one round trip (reading a few unwanted events is cheaper than a round trip). */
const RUN_GAP = 32;
const MAX_RUN = 4096;
const PARALLEL_READS = 4;

interface UnitPlan {
  readonly outcomes: AppendedEvent[];
  readonly records: LogRecord[];
  readonly events: JSONEventData[];
  readonly bytes: number;
}

type WriteOutcome = { readonly kind: 'written' } | { readonly kind: 'conflict' } | { readonly kind: 'too-large'; readonly maxAppendSize: number };

/**
 * The event store on KurrentDB (docs/kurrentdb-adapter.md).
 *
 * ONE KurrentDB stream is the ledger's log: ledger position N is revision N-1 of it, so positions
 * are gapless and ordered because KurrentDB stream revisions are. A unit is appended with ONE
 * `appendToStream(log, events, { streamState: <head revision> })`: KurrentDB appends the events of
 * one append to one stream atomically, and the expected revision serialises every writer, in this
 * process or another, on the head (optimistic concurrency: a writer that loses re-reads and
 * re-plans; a domain refusal is never retried).
 *
 * Per-stream revisions and eventId look-ups come from an in-process index of the log (eventId →
 * position, stream → positions), built by reading the log on open and brought up to date by
 * reading it forward. It is never trusted for a write: every write is conditional on the head it
 * was planned from, and every refusal is confirmed against a fresh read of the log. Memory: about
 * 135 bytes per event in V8 (47 MB for 350k events); the log is read in full once on open.
 */
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb';
  readonly logStream: string;
  /** The stream holding the log's identity: one event, written with the log (a stream of its own, so no event of the log is anything but a ledger event). */
  readonly identityStream: string;
  private logId: string | undefined;
  private readonly clock: Clock;
  private readonly maxHeadRetries: number;
  private maxAppendSize: number;

  /** The index: what the log holds up to `indexed.position`. Only `indexEntry` changes it, in position order. */
  private indexed: LogHead = EMPTY_HEAD;
  private readonly positionsById = new Map<string, number>();
  private readonly positionsByStream = new Map<string, number[]>();

  private catchingUp: Promise<void> | null = null;
  private catchUpAgain: Promise<void> | null = null;
  private writes: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly client: KurrentDbClientLike,
    options: KurrentDbEventStoreOptions,
    /** Closes the connection on `close()`; null when the caller owns the client. */
    private readonly dispose: (() => Promise<void>) | null,
  ) {
    this.logStream = options.logStream ?? 'ledger-log';
    if (this.logStream === '' || this.logStream.startsWith('$')) {
      throw new TypeError(`logStream ${JSON.stringify(this.logStream)}: give a non-empty stream name that does not start with $`);
    }
    this.identityStream = `${this.logStream}-identity`;
    this.clock = options.clock ?? systemClock;
    this.maxAppendSize = options.maxAppendSize ?? KURRENTDB_DEFAULT_MAX_APPEND_SIZE;
    this.maxHeadRetries = options.maxHeadRetries ?? 50;
  }

  /**
   * Connects (`kurrentdb://`, `kurrent://`, `kdb://`, `esdb://` and their `+discover` forms), checks
   * that the log stream keeps every event, and reads the log to build the index.
   */
  static async open(connectionString: string, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    const trimmed = connectionString.trim();
    if (!CONNECTION_STRING.test(trimmed)) {
      throw new TypeError(
        'KurrentDB connection string must start with kurrentdb://, kurrent://, kdb:// or esdb:// (or their +discover forms), ' +
          'e.g. kurrentdb://localhost:2113?tls=false',
      );
    }
    const client = KurrentDBClient.connectionString(trimmed);
    try {
      return await KurrentDbEventStore.start(new KurrentDbEventStore(client, options, () => client.dispose()), options.create !== false);
    } catch (error) {
      await client.dispose();
      if (error instanceof KurrentDbLogError || error instanceof TypeError || error instanceof LedgerNotFoundError) throw error;
      const where = trimmed.replace(/\/\/[^@/]*@/, '//***@'); // no credentials in messages
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(`could not open the KurrentDB event store at ${where}: ${reason}`, { cause: error });
    }
  }

  /**
   * A store on a client the caller made and keeps (several stores may share one connection;
   * `close()` leaves the client open). Tests use it with a stand-in for the client.
   */
  static async withClient(client: KurrentDbClientLike, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    return KurrentDbEventStore.start(new KurrentDbEventStore(client, options, null), options.create !== false);
  }

  private static async start(store: KurrentDbEventStore, create: boolean): Promise<KurrentDbEventStore> {
    await store.checkLogStream();
    await store.catchUp();
    await store.identify(create);
    return store;
  }

  async append(request: AppendRequest): Promise<AppendedEvent[]> {
    this.assertOpen();
    await readyOrAborted(request); // an append to KurrentDB cannot be held uncommitted: wait for the checks first
    return this.serialised(async () => {
      request.signal?.throwIfAborted();
      const [result] = await this.commitUnits([request]);
      if (result instanceof Error) throw result;
      return result ?? [];
    });
  }

  async appendGroup(requests: readonly AppendRequest[]): Promise<Array<AppendedEvent[] | Error>> {
    this.assertOpen();
    await allReady(requests);
    return this.serialised(() => this.commitUnits(requests));
  }

  async readStream(streamId: string): Promise<LogRecord[]> {
    this.assertOpen();
    await this.catchUp();
    const positions = [...(this.positionsByStream.get(streamId) ?? [])];
    const records = await this.recordsAt(positions);
    return positions.map((position) => this.found(records, position));
  }

  async findEvents(eventIds: readonly string[]): Promise<Map<string, LogRecord>> {
    this.assertOpen();
    await this.catchUp();
    const wanted = new Map<string, number>();
    for (const id of eventIds) {
      const position = this.positionsById.get(id);
      if (position !== undefined) wanted.set(id, position);
    }
    const records = await this.recordsAt([...wanted.values()]);
    const found = new Map<string, LogRecord>();
    for (const [id, position] of wanted) found.set(id, this.found(records, position));
    return found;
  }

  /** Reads the log stream itself, page by page: no index involved, so it is as gapless as KurrentDB's revisions. */
  readAll(fromPosition = 1, options: ReadAllOptions = {}): AsyncIterable<LogRecord> {
    return recordsOf(this.readPages(fromPosition, options));
  }

  async *readPages(fromPosition = 1, options: ReadAllOptions = {}): AsyncIterable<readonly LogRecord[]> {
    this.assertOpen();
    const pageSize = Math.max(1, options.pageSize ?? 2000);
    const last = options.toPosition ?? Number.MAX_SAFE_INTEGER;
    let next = Math.max(1, fromPosition);
    while (next <= last) {
      const count = Math.min(pageSize, last - next + 1);
      const page = await this.readRange(next, count);
      // KurrentDB cannot filter the log stream by type server-side: skip here.
      const types = options.types;
      const kept = types ? page.filter((record) => types.includes(record.type)) : page;
      if (kept.length > 0) yield kept;
      if (page.length < count) return;
      next += page.length;
    }
  }

  async head(): Promise<LogHead> {
    this.assertOpen();
    await this.catchUp();
    return this.indexed;
  }

  async identity(): Promise<LogIdentity> {
    this.assertOpen();
    if (this.logId === undefined) throw new Error(`KurrentDB event store on ${this.logStream}: no log id`);
    return { logId: this.logId };
  }

  /**
   * Leaf v1 always: a salt in an event's metadata could never be erased (KurrentDB events are
   * immutable), so a v2 leaf would promise what this store cannot keep.
   */
  async leafFormat(): Promise<LeafFormat> {
    return { v2From: null };
  }

  async useLeafV2(): Promise<LeafFormat> {
    throw erasureNotSupported(this.kind, 'its events are immutable, so a salt written beside a payload could never be erased: it keeps leaf v1');
  }

  /**
   * Refused, after the request is checked: the log is one KurrentDB stream of immutable events.
   * The server deletes or truncates whole streams only (`$tb`, tombstones), and the event
   * redaction of KurrentDB's commercial edition rewrites event bytes offline, outside any
   * transaction with the `LearnerErased` event (docs/erasure.md).
   */
  async eraseLearner(learnerId: string, request: ErasureRequest): Promise<ErasureOutcome> {
    checkedErasure(learnerId, request);
    throw erasureNotSupported(this.kind, 'its events are immutable: the server can drop whole streams, not one learner\'s payloads inside the log stream');
  }

  /** From the records: the log stream stores each event whole, hash included. */
  async *readLeafHashes(fromPosition: number, toPosition: number): AsyncIterable<Buffer> {
    for await (const page of this.readPages(fromPosition, { toPosition, pageSize: 4096 })) {
      yield Buffer.concat(page.map((record) => Buffer.from(record.hash, 'hex')));
    }
  }

  /** Checkpoints go to a stream of their own, `<logStream>-checkpoints`: the log stream holds ledger events only. */
  async saveCheckpoint(checkpoint: StoredCheckpoint, frontier?: Buffer): Promise<void> {
    this.assertOpen();
    const data = { treeSize: checkpoint.treeSize, signedAt: checkpoint.signedAt, note: checkpoint.note, ...(frontier !== undefined ? { frontier: frontier.toString('base64') } : {}) };
    await this.client.appendToStream(`${this.logStream}-checkpoints`, jsonEvent({ type: CHECKPOINT_EVENT, data }), { requiresLeader: true });
  }

  /** From the `frontier` member (base64) of the latest `LedgerCheckpointSigned` of this size that has one. */
  async checkpointFrontier(treeSize: number): Promise<Buffer | null> {
    this.assertOpen();
    let found: Buffer | null = null;
    for (const event of await this.checkpointStream()) {
      if (event.kind === 'checkpoint' && event.checkpoint.treeSize === treeSize && event.frontier !== undefined) found = Buffer.from(event.frontier, 'base64');
    }
    return found;
  }

  async checkpoints(limit?: number): Promise<StoredCheckpoint[]> {
    this.assertOpen();
    const found: StoredCheckpoint[] = [];
    for (const event of await this.checkpointStream()) if (event.kind === 'checkpoint') found.push(event.checkpoint);
    return limit === undefined ? found : found.slice(Math.max(0, found.length - limit));
  }

  /** Appended to the checkpoints stream as `LedgerCheckpointCosigned` events; one already there is not appended again. */
  async saveCosignatures(cosignatures: readonly StoredCosignature[]): Promise<number> {
    this.assertOpen();
    const kept = new Set<string>();
    for (const event of await this.checkpointStream()) if (event.kind === 'cosignature') kept.add(`${event.cosignature.checkpoint}\n${event.cosignature.line}`);
    const fresh = cosignatures.filter((c) => {
      const id = `${c.checkpoint}\n${c.line}`;
      if (kept.has(id)) return false;
      kept.add(id);
      return true;
    });
    if (fresh.length === 0) return 0;
    await this.client.appendToStream(
      `${this.logStream}-checkpoints`,
      fresh.map((c) => jsonEvent({ type: COSIGNATURE_EVENT, data: { ...c } })),
      { requiresLeader: true },
    );
    return fresh.length;
  }

  async cosignatures(treeSize: number): Promise<StoredCosignature[]> {
    this.assertOpen();
    const found: StoredCosignature[] = [];
    const seen = new Set<string>();
    for (const event of await this.checkpointStream()) {
      if (event.kind !== 'cosignature' || event.cosignature.treeSize !== treeSize) continue;
      // Two writers racing may both append one: it is read once.
      const id = `${event.cosignature.checkpoint}\n${event.cosignature.line}`;
      if (!seen.has(id)) found.push(event.cosignature);
      seen.add(id);
    }
    return found;
  }

  /** The checkpoints stream, decoded; a missing stream is empty. */
  private async checkpointStream(): Promise<Array<{ kind: 'checkpoint'; checkpoint: StoredCheckpoint; frontier?: string } | { kind: 'cosignature'; cosignature: StoredCosignature }>> {
    const found: Array<{ kind: 'checkpoint'; checkpoint: StoredCheckpoint; frontier?: string } | { kind: 'cosignature'; cosignature: StoredCosignature }> = [];
    try {
      for await (const resolved of this.client.readStream(`${this.logStream}-checkpoints`, { requiresLeader: true })) {
        if (resolved.event?.type === COSIGNATURE_EVENT) {
          const c = resolved.event.data as Partial<StoredCosignature> | undefined;
          if (
            typeof c?.treeSize !== 'number' ||
            typeof c.checkpoint !== 'string' ||
            typeof c.witness !== 'string' ||
            typeof c.line !== 'string' ||
            typeof c.cosignedAt !== 'number' ||
            typeof c.receivedAt !== 'string'
          ) {
            throw new KurrentDbLogError(this.logStream, `${this.logStream}-checkpoints holds a ${COSIGNATURE_EVENT} without its fields`);
          }
          found.push({ kind: 'cosignature', cosignature: { treeSize: c.treeSize, checkpoint: c.checkpoint, witness: c.witness, line: c.line, cosignedAt: c.cosignedAt, receivedAt: c.receivedAt } });
          continue;
        }
        const data = resolved.event?.data as (Partial<StoredCheckpoint> & { frontier?: unknown }) | undefined;
        if (resolved.event?.type !== CHECKPOINT_EVENT || typeof data?.note !== 'string' || typeof data.treeSize !== 'number' || typeof data.signedAt !== 'string') {
          throw new KurrentDbLogError(this.logStream, `${this.logStream}-checkpoints holds an event that is neither a ${CHECKPOINT_EVENT} nor a ${COSIGNATURE_EVENT}`);
        }
        found.push({
          kind: 'checkpoint',
          checkpoint: { treeSize: data.treeSize, signedAt: data.signedAt, note: data.note },
          ...(typeof data.frontier === 'string' ? { frontier: data.frontier } : {}),
        });
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return found;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writes;
    if (this.dispose !== null) await this.dispose();
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /**
   * Plans the units on one snapshot of the index, writes the longest prefix of them that fits in
   * one append, and goes on with the rest; re-plans when the head moved. Each unit is atomic.
   */
  private async commitUnits(units: readonly AppendRequest[]): Promise<Array<AppendedEvent[] | Error>> {
    const results: Array<AppendedEvent[] | Error> = [];
    let conflicts = 0;
    while (results.length < units.length) {
      const pending = units.slice(results.length);
      let planned = await this.planUnits(pending);
      if (planned.results.some(isDomainRefusal)) {
        // A refusal must rest on the log as it is, not on what this process last read of it.
        await this.catchUp();
        planned = await this.planUnits(pending);
      }

      // The longest prefix of units that fits in one append (a unit is never split).
      const settled: Array<AppendedEvent[] | Error> = [];
      const batch: UnitPlan[] = [];
      let bytes = 0;
      for (const result of planned.results) {
        if (result instanceof Error) {
          settled.push(result);
          continue;
        }
        if (bytes + result.bytes > this.maxAppendSize) {
          if (batch.length === 0) settled.push(new AppendTooLargeError(result.events.length, result.bytes, this.maxAppendSize));
          break; // the units after this one were planned on top of it: plan them again
        }
        settled.push(result.outcomes);
        batch.push(result);
        bytes += result.bytes;
      }

      const events = batch.flatMap((plan) => plan.events);
      const records = batch.flatMap((plan) => plan.records);
      const lastRecord = records[records.length - 1];
      if (lastRecord !== undefined) {
        const outcome = await this.write(planned.head, events, lastRecord);
        if (outcome.kind === 'conflict') {
          conflicts += 1;
          if (conflicts > this.maxHeadRetries) throw new HeadContentionError(this.logStream, conflicts);
          await backOff(conflicts);
          await this.catchUp();
          continue;
        }
        if (outcome.kind === 'too-large') {
          // The server's limit is lower than the one configured here: learn it (it only ever
          // shrinks, so this terminates) and plan again; a unit that alone is too large is refused.
          const reported = outcome.maxAppendSize > 0 ? outcome.maxAppendSize : this.maxAppendSize;
          this.maxAppendSize = Math.min(this.maxAppendSize, reported < bytes ? reported : Math.floor(bytes / 2));
          const only = batch.length === 1 ? batch[0] : undefined;
          if (only !== undefined) {
            const slot = settled.indexOf(only.outcomes);
            settled[slot] = new AppendTooLargeError(events.length, bytes, reported);
            results.push(...settled.slice(0, slot + 1));
          }
          continue;
        }
        for (const record of records) this.indexEntry(record);
      }
      results.push(...settled);
    }
    return results;
  }

  /** Plans units in order on one snapshot of the index: each unit on top of the units before it. */
  private async planUnits(units: readonly AppendRequest[]): Promise<{ head: LogHead; results: Array<UnitPlan | Error> }> {
    // Read everything the plan needs from the index before the first await: one consistent snapshot.
    const head = this.indexed;
    const existingAt = new Map<string, number>();
    const streamRevisions = new Map<string, number>();
    for (const unit of units) {
      for (const event of unit.events) {
        const position = this.positionsById.get(event.eventId);
        if (position !== undefined) existingAt.set(event.eventId, position);
      }
      for (const streamId of streamsOf(unit)) {
        const positions = this.positionsByStream.get(streamId);
        if (positions !== undefined && positions.length > 0) streamRevisions.set(streamId, positions.length - 1);
      }
    }
    const now = this.clock();
    const stored = await this.recordsAt([...existingAt.values()]);
    const existing = new Map<string, LogRecord>();
    for (const [id, position] of existingAt) existing.set(id, this.found(stored, position));

    let current = head;
    const results = units.map((unit): UnitPlan | Error => {
      try {
        const notUuid = unit.events.find((event) => kurrentIdOf(event.eventId) === null);
        if (notUuid) throw new TypeError(`eventId ${JSON.stringify(notUuid.eventId)} is not a UUID: KurrentDB event ids must be UUIDs`);
        const plan = planAppend(unit, { head: current, existing, streamRevisions, now });
        const events = plan.records.map((record) => toEventData(record, this.logStream));
        for (const record of plan.records) {
          existing.set(record.eventId, record);
          streamRevisions.set(record.streamId, record.streamRevision);
        }
        current = plan.head;
        return { outcomes: plan.outcomes, records: plan.records, events, bytes: events.reduce((sum, event) => sum + eventSize(event), 0) };
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
    return { head, results };
  }

  /** One append to the log stream, conditional on the head the events were planned on. */
  private async write(head: LogHead, events: JSONEventData[], last: LogRecord): Promise<WriteOutcome> {
    const streamState = head.position === 0 ? NO_STREAM : BigInt(head.position - 1);
    let nextExpectedRevision: bigint;
    try {
      const result = await this.client.appendToStream(this.logStream, events, { streamState, requiresLeader: true });
      if (!result.success) return { kind: 'conflict' }; // only with throwOnAppendFailure=false in the connection string
      nextExpectedRevision = result.nextExpectedRevision;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return { kind: 'conflict' };
      if (error instanceof MaxAppendSizeExceededError) return { kind: 'too-large', maxAppendSize: error.maxAppendSize };
      if (error instanceof StreamDeletedError) throw new KurrentDbLogError(this.logStream, 'the stream is deleted (tombstoned): it cannot hold the log');
      throw error;
    }
    if (nextExpectedRevision !== BigInt(last.position - 1)) {
      throw new KurrentDbLogError(
        this.logStream,
        `the append ending at position ${last.position} landed at revision ${nextExpectedRevision}, not ${last.position - 1} (was the stream deleted or truncated?)`,
      );
    }
    // KurrentDB acknowledges, without writing, an append whose events already sit at those
    // revisions with the same ids (its idempotence): then another writer stored them, with its own
    // recordedAt and chain. The chain of the last record tells whose they are.
    const [tail] = await this.readRange(last.position, 1);
    return tail?.chain === last.chain ? { kind: 'written' } : { kind: 'conflict' };
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work);
    this.writes = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------------------------------------
  // The index

  /** Brings the index up to the log's head. Calls made while one runs share the next one. */
  private catchUp(): Promise<void> {
    if (this.catchingUp === null) {
      this.catchingUp = this.readForward().finally(() => {
        this.catchingUp = null;
      });
      return this.catchingUp;
    }
    if (this.catchUpAgain === null) {
      this.catchUpAgain = this.catchingUp
        .catch(() => undefined)
        .then(() => {
          this.catchUpAgain = null;
          return this.catchUp();
        });
    }
    return this.catchUpAgain;
  }

  private async readForward(): Promise<void> {
    try {
      const events = this.client.readStream(this.logStream, { fromRevision: BigInt(this.indexed.position), requiresLeader: true });
      for await (const resolved of events) this.indexEntry(indexEntryOf(this.storedEvent(resolved), this.logStream));
    } catch (error) {
      if (error instanceof StreamNotFoundError) {
        if (this.indexed.position > 0) {
          throw new KurrentDbLogError(this.logStream, `the stream is gone (deleted?) after ${this.indexed.position} events were read from it`);
        }
        return;
      }
      throw error;
    }
  }

  /**
   * Adds the next event of the log to the index. Idempotent on what is already indexed, so
   * overlapping reads (a catch-up beside an append) are harmless; anything else out of order is a
   * log this adapter did not write.
   */
  private indexEntry(entry: IndexEntry): void {
    if (entry.position <= this.indexed.position) return;
    if (entry.position !== this.indexed.position + 1) {
      throw new KurrentDbLogError(this.logStream, `read position ${entry.position} after ${this.indexed.position}`);
    }
    const positions = this.positionsByStream.get(entry.streamId) ?? [];
    if (entry.streamRevision !== positions.length) {
      throw new KurrentDbLogError(this.logStream, `position ${entry.position} is revision ${entry.streamRevision} of ${entry.streamId}, which has ${positions.length} events before it`);
    }
    if (this.positionsById.has(entry.eventId)) {
      throw new KurrentDbLogError(this.logStream, `eventId ${entry.eventId} is stored twice (positions ${this.positionsById.get(entry.eventId)} and ${entry.position})`);
    }
    if (this.indexed.recordedAt !== null && entry.recordedAt < this.indexed.recordedAt) {
      throw new KurrentDbLogError(this.logStream, `recordedAt goes back at position ${entry.position}`);
    }
    if (positions.length === 0) this.positionsByStream.set(entry.streamId, positions);
    positions.push(entry.position);
    this.positionsById.set(entry.eventId, entry.position);
    this.indexed = { position: entry.position, recordedAt: entry.recordedAt, chain: entry.chain };
  }

  /** A log stream whose metadata lets events disappear cannot hold a gapless log. */
  private async checkLogStream(): Promise<void> {
    const { metadata } = await this.client.getStreamMetadata(this.logStream, { requiresLeader: true });
    if (metadata === undefined) return;
    const limits: string[] = [];
    if (metadata.maxAge !== undefined) limits.push(`$maxAge=${metadata.maxAge}`);
    if (metadata.maxCount !== undefined) limits.push(`$maxCount=${metadata.maxCount}`);
    const tb = metadata.truncateBefore;
    if (tb !== undefined && tb !== 'start' && tb !== 0) limits.push(`$tb=${String(tb)}`);
    if (limits.length > 0) {
      throw new KurrentDbLogError(
        this.logStream,
        `its stream metadata sets ${limits.join(', ')} (a soft delete sets $tb): events would disappear from the log, which must keep every event`,
      );
    }
  }

  /**
   * Reads the log's id from its identity stream, or makes it: with the log (`create`), or for a
   * log written before logs had ids. Written with `no_stream`, so of several processes opening a
   * new log at once, one id wins and every one reads it. A log that does not exist (no identity,
   * no event) is refused without `create`, and nothing is written.
   */
  private async identify(create: boolean): Promise<void> {
    this.logId = await this.readLogId();
    if (this.logId !== undefined) return;
    if (!create && this.indexed.position === 0) {
      throw new LedgerNotFoundError(`KurrentDB stream ${this.logStream}`, `neither it nor ${this.identityStream} exists`);
    }
    const logId = randomUUID();
    try {
      await this.client.appendToStream(this.identityStream, jsonEvent({ id: logId, type: IDENTITY_EVENT, data: { logId, logStream: this.logStream } }), {
        streamState: NO_STREAM,
        requiresLeader: true,
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
    this.logId = await this.readLogId();
    if (this.logId === undefined) throw new KurrentDbLogError(this.logStream, `no log id in ${this.identityStream} after writing one`);
  }

  private async readLogId(): Promise<string | undefined> {
    try {
      for await (const resolved of this.client.readStream(this.identityStream, { maxCount: 1, requiresLeader: true })) {
        const data = resolved.event?.data as { logId?: unknown } | undefined;
        if (resolved.event?.type !== IDENTITY_EVENT || typeof data?.logId !== 'string') {
          throw new KurrentDbLogError(this.logStream, `${this.identityStream} holds no ${IDENTITY_EVENT} event: it was not written by the ledger`);
        }
        return data.logId;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading the log stream

  /** `count` records from `position` on (fewer at the end of the log), checked to be consecutive. */
  private async readRange(position: number, count: number): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    try {
      const events = this.client.readStream(this.logStream, { fromRevision: BigInt(position - 1), maxCount: count, requiresLeader: true });
      for await (const resolved of events) {
        const record = fromStoredEvent(this.storedEvent(resolved), this.logStream);
        if (record.position !== position + records.length) {
          throw new KurrentDbLogError(this.logStream, `asked for position ${position + records.length}, read ${record.position}`);
        }
        records.push(record);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return records;
  }

  /** The records at these positions, read in runs of nearby positions, a few runs at a time. */
  private async recordsAt(positions: readonly number[]): Promise<Map<number, LogRecord>> {
    const wanted = [...new Set(positions)].sort((a, b) => a - b);
    const runs: Array<{ from: number; to: number }> = [];
    for (const position of wanted) {
      const run = runs[runs.length - 1];
      if (run !== undefined && position - run.to <= RUN_GAP && position - run.from < MAX_RUN) run.to = position;
      else runs.push({ from: position, to: position });
    }
    const wantedSet = new Set(wanted);
    const found = new Map<number, LogRecord>();
    let next = 0;
    const reader = async (): Promise<void> => {
      for (let run = runs[next++]; run !== undefined; run = runs[next++]) {
        for (const record of await this.readRange(run.from, run.to - run.from + 1)) {
          if (wantedSet.has(record.position)) found.set(record.position, record);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, runs.length) }, reader));
    return found;
  }

  private found(records: ReadonlyMap<number, LogRecord>, position: number): LogRecord {
    const record = records.get(position);
    if (record === undefined) throw new KurrentDbLogError(this.logStream, `position ${position} is indexed but could not be read`);
    return record;
  }

  private storedEvent(resolved: ResolvedEvent): StoredEvent {
    if (resolved.event === undefined) throw new KurrentDbLogError(this.logStream, 'holds a link whose event is gone');
    return resolved.event;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`KurrentDB event store on ${this.logStream} is closed`);
  }
}

function isDomainRefusal(result: UnitPlan | Error): boolean {
  return result instanceof WrongExpectedRevisionError || result instanceof IdempotencyConflictError;
}

/** A little jittered wait before re-planning, so writers that keep colliding spread out. */
function backOff(attempt: number): Promise<void> {
  if (attempt < 3) return Promise.resolve();
  const ms = Math.min(200, 2 ** Math.min(attempt, 8)) * Math.random();
  return new Promise((resolve) => setTimeout(resolve, ms));
}
