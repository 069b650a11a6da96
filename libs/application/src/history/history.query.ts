import { Query } from '@nestjs/cqrs';

/** The years in which the log's events occurred, as known at K: the dashboard's series span them. */
export interface LogYearsView {
  readonly knownAt: string;
  readonly logPosition: number;
  /** Calendar years (UTC) of the events' `occurredAt`, ascending, each once; [] for an empty log. */
  readonly years: readonly number[];
}

export class LogYearsQuery extends Query<LogYearsView> {
  constructor(readonly request: { readonly knownAt?: string; readonly now: string }) {
    super();
  }
}

/** The retraction of an event: the EventRetracted that names it, and its reason. */
export interface EventRetraction {
  readonly position: number;
  readonly eventId: string;
  readonly recordedAt: string;
  readonly reason: string;
  /** Recorded after the moment asked about: the event still counts as known then. */
  readonly afterKnownAt: boolean;
}

/** One event of a provenance in full: its payload (none once erased) and its retraction, if any. */
export interface EventDetail {
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly learnerId: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
  /** The event's data as recorded; null when the learner's personal part was erased (docs/erasure.md). */
  readonly data: unknown;
  readonly erased?: true;
  readonly retraction: EventRetraction | null;
}

export interface EventDetailsView {
  readonly knownAt: string;
  readonly logPosition: number;
  readonly events: readonly EventDetail[];
}

/** At most this many positions a request: a provenance page's worth. */
export const EVENT_DETAILS_LIMIT = 200;

/**
 * The events at some log positions (a provenance page) with their payloads, and the
 * retraction of each as the log holds it now, flagged when it came after `knownAt`.
 */
export class EventDetailsQuery extends Query<EventDetailsView> {
  constructor(readonly request: { readonly positions: readonly number[]; readonly knownAt?: string; readonly now: string }) {
    super();
  }
}
