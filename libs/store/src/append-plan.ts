import { streamIdOf } from '../../events/src/catalog';
import type { AppendedEvent, AppendRequest, ExpectedRevision } from './event-store.port';
import { IdempotencyConflictError, WrongExpectedRevisionError } from './event-store.port';
import type { LogHead, LogRecord } from './log-record';
import { sameContent, sealRecord } from './log-record';

/** What an adapter reads, inside its write transaction, before it can plan an append. */
export interface AppendContext {
  readonly head: LogHead;
  /** Records already in the log for the request's event ids. */
  readonly existing: ReadonlyMap<string, LogRecord>;
  /** Last revision of each stream the request writes to; absent: the stream does not exist. */
  readonly streamRevisions: ReadonlyMap<string, number>;
  /** The store's clock reading for this transaction. */
  readonly now: Date;
}

export interface AppendPlan {
  /** New records, in position order, sealed onto the head. */
  readonly records: LogRecord[];
  /** One outcome per event of the request, in request order. */
  readonly outcomes: AppendedEvent[];
  readonly head: LogHead;
}

/**
 * The part of an append that is the same for every adapter: idempotency, expected
 * revisions, position and revision assignment, `recordedAt` and hashing. Pure: the
 * adapter reads the context in its transaction and writes the records the plan returns.
 */
export function planAppend(request: AppendRequest, context: AppendContext): AppendPlan {
  // recordedAt never decreases with position, even if the clock steps back.
  const nowIso = context.now.toISOString();
  const recordedAt = context.head.recordedAt !== null && context.head.recordedAt > nowIso ? context.head.recordedAt : nowIso;
  const revisions = new Map(context.streamRevisions);
  const checked = new Set<string>();
  const inRequest = new Map<string, LogRecord>();
  const records: LogRecord[] = [];
  const outcomes: AppendedEvent[] = [];
  let position = context.head.position;
  let chain = context.head.chain;

  for (const event of request.events) {
    const earlier = context.existing.get(event.eventId) ?? inRequest.get(event.eventId);
    if (earlier) {
      if (!sameContent(earlier, event)) throw new IdempotencyConflictError(event.eventId);
      outcomes.push({ ...pick(earlier), status: 'already-present' });
      continue;
    }
    const streamId = streamIdOf(event);
    const current = revisions.get(streamId);
    if (!checked.has(streamId)) {
      checked.add(streamId);
      checkExpected(streamId, request.expectedRevisions?.get(streamId) ?? 'any', current);
    }
    const streamRevision = current === undefined ? 0 : current + 1;
    revisions.set(streamId, streamRevision);
    position += 1;
    const record = sealRecord(event, { position, streamRevision, recordedAt }, chain);
    chain = record.chain;
    records.push(record);
    inRequest.set(event.eventId, record);
    outcomes.push({ ...pick(record), status: 'appended' });
  }
  const head = records.length === 0 ? context.head : { position, recordedAt, chain };
  return { records, outcomes, head };
}

function checkExpected(streamId: string, expected: ExpectedRevision, actual: number | undefined): void {
  if (expected === 'any') return;
  if (expected === 'no-stream' ? actual === undefined : actual === expected) return;
  throw new WrongExpectedRevisionError(streamId, expected, actual ?? 'no-stream');
}

function pick(record: LogRecord): Omit<AppendedEvent, 'status'> {
  return {
    eventId: record.eventId,
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
