import { EVENT_TYPES, LEARNER_EVENT_TYPES, OTHER_EVENT_TYPES, type EventType } from '../catalog';
import { parseRfc3339 } from '../rfc3339';
import { DATA_CLASSES } from './data-classes';
import { NestedObject, OneOf, Rule, isOneOf } from './rule';
import { pseudonymousIdProblem } from './text';
import { UUID_MESSAGE, isUuid } from './uuid';

/**
 * `now` travels on the instance under a symbol: class-validator has no per-call context, and
 * the whitelist only sees string keys, so this never reads as an unknown field.
 */
export const NOW_MS = Symbol('nowMs');

const MAX_FUTURE_MS = 5 * 60_000;
/** utcInstantKey is fixed-width, hence ordered, only for UTC years 0000-9999. */
const MIN_EPOCH_MS = new Date(0).setUTCFullYear(0, 0, 1);
const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function learnerIdProblem(learnerId: unknown, envelope: Record<string, unknown>): string | undefined {
  const type = envelope['type'];
  if (isOneOf(OTHER_EVENT_TYPES, type)) {
    return learnerId === undefined ? undefined : `is not allowed for ${type} (not a learner event)`;
  }
  if (learnerId === undefined) {
    // An unknown type is reported on `type`; whether it needs a learner cannot be told.
    return isOneOf(LEARNER_EVENT_TYPES, type) ? `is required for ${type} (a learner event)` : undefined;
  }
  return pseudonymousIdProblem(learnerId);
}

function occurredAtProblem(occurredAt: unknown, envelope: Record<string, unknown>): string | undefined {
  const instant = typeof occurredAt === 'string' ? parseRfc3339(occurredAt) : undefined;
  if (instant === undefined) return 'must be an RFC 3339 timestamp with an offset (e.g. 2024-03-01T09:30:00+01:00)';
  if (instant.epochMs < MIN_EPOCH_MS || instant.epochMs > MAX_EPOCH_MS) return 'must fall within the years 0000-9999 in UTC';
  const nowMs = (envelope as { [NOW_MS]?: number })[NOW_MS];
  if (nowMs === undefined) throw new Error('EventEnvelope validated without a `now`: use validateEvent');
  const lateBy = instant.epochMs - (nowMs + MAX_FUTURE_MS);
  // Exactly 5 minutes ahead is allowed; a nanosecond more is not.
  if (lateBy > 0 || (lateBy === 0 && instant.subMsNanos > 0)) {
    return 'is more than 5 minutes in the future';
  }
  return undefined;
}

export class EventEnvelope {
  @Rule('uuid', (value) => (isUuid(value) ? undefined : UUID_MESSAGE))
  eventId!: string;

  @OneOf(EVENT_TYPES)
  type!: EventType;

  @Rule('learnerIdForType', learnerIdProblem, { seesMissing: true })
  learnerId?: string;

  @Rule('occurredAt', occurredAtProblem)
  occurredAt!: string;

  @NestedObject((envelope) => {
    const type = envelope['type'];
    return isOneOf(EVENT_TYPES, type) ? DATA_CLASSES[type] : undefined;
  })
  data!: object;

  [NOW_MS]?: number;
}
