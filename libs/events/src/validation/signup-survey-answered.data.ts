import { GENDERS, MOTIVATIONS, type Gender, type Motivation, type SignupSurveyAnswered, type StatusAssessment } from '../catalog';
import { IsCountry } from './country';
import { NestedObject, NonEmptyString, OneOf, Optional } from './rule';
import { StatusAssessmentDto } from './status-assessment.dto';

type Data = SignupSurveyAnswered['data'];

export class SignupSurveyAnsweredData implements Data {
  @NonEmptyString()
  readonly surveyResponseId!: string;

  @IsCountry()
  readonly country!: string;

  @OneOf(MOTIVATIONS)
  readonly motivation!: Motivation;

  @Optional()
  @OneOf(GENDERS)
  readonly gender?: Gender;

  @Optional()
  @NestedObject(() => StatusAssessmentDto)
  readonly statusAssessment?: StatusAssessment;
}
