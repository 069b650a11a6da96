import type { LedgerEvent } from '../../events/src/catalog';
import { streamIdOf } from '../../events/src/catalog';
import type { AppendedEvent, AppendRequest, ExpectedRevision } from './event-store.port';
import { IdempotencyConflictError, WrongExpectedRevisionError } from './event-store.port';
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
}

export interface AppendPlan {
  /** New records, in position order, sealed onto the head (empty when they were given to a writer). */
  readonly records: LogRecord[];
  /** One outcome per event of the request, in request order. */
  readonly outcomes: AppendedEvent[];
  readonly head: LogHead;
}

/**
 * The part of an append that is the same for every adapter: idempotency, expected
 * revisions, position and revision assignment, `recordedAt` and hashing. Pure: the
 * adapter reads the context in its transaction and writes the records the plan returns,
 * or, with `write`, each record as soon as it is sealed (a large import then keeps no
 * records alive, which is most of its garbage-collection cost).
 */
export function planAppend(request: AppendRequest, context: AppendContext, write?: (record: LogRecord) => void): AppendPlan {
  // recordedAt never decreases with position, even if the clock steps back.
  const nowIso = context.now.toISOString();
  const recordedAt = context.head.recordedAt !== null && context.head.recordedAt > nowIso ? context.head.recordedAt : nowIso;
  // Streams this request has written to, with their new last revision.
  const revisions = new Map<string, number | undefined>();
  // Events this request appends, by id: the event and its outcome, not the record (which a writer may have let go).
  const inRequest = new Map<string, { readonly event: LedgerEvent; readonly outcome: AppendedEvent }>();
  const records: LogRecord[] = [];
  const keep = write ?? ((record: LogRecord) => records.push(record));
  const outcomes: AppendedEvent[] = [];
  let position = context.head.position;
  let chain = context.head.chain;

  for (const event of request.events) {
    const repeated = inRequest.get(event.eventId);
    if (repeated) {
      if (!sameEventContent(repeated.event, event)) throw new IdempotencyConflictError(event.eventId);
      outcomes.push({ ...repeated.outcome, status: 'already-present' });
      continue;
    }
    const earlier = context.existing.get(event.eventId);
    if (earlier) {
      if (!sameContent(earlier, event)) throw new IdempotencyConflictError(event.eventId);
      outcomes.push(outcomeOf(earlier, 'already-present'));
      continue;
    }
    const streamId = streamIdOf(event);
    let current: number | undefined;
    if (revisions.has(streamId)) current = revisions.get(streamId);
    else {
      current = context.streamRevisions.get(streamId);
      checkExpected(streamId, request.expectedRevisions?.get(streamId) ?? 'any', current);
    }
    const streamRevision = current === undefined ? 0 : current + 1;
    revisions.set(streamId, streamRevision);
    position += 1;
    const sealed = sealRecord(event, { position, streamId, streamRevision, recordedAt }, chain);
    chain = sealed.chain;
    keep(sealed);
    const outcome = outcomeOf(sealed, 'appended');
    inRequest.set(event.eventId, { event, outcome });
    outcomes.push(outcome);
  }
  const head = position === context.head.position ? context.head : { position, recordedAt, chain };
  return { records, outcomes, head };
}

function checkExpected(streamId: string, expected: ExpectedRevision, actual: number | undefined): void {
  if (expected === 'any') return;
  if (expected === 'no-stream' ? actual === undefined : actual === expected) return;
  throw new WrongExpectedRevisionError(streamId, expected, actual ?? 'no-stream');
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

/** The distinct streams a request writes to (all of them: already-present events are sorted out later). */
export function streamsOf(request: AppendRequest): string[] {
  return [...new Set(request.events.map(streamIdOf))];
}
