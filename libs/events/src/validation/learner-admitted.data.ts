import { PATH_LANGUAGES, TRACKS, type LearnerAdmitted, type PathLanguage, type StatusAssessment, type Track } from '../catalog';
import { IsCountry } from './country';
import { NestedObject, OneOf, Optional } from './rule';
import { IdText } from './text';
import { StatusAssessmentDto } from './status-assessment.dto';

type Data = LearnerAdmitted['data'];

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
}
