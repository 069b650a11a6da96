import type { ErasureRequest } from '@ledger/events';
import { erasureRequestProblems } from '@ledger/events';
import { ErasureRefusedError } from './event-store.port';

/**
 * An erasure request checked before any store touches the log: every wrong field named,
 * nothing changed. What every adapter's `eraseLearner` does first.
 */
export function checkedErasure(learnerId: unknown, request: Partial<Record<keyof ErasureRequest, unknown>>): ErasureRequest {
  const problems = erasureRequestProblems(learnerId, request);
  if (problems.length > 0) {
    throw new ErasureRefusedError(
      'invalid-request',
      `erasure refused, nothing changed: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      problems,
    );
  }
  return request as ErasureRequest;
}

export function unknownLearner(learnerId: string): ErasureRefusedError {
  return new ErasureRefusedError('unknown-learner', `erasure refused, nothing changed: the log holds no event of learner ${learnerId}`);
}

/** What a store that cannot erase (KurrentDB: events are immutable) answers. */
export function erasureNotSupported(kind: string, why: string): ErasureRefusedError {
  return new ErasureRefusedError('not-supported', `erasure refused, nothing changed: the ${kind} store cannot erase (${why}); see docs/erasure.md`);
}
