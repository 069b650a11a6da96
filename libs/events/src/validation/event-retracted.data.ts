import type { EventRetracted } from '../catalog';
import { Rule } from './rule';
import { UUID_MESSAGE, isUuid } from './uuid';

type Data = EventRetracted['data'];

const MAX_REASON_CHARS = 500;

function reasonProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  // Characters are code points (as a database counts them), not UTF-16 units; code points
  // never outnumber units, so the count is needed only past 500 units.
  if (value.length > MAX_REASON_CHARS && [...value].length > MAX_REASON_CHARS) {
    return `must be at most ${MAX_REASON_CHARS} characters`;
  }
  return undefined;
}

/** Shape only: that the retracted event is an earlier one of the same learner is checked against the log. */
export class EventRetractedData implements Data {
  @Rule('uuid', (value) => (isUuid(value) ? undefined : UUID_MESSAGE))
  readonly retractedEventId!: string;

  @Rule('reason', reasonProblem)
  readonly reason!: string;
}
