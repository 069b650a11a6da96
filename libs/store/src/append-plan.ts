import type { LogEvent } from '@ledger/events';
import { streamIdOf } from '@ledger/events';
import type { AppendedEvent, AppendRequest, ExpectedRevision, Recording } from './event-store.port';
import { ErasedLearnerError, IdempotencyConflictError, WrongExpectedRevisionError } from './event-store.port';
import type { LogHead, LogRecord } from './log-record';
import { sameContent, sameEventContent, sealRecord } from './log-record';

/** A lookup the plan calls once per key: a Map, or a query an embedded adapter runs on demand. */
export interface Lookup<V> {
  get(key: string): V | undefined;
}

/** What an adapter reads, inside its write transaction, to plan an append. */
export interface AppendContext {
  readonly head: LogHead;
  /** Records already in the log, by event id (asked for every event of the request). */
  readonly existing: Lookup<LogRecord>;
  /** Last revision of a stream; undefined: the stream does not exist (asked once per stream). */
  readonly streamRevisions: Lookup<number>;
  /** The store's clock reading for this transaction. */
  readonly now: Date;
  /** Leaf v2: a fresh salt (hex) per event appended. Absent: v1 leaves. */
  readonly salt?: () => string;
  /** Whether a learner was erased (asked once per learner of the request); absent: none was. */
  readonly erasedLearners?: Lookup<boolean>;
  /** Only `eraseLearner` appends a `LearnerErased`, in its own transaction. */
  readonly erasure?: boolean;
}

export interface AppendPlan {
  /** New records, in position order, sealed onto the head (empty when they were given to a writer). */
  readonly records: LogRecord[];
  /** One outcome per event of the request, in request order. */
  readonly outcomes: AppendedEvent[];
  readonly head: LogHead;
}

/**
 * Writes one sealed record inside the adapter's transaction; answers false, writing
 * nothing, when the log already holds an event with that id (an insert that ignores a
 * conflict on the event id, then counts the rows it changed).
 */
export type RecordWriter = (record: LogRecord) => boolean;

/**
 * The part of an append that is the same for every adapter: idempotency, expected
 * revisions, position and revision assignment, `recordedAt` and hashing. Pure: the
 * adapter reads the context in its transaction and writes the records the plan returns.
 *
 * With `write`, each record is written as soon as it is sealed, so a large import keeps
 * no records alive (most of its garbage-collection cost), and the log's own unique index
 * on event ids says which events are already present: `existing` is then asked only
 * about those, instead of once per event.
 */
