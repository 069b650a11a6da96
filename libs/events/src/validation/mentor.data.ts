import type { MentoringSessionHeld, MentorProfileUpdated, MentorRegistered, StatusAssessment } from '../catalog';
import { IsCountry } from './country';
import { NestedObject, Optional, Rule } from './rule';
import { IdText, pseudonymousIdProblem } from './text';
import { StatusAssessmentDto } from './status-assessment.dto';

type SessionData = MentoringSessionHeld['data'];
type RegisteredData = MentorRegistered['data'];
type ProfileData = MentorProfileUpdated['data'];

/** `mentorId` follows `learnerId`'s pattern (EVENTS.md v1.1): 1-64 of `[A-Za-z0-9._-]`. */
export function MentorId(): PropertyDecorator {
  return Rule('mentorId', pseudonymousIdProblem);
}

/** Shape only: that the mentor is registered earlier is checked against the log (mentor-stream.ts). */
export class MentoringSessionHeldData implements SessionData {
  @IdText()
  readonly sessionId!: string;

  @MentorId()
  readonly mentorId!: string;
}

export class MentorRegisteredData implements RegisteredData {
  @MentorId()
  readonly mentorId!: string;

  @IsCountry()
  readonly country!: string;

  @Optional()
  @NestedObject(() => StatusAssessmentDto)
  readonly statusAssessment?: StatusAssessment;
}

export class MentorProfileUpdatedData implements ProfileData {
  @MentorId()
  readonly mentorId!: string;

  /** Required: an update says which statuses were assessed (they accumulate). */
  @NestedObject(() => StatusAssessmentDto)
  readonly statusAssessment!: StatusAssessment;
}
