import type { LearnerErased } from '../catalog';
import { parseRfc3339 } from '../rfc3339';
import { pseudonymousIdProblem, REASON_TEXT, textProblem } from './text';
import { isUuid, UUID_MESSAGE } from './uuid';

/** An erasure request, as `EventStore.eraseLearner` takes it (the CLI and API build it). */
export interface ErasureRequest {
  /** When the erasure was decided: the `occurredAt` of the `LearnerErased` event (RFC 3339). */
  readonly erasedAt: string;
  /** Why, in words (1-500 characters, `EventRetracted.reason`'s rule). Required. */
  readonly reason: string;
  /** The id of the `LearnerErased` event (a UUID, made by the caller: the library makes no ids). */
  readonly eventId: string;
}

export interface ErasureFieldError {
  readonly field: 'learnerId' | 'reason' | 'erasedAt' | 'eventId';
  readonly message: string;
}

/** Every problem of an erasure request, by field; empty when it is valid. */
export function erasureRequestProblems(learnerId: unknown, request: Partial<Record<keyof ErasureRequest, unknown>>): ErasureFieldError[] {
  const problems: ErasureFieldError[] = [];
  const learner = pseudonymousIdProblem(learnerId);
  if (learner) problems.push({ field: 'learnerId', message: learner });
  const reason = request.reason === undefined ? 'is required: an erasure says why' : textProblem(request.reason, REASON_TEXT);
  if (reason) problems.push({ field: 'reason', message: reason });
  const at = request.erasedAt;
  if (typeof at !== 'string' || parseRfc3339(at) === undefined) problems.push({ field: 'erasedAt', message: 'must be an RFC 3339 date-time with an offset' });
  if (!isUuid(request.eventId)) problems.push({ field: 'eventId', message: UUID_MESSAGE });
  return problems;
}

/** The `LearnerErased` event of a valid request. */
export function learnerErasedEvent(learnerId: string, request: ErasureRequest): LearnerErased {
  return { eventId: request.eventId, type: 'LearnerErased', learnerId, occurredAt: request.erasedAt, data: { reason: request.reason } };
}