export function planAppend(request: AppendRequest, context: AppendContext, write?: RecordWriter): AppendPlan {
  // recordedAt never decreases with position, even if the clock steps back.
  let lastRecordedAt = context.head.recordedAt;
  const recordedAtOf = (instant: Date): string => {
    const iso = instant.toISOString();
    return lastRecordedAt !== null && lastRecordedAt > iso ? lastRecordedAt : iso;
  };
  // A replay gives each recording batch of the unit its own instant (AppendRequest.recordings).
  const recordings = request.recordings ?? [];
  let nextRecording = 0;
  let recordedAt = recordedAtOf(recordings[0]?.from === 0 ? (recordings[0] as { at: Date }).at : context.now);
  // Streams this request has written to, with their new last revision (-1: the stream did not exist).
  const revisions = new Map<string, number>();
  // Events this request appends, by id, with their index in the request (and in `outcomes`).
  const inRequest = new Map<string, number>();
  const records: LogRecord[] = [];
  const keep: RecordWriter = write ?? ((record) => records.push(record) > 0);
  const outcomes: AppendedEvent[] = [];
  let position = context.head.position;
  let chain = context.head.chain;
  const erased = new Map<string, boolean>();
  const isErased = (learnerId: string): boolean => {
    let found = erased.get(learnerId);
    if (found === undefined) erased.set(learnerId, (found = context.erasedLearners?.get(learnerId) === true));
    return found;
  };

  const events = request.events;
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i] as LogEvent;
    while (nextRecording < recordings.length && (recordings[nextRecording] as Recording).from <= i) {
      recordedAt = recordedAtOf((recordings[nextRecording] as Recording).at);
      nextRecording += 1;
    }
    if (event.type === 'LearnerErased') {
      if (context.erasure !== true) throw new Error(`event ${event.eventId}: a LearnerErased is written by eraseLearner only, never appended`);
    } else if ('learnerId' in event && isErased(event.learnerId)) {
      throw new ErasedLearnerError(event.learnerId, event.eventId);
    }
    // With a writer, the log's unique index finds repeats within the request too (the first copy is already written).
    const repeated = write ? undefined : inRequest.get(event.eventId);
    if (repeated !== undefined) {
      if (!sameEventContent(events[repeated] as LogEvent, event)) throw new IdempotencyConflictError(event.eventId);
      outcomes.push({ ...(outcomes[repeated] as AppendedEvent), status: 'already-present' });
      continue;
    }
    const earlier = write ? undefined : context.existing.get(event.eventId);
    if (earlier) {
      outcomes.push(alreadyPresent(earlier, event));
      continue;
    }
    const streamId = streamIdOf(event);
    let current = revisions.get(streamId);
    if (current === undefined) {
      const stored = context.streamRevisions.get(streamId);
      const mismatch = checkExpected(streamId, request.expectedRevisions?.get(streamId) ?? 'any', stored);
      if (mismatch) {
        // An event already present is reported so whatever the expectation says.
        const present = write ? context.existing.get(event.eventId) : undefined;
        if (!present) throw mismatch;
        outcomes.push(alreadyPresent(present, event));
        continue;
      }
      current = stored ?? -1;
    }
    const streamRevision = current + 1;
    const at = { position: position + 1, streamId, streamRevision, recordedAt };
    const sealed = sealRecord(event, context.salt ? { ...at, salt: context.salt() } : at, chain);
    if (!keep(sealed)) {
      const stored = context.existing.get(event.eventId);
      if (!stored) throw new Error(`the store refused event ${event.eventId} as present, but holds no such event`);
      outcomes.push(alreadyPresent(stored, event));
      continue;
    }
    position += 1;
    chain = sealed.chain;
    lastRecordedAt = recordedAt;
    revisions.set(streamId, streamRevision);
    if (!write) inRequest.set(event.eventId, i);
    outcomes.push(outcomeOf(sealed, 'appended'));
  }
  const head = position === context.head.position ? context.head : { position, recordedAt: lastRecordedAt, chain };
  return { records, outcomes, head };
}

function alreadyPresent(stored: LogRecord, event: LogEvent): AppendedEvent {
  if (!sameContent(stored, event)) throw new IdempotencyConflictError(event.eventId);
  return outcomeOf(stored, 'already-present');
}

function checkExpected(streamId: string, expected: ExpectedRevision, actual: number | undefined): WrongExpectedRevisionError | undefined {
  if (expected === 'any') return undefined;
  if (expected === 'no-stream' ? actual === undefined : actual === expected) return undefined;
  return new WrongExpectedRevisionError(streamId, expected, actual ?? 'no-stream');
}

function outcomeOf(record: LogRecord, status: AppendedEvent['status']): AppendedEvent {
  return {
    eventId: record.eventId,
    status,
    position: record.position,
    streamId: record.streamId,
    streamRevision: record.streamRevision,
    recordedAt: record.recordedAt,
  };
}

/** Whether a request holds a learner's event: only then does an append need to know which learners were erased. */
export function hasLearnerEvents(request: AppendRequest): boolean {
  return request.events.some((event) => 'learnerId' in event);
}

/** The distinct streams a request writes to (all of them: already-present events are sorted out later). */
export function streamsOf(request: AppendRequest): string[] {
  return [...new Set(request.events.map(streamIdOf))];
}
