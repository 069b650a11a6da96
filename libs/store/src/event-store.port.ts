import { randomBytes } from 'node:crypto';
import type { LogEvent } from '@ledger/events';
import type { ErasureFieldError, ErasureRequest } from '@ledger/events';
import type { LogHead, LogRecord } from './log-record';

/**
 * What an append expects of a stream before it: the revision of its last event
 * (revisions start at 0), `no-stream` for a stream that must not exist yet, or `any`.
 */
export type ExpectedRevision = number | 'no-stream' | 'any';

/** One atomic unit of appends: all of its events are stored, or none. */
export interface AppendRequest {
  readonly events: readonly LogEvent[];
  /** Per stream id; streams not named here are `any`. */
  readonly expectedRevisions?: ReadonlyMap<string, ExpectedRevision>;
  /**
   * The events are still being checked: the store may write them meanwhile, but commits
   * only once `ready` resolves; when it rejects, nothing is stored and its error is
   * thrown. A bulk import writes while its lines are checked on other threads.
   */
  readonly ready?: Promise<void>;
  /**
   * Cancels the append (Ctrl-C during an import): once it is aborted, the store stops as soon
   * as it can, rolls back, and throws the signal's reason; nothing of the unit is stored. An
   * abort that comes once the commit has begun is too late: the append completes. Honoured by
   * `append`; `appendGroup` ignores it.
   */
  readonly signal?: AbortSignal;
  /**
   * A replay of recorded history (a history load, several of its recording batches in one
   * atomic unit): the events from index `from` on were recorded at `at`, until the next
   * entry's `from`; in increasing `from`, the first at 0. The store then takes these instants
   * for `recordedAt` instead of its clock, still never decreasing with position. Absent: the
   * store's clock, read once for the unit.
   */
  readonly recordings?: readonly Recording[];
}

/** Where a recording batch starts in an append's events, and when it was recorded (`AppendRequest.recordings`). */
export interface Recording {
  readonly from: number;
  readonly at: Date;
}

export interface AppendedEvent {
  readonly eventId: string;
  /** `already-present`: the same event (same eventId and content) was in the log: nothing was written. */
  readonly status: 'appended' | 'already-present';
  readonly position: number;
  readonly streamId: string;
  readonly streamRevision: number;
  readonly recordedAt: string;
}

/** What opens a log again, from another thread: a SQLite file, or a PostgreSQL connection string and schema. */
export type StoreSource =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly schema: string };

export interface ReadAllOptions {
  /** Rows fetched per round trip; bounds the memory of a reader of the whole log. */
  readonly pageSize?: number;
  /** Read no further than this position. */
  readonly toPosition?: number;
  /** Only events of these types (the others are skipped by the store, not returned). */
  readonly types?: readonly string[];
  /**
   * The reader does not need `hash` and `chain` (projections): a store may leave them empty
   * (''), and leave out `commitment` and `salt`, sparing a conversion per event. Never for
   * anything that verifies the log.
   */
  readonly withoutHashes?: boolean;
  /**
   * A scan of much of the log, each page read once (verify, rebuild, explain, an audit's
   * replay): a store need not keep the pages it reads in its own cache (SQLite: a small page
   * cache while such scans run, instead of the large one a big import wants). A hint only.
   */
  readonly scan?: boolean;
  /**
   * A UTC day (YYYY-MM-DD): the reader wants no event that occurred before it (an explain
   * scan of a period). A hint: a store may leave such events out early (SQLite compares the
   * stored occurredAt's own day with the day before, which no UTC offset can cross), or
   * return them; the reader checks every event it gets all the same.
   */
  readonly occurredFromDay?: string;
}

/**
 * The event store port. Every adapter (SQLite, PostgreSQL, KurrentDB) passes the same
 * contract suite (test/contract/event-store.contract.ts):
 * - `append` checks expected revisions and is idempotent on eventId, atomically;
 * - positions are global, gapless, start at 1, and a reader never sees position N+1
 *   before every position up to N is committed;
 * - `recordedAt` is assigned by the store and never decreases with position;
 * - every record carries its leaf hash and the hash chain up to it.
 */
