import { STATUSES, type Status, type StatusAssessment } from '../catalog';
import { Rule, atIndex, isOneOf } from './rule';

const ONE_OF_STATUSES = `must be one of: ${STATUSES.join(', ')}`;

/** An array of statuses without duplicates; names the first bad element. */
function statusListProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'must be an array of statuses';
  for (let i = 0; i < value.length; i++) {
    const status: unknown = value[i];
    if (!isOneOf(STATUSES, status)) return atIndex(i, ONE_OF_STATUSES);
    const first = value.indexOf(status);
    if (first < i) return atIndex(i, `repeats ${status} (already at index ${first}; no duplicates)`);
  }
  return undefined;
}

/** `held` ⊆ `assessed`: a status that was not assessed is unknown, so it cannot be held. */
function heldWithinAssessedProblem(held: unknown, assessment: Record<string, unknown>): string | undefined {
  const assessed = assessment['assessed'];
  // A malformed list is already reported by its own rule; comparing it would only add noise.
  if (!Array.isArray(held) || !Array.isArray(assessed)) return undefined;
  // Duplicates are reported by the list rule; each missing status is named once.
  const notAssessed = [...new Set(held.filter((s): s is Status => isOneOf(STATUSES, s) && !assessed.includes(s)))];
  if (notAssessed.length === 0) return undefined;
  const verb = notAssessed.length === 1 ? 'is' : 'are';
  // StatusAssessment only ever sits at data.statusAssessment, hence the absolute name.
  return `must be a subset of data.statusAssessment.assessed (${notAssessed.join(', ')} ${verb} held but not assessed)`;
}

export class StatusAssessmentDto implements StatusAssessment {
  @Rule('statusList', statusListProblem)
  readonly assessed!: readonly Status[];

  // Decorators apply bottom-up: the list's own errors come first.
  @Rule('heldWithinAssessed', heldWithinAssessedProblem, { seesMissing: true })
  @Rule('statusList', statusListProblem)
  readonly held!: readonly Status[];
}
