import type { LearnerEvent, LedgerEvent } from '../../events/src/catalog';
import { isLearnerEvent, streamIdOf } from '../../events/src/catalog';
import type { LearnerStreamState } from '../../events/src/learner-stream';
import { checkReferences, evolveLearnerStream, initialLearnerStream } from '../../events/src/learner-stream';
import { validateEvent } from '../../events/src/validation/validate-event';
import type { AppendedEvent, AppendRequest, Clock, EventStore, ExpectedRevision } from '../../store/src/event-store.port';
import { IdempotencyConflictError, WrongExpectedRevisionError } from '../../store/src/event-store.port';
import type { LogRecord } from '../../store/src/log-record';
import { sameContent, sameEvent } from '../../store/src/log-record';

/** One refused event of a request or file: which one (0-based index), which field, why. */
export interface RejectedEvent {
  readonly index: number;
  /** In a file: the 1-based line of the event. */
  readonly line?: number;
  readonly eventId?: string;
  readonly field: string;
  readonly message: string;
}

/**
 * A request or file refused as a whole: nothing of it is stored. `invalid` is bad input
 * (HTTP 400); `conflict` is a reused eventId with other content or a stale expected
 * revision (HTTP 409).
 */
export class EventsRejectedError extends Error {
  constructor(
    readonly kind: 'invalid' | 'conflict',
    readonly errors: readonly RejectedEvent[],
  ) {
    super(
      `${errors.length} event error(s): ` +
        errors
          .slice(0, 3)
          .map((e) => `#${e.index} ${e.field} ${e.message}`)
          .join('; '),
    );
    this.name = 'EventsRejectedError';
  }
}

/** How a prepared request reaches the store: directly, or through a group committer. */
export type SubmitAppend = (request: AppendRequest) => Promise<AppendedEvent[]>;

export interface IngestOptions {
  /** Expected revisions given by the client: a mismatch is a conflict, never retried. */
  readonly expectedRevisions?: ReadonlyMap<string, ExpectedRevision>;
  /** Progress of the checks, for a progress bar: called with the number of events checked. */
  readonly onChecked?: (checked: number) => void;
  /** Called once the checks passed, before the append. */
  readonly onWriting?: () => void;
}

/** How many times a request whose streams moved under it is checked again before giving up. */
const MAX_ATTEMPTS = 5;

/**
 * Everything that stands between raw input and the store: the shape of each event
 * (EVENTS.md), then the rules that refer to the log (idempotency, references to earlier
 * admissions and events), then an append that expects the streams to be as they were
 * read, checked again if another writer moved them meanwhile.
 */