export interface EventStore {
  /** A short name of the adapter, for messages: `sqlite`, `postgres`, `kurrentdb`. */
  readonly kind: string;

  /**
   * How another thread opens this same log to read it (`openStoreSource`: `verify`'s worker
   * threads, each with its own connection); absent when it cannot (an in-memory SQLite
   * database, KurrentDB): the reader then reads through this store alone.
   */
  readonly source?: StoreSource;

  /**
   * Appends one atomic unit. Throws `WrongExpectedRevisionError` or `IdempotencyConflictError`
   * (then nothing of the unit is stored). Events already present with the same content are
   * reported `already-present` and not written again, whatever the expected revisions say.
   */
  append(request: AppendRequest): Promise<AppendedEvent[]>;

  /**
   * Group commit: appends several independent units with one durable commit. Each unit is
   * atomic on its own; a unit that fails gets its error in its slot and the others go on.
   * A unit's `ready` is awaited before the group is written.
   */
  appendGroup(requests: readonly AppendRequest[]): Promise<Array<AppendedEvent[] | Error>>;

  /** The events of one stream in revision order (empty when it does not exist). */
  readStream(streamId: string): Promise<LogRecord[]>;

  /** The records holding these event ids, by event id (absent ids are left out). */
  findEvents(eventIds: readonly string[]): Promise<Map<string, LogRecord>>;

  /** The log forward from `fromPosition` (inclusive), in position order, page by page. */
  readAll(fromPosition?: number, options?: ReadAllOptions): AsyncIterable<LogRecord>;

  /** `readAll` a page at a time: a reader of millions of events pays one await a page, not one an event. */
  readPages(fromPosition?: number, options?: ReadAllOptions): AsyncIterable<readonly LogRecord[]>;

  /**
   * The stored leaf hashes of positions `fromPosition` to `toPosition` (both inclusive), in
   * order, a page at a time, each page the 32-byte hashes one after another. Read as stored,
   * not recomputed: what signing a checkpoint and a consistency proof need, without the rest
   * of each record. A position missing is not filled in: the caller counts.
   */
  readLeafHashes(fromPosition: number, toPosition: number): AsyncIterable<Buffer>;

  head(): Promise<LogHead>;

  /**
   * Erases a learner's personal data (docs/erasure.md), in ONE transaction: appends a
   * `LearnerErased` event (learner id, when, why) and removes the payload, ids and salt of
   * every event of the learner's stream, keeping position, type, recordedAt, commitment, leaf
   * hash and chain. Throws `ErasureRefusedError` (nothing changed) for an invalid request, a
   * learner the log does not know, or a store that cannot erase (KurrentDB). A learner already
   * erased: `already-erased`, nothing changed.
   */
  eraseLearner(learnerId: string, request: ErasureRequest): Promise<ErasureOutcome>;

  /** The leaf format the log writes (docs/erasure.md, "Versioned leaves"). */
  leafFormat(): Promise<LeafFormat>;

  /**
   * Moves a v1 log to leaf v2 for the events appended from now on (recorded in the log as the
   * position from which leaves are v2); a v2 log is left as it is. Events already written keep
   * their v1 leaves, so every seal and checkpoint stays valid. KurrentDB refuses it.
   */
  useLeafV2(): Promise<LeafFormat>;

  /**
   * Which log this is: an id the store made when it created the log, kept in the log's own
   * database. Every store opened on this log gives the same id; any other log, another one.
   * Read models record it with their checkpoints, so they are never used with another log.
   */
  identity(): Promise<LogIdentity>;

  /**
   * Keeps a signed checkpoint of this log (docs/signed-checkpoints.md, "Storage"): every one,
   * in the order they were made, beside the log in its own database, with the tree's Merkle
   * frontier when given (in the same write). The store does not check the note: the caller signed it.
   */
  saveCheckpoint(checkpoint: StoredCheckpoint, frontier?: Buffer): Promise<void>;

  /**
   * The Merkle frontier (compact range: the complete subtree roots, largest first, 32 bytes
   * each) saved with the latest checkpoint of this tree size, or null. The next checkpoint's
   * root is computed from it and the new leaves only; the caller checks it against the
   * checkpoint's root, so a wrong one costs a full recomputation, never a wrong checkpoint.
   */
  checkpointFrontier(treeSize: number): Promise<Buffer | null>;

