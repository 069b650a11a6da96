import type { EventRetracted } from '../catalog';
import { Rule } from './rule';
import { REASON_TEXT, Text } from './text';
import { UUID_MESSAGE, isUuid } from './uuid';

type Data = EventRetracted['data'];

/** Shape only: that the retracted event is an earlier one of the same learner is checked against the log. */
export class EventRetractedData implements Data {
  @Rule('uuid', (value) => (isUuid(value) ? undefined : UUID_MESSAGE))
  readonly retractedEventId!: string;

  @Text(REASON_TEXT)
  readonly reason!: string;
}
