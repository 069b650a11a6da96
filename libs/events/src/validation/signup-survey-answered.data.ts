import { GENDERS, MOTIVATIONS, type Gender, type Motivation, type SignupSurveyAnswered, type StatusAssessment } from '../catalog';
import { IsCountry } from './country';
import { NestedObject, OneOf, Optional } from './rule';
import { IdText } from './text';
import { StatusAssessmentDto } from './status-assessment.dto';

type Data = SignupSurveyAnswered['data'];

export class SignupSurveyAnsweredData implements Data {
  @IdText()
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