  /** The checkpoints kept, oldest first; at most `limit` of the latest when given. */
  checkpoints(limit?: number): Promise<StoredCheckpoint[]>;

  /**
   * Keeps witness cosignatures of checkpoints this ledger signed (docs/signed-checkpoints.md,
   * "Collected cosignatures"), append-only, beside the checkpoints, in ONE write. A cosignature
   * already kept (the same checkpoint text and the same line) is not kept again. The store
   * checks nothing else: the caller verified each line. Returns how many were new.
   */
  saveCosignatures(cosignatures: readonly StoredCosignature[]): Promise<number>;

  /** The cosignatures kept for checkpoints of this tree size, in the order received. */
  cosignatures(treeSize: number): Promise<StoredCosignature[]>;

  /**
   * Optional (SQLite): a bulk load into an EMPTY log drops the log's indexes and answers what
   * they answer from memory until `buildDeferredIndexes`, which builds them once (each index
   * page written once, instead of rewritten by every commit of a load of random ids). Answers
   * false, changing nothing, when the log is not empty or cannot defer. Appends stay exactly
   * as checked as before (same idempotency, revisions and hashes). An interrupted load leaves
   * them to the next open that may write, which builds them.
   */
  deferIndexes?(): Promise<boolean>;

  /**
   * Builds the indexes `deferIndexes` dropped (nothing when none are). A duplicate found then
   * (two events with one id, or one stream revision twice: never, when every write went
   * through this store) fails it with `DeferredIndexError`, having removed every event the
   * load wrote: the log is empty again, as the load found it.
   */
  buildDeferredIndexes?(): Promise<void>;

  close(): Promise<void>;
}

/** A signed checkpoint as the ledger keeps it. */
export interface StoredCheckpoint {
  /** The tree size the checkpoint signs. */
  readonly treeSize: number;
  /** When it was signed (RFC 3339, from the injected clock). */
  readonly signedAt: string;
  /** The whole signed note (C2SP tlog-checkpoint). */
  readonly note: string;
}

/** A witness's cosignature of a checkpoint the ledger signed, as the ledger keeps it. */
export interface StoredCosignature {
  /** The tree size of the checkpoint cosigned. */
  readonly treeSize: number;
  /** The checkpoint's note text (what the ledger signed and the witness cosigned), final newline included. */
  readonly checkpoint: string;
  /** The witness key, `<name>+<key ID hex>`. */
  readonly witness: string;
  /** The cosignature line, `— <name> <base64>`, without its newline. */
  readonly line: string;
  /** The time the witness put in its cosignature (POSIX seconds). */
  readonly cosignedAt: number;
  /** When the ledger received it (RFC 3339, from the injected clock). */
  readonly receivedAt: string;
}

/** `v2From`: the first position whose leaf is v2 (1 for a log made with v2), or null: every leaf is v1. */
export interface LeafFormat {
  readonly v2From: number | null;
}

export type ErasureOutcome =
  | {
      readonly status: 'erased';
      readonly learnerId: string;
      /** Events whose personal part was removed. */
      readonly erasedEvents: number;
      /** Where the `LearnerErased` event was appended. */
      readonly position: number;
      readonly recordedAt: string;
    }
  | {
      /** The learner was erased before: nothing changed; the first erasure's event. */
      readonly status: 'already-erased';
      readonly learnerId: string;
      readonly position: number;
      readonly recordedAt: string;
    };

/**
 * The indexes a bulk load deferred found a duplicate when built (`buildDeferredIndexes`): the
 * load is undone, every event it wrote removed, and the log is as the load found it (empty).
 */
export class DeferredIndexError extends Error {
  constructor(readonly detail: string) {
    super(`${detail}: the load is undone, the ledger is empty again as the load found it, and nothing of it is kept`);
    this.name = 'DeferredIndexError';
  }
}

/** Why an erasure was refused; nothing was changed. */
export type ErasureRefusal = 'invalid-request' | 'unknown-learner' | 'not-supported';

