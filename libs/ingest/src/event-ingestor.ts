import type { LedgerEvent } from '@ledger/events';
import { isLearnerEvent, streamIdOf } from '@ledger/events';
import type { LearnerStreamState } from '@ledger/events';
import { checkReferences, evolveLearnerStream, initialLearnerStream } from '@ledger/events';
import type { MentorStreamState } from '@ledger/events';
import { checkMentorReferences, evolveMentorStream, initialMentorStream, mentorIdOf, mentorStreamOf } from '@ledger/events';
import { eventIdOf } from '@ledger/events';
import { validateEvent } from '@ledger/events';
import type { AppendedEvent, AppendRequest, Clock, EventStore, ExpectedRevision, Recording } from '@ledger/store';
import { ErasedLearnerError, IdempotencyConflictError, WrongExpectedRevisionError } from '@ledger/store';
import type { LogRecord } from '@ledger/store';

/** One refused event of a request or file: which one (0-based index), which field, why. */
export interface RejectedEvent {
  readonly index: number;
  /** In a file: the 1-based line of the event. */
  readonly line?: number;
  readonly eventId?: string;
  readonly field: string;
  readonly message: string;
}

/** Error lists are cut to their first this many, with the total said: 100,000 bad events must not make a 17 MB answer. */
export const LISTED_ERRORS = 100;

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
  /** Cancels the append (Ctrl-C): nothing is stored, and the signal's reason is thrown (`AppendRequest.signal`). */
  readonly signal?: AbortSignal;
}

export interface AppendOptions extends IngestOptions {
  /** Resolves when every event's shape is valid; rejects with `EventsRejectedError` otherwise. */
  readonly validation?: Promise<void>;
  /** A replay of several recording batches in one unit: when each was recorded (`AppendRequest.recordings`). */
  readonly recordings?: readonly Recording[];
}

/** How many times a request whose streams moved under it is checked again before giving up. */
const MAX_ATTEMPTS = 5;

/**
 * Everything that stands between raw input and the store: the shape of each event
 * (EVENTS.md), then the rules that refer to earlier events (a PathEnded's admission, a
 * retraction's target), then the append, where the store itself refuses a reused eventId
 * with other content. A request holding a retraction expects its stream to be as it was
 * read, and is checked again if another writer moved it meanwhile.
 */
