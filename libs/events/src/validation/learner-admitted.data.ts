import { PATH_LANGUAGES, TRACKS, type LearnerAdmitted, type PathLanguage, type StatusAssessment, type Track } from '../catalog';
import { IsCountry } from './country';
import { NestedObject, OneOf, Optional, Rule } from './rule';
import { IdText } from './text';
import { StatusAssessmentDto } from './status-assessment.dto';

type Data = LearnerAdmitted['data'];

/** v1.1: integer 1-36; no coercion ("12" and 12.5 are refused). */
function plannedMonthsProblem(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 36 ? undefined : 'must be an integer from 1 to 36 (months)';
}

export class LearnerAdmittedData implements Data {
  @IdText()
  readonly admissionId!: string;

  @IdText()
  readonly pathId!: string;

  @OneOf(PATH_LANGUAGES)
  readonly pathLanguage!: PathLanguage;

  @OneOf(TRACKS)
  readonly track!: Track;

  @Optional()
  @IsCountry()
  readonly country?: string;

  @Optional()
  @NestedObject(() => StatusAssessmentDto)
  readonly statusAssessment?: StatusAssessment;

  @Optional()
  @Rule('plannedMonths', plannedMonthsProblem)
  readonly plannedMonths?: number;
}