export class ErasureRefusedError extends Error {
  constructor(
    readonly refusal: ErasureRefusal,
    message: string,
    /** For `invalid-request`: each wrong field. */
    readonly errors: readonly ErasureFieldError[] = [],
  ) {
    super(message);
    this.name = 'ErasureRefusedError';
  }
}

/**
 * The rule for events of an erased learner (docs/erasure.md): refused, all of the unit, once a
 * `LearnerErased` for that learner is in the log. An erased learner id is never written again:
 * otherwise a re-sent event (its first copy erased, so not found as already present) would put
 * the erased data back.
 */
export class ErasedLearnerError extends Error {
  constructor(
    readonly learnerId: string,
    readonly eventId: string,
  ) {
    super(`event ${eventId}: learner ${learnerId} was erased (LearnerErased in the log): no event of that learner is accepted any more`);
    this.name = 'ErasedLearnerError';
  }
}

/** A log's identity (`EventStore.identity`). */
export interface LogIdentity {
  /** A random UUID, made once, when the log was created. */
  readonly logId: string;
}

/**
 * How an adapter opens its log. The adapters create a log that does not exist unless told
 * not to (tests and benchmarks make logs of their own); `openEventStore` asks every caller.
 */
export interface CreateOption {
  /** true: a log that does not exist is created; false: it is refused (`LedgerNotFoundError`), and nothing is created. */
  readonly create?: boolean;
}

/**
 * The ledger named does not exist, and the caller may not create it (every command but
 * `import`, `load-history` and `demo`, and the API). Nothing was created.
 */
export class LedgerNotFoundError extends Error {
  constructor(
    /** Where the ledger was looked for: a path, a PostgreSQL database and schema, a KurrentDB stream. */
    readonly ledger: string,
    why: string,
  ) {
    super(
      `no ledger at ${ledger}: ${why}. Nothing was created. A ledger is created by ` +
        '`ledger import <file.ndjson>`, `ledger load-history <file>` or `ledger demo` (LEDGER_DB names where)',
    );
    this.name = 'LedgerNotFoundError';
  }
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no-stream',
  ) {
    super(`stream ${streamId}: expected revision ${expected}, but it is at ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class IdempotencyConflictError extends Error {
  constructor(readonly eventId: string) {
    super(`eventId ${eventId} is already in the log with different content`);
    this.name = 'IdempotencyConflictError';
  }
}

/** A clock for `recordedAt`. The store reads it; nothing in the domain does. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Random bytes for leaf v2 salts, injected like the clock (tests make them deterministic). */
export type RandomSource = (size: number) => Buffer;
export const systemRandom: RandomSource = (size) => randomBytes(size);

/**
 * One 32-byte salt (hex) per call, drawn from `random` a block at a time: one call to the
 * source per 256 events, not one per event. A salt is never reused.
 */
export function saltSource(random: RandomSource): () => string {
  const SALT = 32;
  const BLOCK = 256;
  let block: Buffer = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at + SALT > block.length) {
      block = random(SALT * BLOCK);
      if (block.length !== SALT * BLOCK) throw new Error(`the random source gave ${block.length} bytes, not ${SALT * BLOCK}`);
      at = 0;
    }
    const salt = block.toString('hex', at, at + SALT);
    at += SALT;
    return salt;
  };
}

/**
 * Waits for a request's `ready`, or for its `signal` to abort, whichever comes first: an
 * interrupted import does not wait for its checks to finish before it rolls back. Throws
 * the signal's reason, or `ready`'s error.
 */
export async function readyOrAborted(request: AppendRequest): Promise<void> {
  const { ready, signal } = request;
  signal?.throwIfAborted();
  if (!signal) return ready;
  if (!ready) return;
  let stop = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    stop = () => reject(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    await Promise.race([ready, aborted]);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** Waits for every unit of a group to be ready (`appendGroup`): the first `ready` to reject rejects. */
export async function allReady(requests: readonly AppendRequest[]): Promise<void> {
  await Promise.all(requests.flatMap((r) => (r.ready ? [r.ready] : [])));
}

/** The records of pages, one by one: `readAll` from `readPages`. */
export async function* recordsOf(pages: AsyncIterable<readonly LogRecord[]>): AsyncIterable<LogRecord> {
  for await (const page of pages) yield* page;
}