export class EventIngestor {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly submit: SubmitAppend = (request) => store.append(request),
  ) {}

  /** Validates and appends all of `raws`, or nothing (throws `EventsRejectedError`). */
  async ingest(raws: readonly unknown[], options: IngestOptions = {}): Promise<AppendedEvent[]> {
    const events = this.validate(raws, options);
    for (let attempt = 1; ; attempt += 1) {
      const request = await this.decide(events, options);
      options.onWriting?.();
      try {
        return await this.submit(request);
      } catch (error) {
        if (error instanceof IdempotencyConflictError) throw conflictOn(events, error.eventId);
        const moved = error instanceof WrongExpectedRevisionError;
        if (!moved) throw error;
        if (options.expectedRevisions?.has(error.streamId) || attempt >= MAX_ATTEMPTS) {
          throw new EventsRejectedError('conflict', [
            { index: events.findIndex((e) => streamIdOf(e) === error.streamId), field: 'streamRevision', message: error.message },
          ]);
        }
      }
    }
  }

  /** The shape of every event; all errors of all events, so a file is fixed in one pass. */
  validate(raws: readonly unknown[], options: IngestOptions = {}): LedgerEvent[] {
    const now = this.clock();
    const errors: RejectedEvent[] = [];
    const events: LedgerEvent[] = [];
    raws.forEach((raw, index) => {
      const result = validateEvent(raw, now);
      if (result.ok) events.push(result.event);
      else for (const e of result.errors) errors.push({ index, eventId: eventIdOf(raw), ...e });
      if (options.onChecked && index % 1000 === 999) options.onChecked(index + 1);
    });
    if (errors.length > 0) throw new EventsRejectedError('invalid', errors);
    return events;
  }

  /** The rules that refer to the log, checked against the streams as they are now. */
  private async decide(events: readonly LedgerEvent[], options: IngestOptions): Promise<AppendRequest> {
    const existing = await this.store.findEvents(events.map((e) => e.eventId));
    const errors: RejectedEvent[] = [];
    const firstSeen = new Map<string, LedgerEvent>();
    const fresh: Array<{ index: number; event: LedgerEvent }> = [];
    events.forEach((event, index) => {
      const stored = existing.get(event.eventId);
      const earlier = firstSeen.get(event.eventId);
      if (stored ? !sameContent(stored, event) : earlier && !sameEvent(earlier, event)) {
        errors.push(conflictError(index, event.eventId));
      } else if (!stored && !earlier) {
        firstSeen.set(event.eventId, event);
        fresh.push({ index, event });
      }
    });
    if (errors.length > 0) throw new EventsRejectedError('conflict', errors);

    const streams = await this.loadStreams(fresh.map(({ event }) => event).filter(isLearnerEvent));
    for (const { index, event } of fresh) {
      if (!isLearnerEvent(event)) continue;
      const stream = streams.get(streamIdOf(event));
      if (!stream) continue;
      for (const e of checkReferences(event, stream.state)) errors.push({ index, eventId: event.eventId, ...e });
      evolveLearnerStream(stream.state, event);
    }
    if (errors.length > 0) throw new EventsRejectedError('invalid', errors);

    // Only a retraction's check can be undone by a concurrent append (another retraction of
    // the same event); admissions and events are never removed, so every other check still
    // holds whatever is appended meanwhile. Pinning only those streams keeps concurrent
    // events of one learner from failing each other in a group commit.
    const expectedRevisions = new Map<string, ExpectedRevision>();
    for (const { event } of fresh) {
      const stream = event.type === 'EventRetracted' ? streams.get(streamIdOf(event)) : undefined;
      if (stream) expectedRevisions.set(streamIdOf(event), stream.revision);
    }
    for (const [streamId, expected] of options.expectedRevisions ?? []) expectedRevisions.set(streamId, expected);
    return { events, expectedRevisions };
  }

  private async loadStreams(
    events: readonly LearnerEvent[],
  ): Promise<Map<string, { state: LearnerStreamState; revision: ExpectedRevision }>> {
    const streams = new Map<string, { state: LearnerStreamState; revision: ExpectedRevision }>();
    for (const streamId of new Set(events.map(streamIdOf))) {
      const records = await this.store.readStream(streamId);
      const state = initialLearnerStream();
      for (const record of records) evolveLearnerStream(state, factsOf(record));
      const last = records[records.length - 1];
      streams.set(streamId, { state, revision: last ? last.streamRevision : 'no-stream' });
    }
    return streams;
  }
}

function factsOf(record: LogRecord): { eventId: string; type: string; data: unknown } {
  return { eventId: record.eventId, type: record.type, data: JSON.parse(record.data) };
}

function conflictError(index: number, eventId: string): RejectedEvent {
  return { index, eventId, field: 'eventId', message: `${eventId} is already in the log with different content` };
}

function conflictOn(events: readonly LedgerEvent[], eventId: string): EventsRejectedError {
  return new EventsRejectedError('conflict', [conflictError(events.findIndex((e) => e.eventId === eventId), eventId)]);
}

function eventIdOf(raw: unknown): string | undefined {
  const id = typeof raw === 'object' && raw !== null ? (raw as { eventId?: unknown }).eventId : undefined;
  return typeof id === 'string' ? id : undefined;
}