export class EventIngestor {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly submit: SubmitAppend = (request) => store.append(request),
  ) {}

  /** Validates and appends all of `raws`, or nothing (throws `EventsRejectedError`). */
  async ingest(raws: readonly unknown[], options: IngestOptions = {}): Promise<AppendedEvent[]> {
    return this.appendValidated(this.validate(raws, options), options);
  }

  /** The ingest clock's reading: what `occurredAt` may not be more than 5 minutes after. */
  now(): Date {
    return this.clock();
  }

  /**
   * Appends events whose shape has been validated (by `validate`), or is being validated
   * (`options.validation`, which rejects with the shape errors): then the reference checks
   * and the writing start at once, and the store commits only once the validation passed.
   */
  async appendValidated(events: readonly LedgerEvent[], options: AppendOptions = {}): Promise<AppendedEvent[]> {
    const validation = options.validation;
    // Until validated, an event may not have the shape the checks and the store read: any
    // failure then waits for the validation, whose errors are the ones to report.
    const shapesFirst = async (error: unknown): Promise<never> => {
      await validation;
      throw error;
    };
    const signal = options.signal;
    for (let attempt = 1; ; attempt += 1) {
      signal?.throwIfAborted();
      const decided = await this.decide(events, options).catch(shapesFirst);
      const request: AppendRequest = options.recordings ? { ...decided, recordings: options.recordings } : decided;
      try {
        // A request still being validated, or one that can be cancelled, goes straight to the
        // store: a group commit must not wait for it, and commits units it cannot cancel.
        if (validation || signal) {
          return await this.store.append({ ...request, ...(validation ? { ready: validation } : {}), ...(signal ? { signal } : {}) });
        }
        return await this.submit(request);
      } catch (error) {
        await validation;
        if (error instanceof IdempotencyConflictError) throw conflictOn(events, error.eventId);
        // An erased learner's event: refused by rule (docs/erasure.md), naming the event and the field.
        if (error instanceof ErasedLearnerError) {
          throw new EventsRejectedError('invalid', [
            { index: events.findIndex((e) => e.eventId === error.eventId), eventId: error.eventId, field: 'learnerId', message: error.message },
          ]);
        }
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

  /**
   * The rules that refer to the log, checked against the streams as they are now. Only
   * `PathEnded` and `EventRetracted` refer to earlier events, so only their streams are
   * read; every other check (a reused eventId included) is the store's, inside its
   * transaction.
   */
  private async decide(events: readonly LedgerEvent[], options: IngestOptions): Promise<AppendRequest> {
    const referring = new Set<string>();
    const mentors = new Set<string>();
    for (const event of events) {
      if (refersToEarlierEvents(event)) referring.add(streamIdOf(event));
      const mentorId = mentorIdOf(event);
      if (mentorId !== undefined) mentors.add(mentorStreamOf(mentorId));
    }
    const expectedRevisions = new Map<string, ExpectedRevision>(options.expectedRevisions ?? []);
    if (referring.size === 0 && mentors.size === 0) return { events, expectedRevisions };

    const inStreams = events.filter((e) => referring.has(streamIdOf(e)) || mentorIdOf(e) !== undefined);
    const present = await this.store.findEvents(inStreams.map((e) => e.eventId));
    const streams = await this.loadStreams([...referring]);
    const mentorStreams = await this.loadMentorStreams([...mentors]);
    const seen = new Set<string>();
    const errors: RejectedEvent[] = [];
    events.forEach((event, index) => {
      // An event already present is a no-op whatever else holds; a repeat with other content is the store's to refuse.
      if (present.has(event.eventId) || seen.has(event.eventId)) return;
      const mentorId = mentorIdOf(event);
      const mentor = mentorId === undefined ? undefined : mentorStreams.get(mentorStreamOf(mentorId));
      const stream = isLearnerEvent(event) ? streams.get(streamIdOf(event)) : undefined;
      if (!stream && !mentor) return;
      seen.add(event.eventId);
      // In file order: a mentor registered on a later line is not registered yet.
      if (mentor) {
        for (const e of checkMentorReferences(event, mentor.state)) errors.push({ index, eventId: event.eventId, ...e });
        evolveMentorStream(mentor.state, event);
      }
      if (stream && isLearnerEvent(event)) {
        for (const e of checkReferences(event, stream.state)) errors.push({ index, eventId: event.eventId, ...e });
        evolveLearnerStream(stream.state, event);
      }
    });
    if (errors.length > 0) throw new EventsRejectedError('invalid', errors);

    // Only a retraction's check can be undone by a concurrent append (another retraction of
    // the same event); admissions and events are never removed, so every other check still
    // holds whatever is appended meanwhile. Pinning only those streams keeps concurrent
    // events of one learner from failing each other in a group commit. A registration is
    // the other such check (a concurrent one would make two): its mentor's stream is pinned.
    for (const event of events) {
      const stream = event.type === 'EventRetracted' ? streams.get(streamIdOf(event)) : undefined;
      if (stream && !expectedRevisions.has(streamIdOf(event))) expectedRevisions.set(streamIdOf(event), stream.revision);
      const mentor = event.type === 'MentorRegistered' && !present.has(event.eventId) ? mentorStreams.get(streamIdOf(event)) : undefined;
      if (mentor && !expectedRevisions.has(streamIdOf(event))) expectedRevisions.set(streamIdOf(event), mentor.revision);
    }
    return { events, expectedRevisions };
  }

  private async loadMentorStreams(streamIds: readonly string[]): Promise<Map<string, { state: MentorStreamState; revision: ExpectedRevision }>> {
    const streams = new Map<string, { state: MentorStreamState; revision: ExpectedRevision }>();
    for (const streamId of streamIds) {
      const records = await this.store.readStream(streamId);
      const state = initialMentorStream();
      for (const record of records) evolveMentorStream(state, factsOf(record));
      const last = records[records.length - 1];
      streams.set(streamId, { state, revision: last ? last.streamRevision : 'no-stream' });
    }
    return streams;
  }

  private async loadStreams(
    streamIds: readonly string[],
  ): Promise<Map<string, { state: LearnerStreamState; revision: ExpectedRevision }>> {
    const streams = new Map<string, { state: LearnerStreamState; revision: ExpectedRevision }>();
    for (const streamId of streamIds) {
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

function refersToEarlierEvents(event: LedgerEvent): boolean {
  return event.type === 'PathEnded' || event.type === 'EventRetracted';
}

/** A reused eventId: named at its repeat within the request if there is one, else at its only place. */
function conflictOn(events: readonly LedgerEvent[], eventId: string): EventsRejectedError {
  const places = events.flatMap((e, i) => (e.eventId === eventId ? [i] : []));
  const index = places[1] ?? places[0] ?? -1;
  return new EventsRejectedError('conflict', [
    { index, eventId, field: 'eventId', message: `${eventId} is already in the log or this request with different content` },
  ]);
}
