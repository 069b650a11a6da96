import { EMPLOYER_FUNDERS, FUNDERS, type Funder, type FundingGranted, type StatusAssessment } from '../catalog';
import { NestedObject, OneOf, Optional, Rule, isOneOf } from './rule';
import { ID_TEXT, IdText, textProblem } from './text';
import { StatusAssessmentDto } from './status-assessment.dto';

type Data = FundingGranted['data'];

/** `employerId` is required for the funders that name an employer and forbidden for the others. */
function employerIdProblem(employerId: unknown, data: Record<string, unknown>): string | undefined {
  const funder = data['funder'];
  if (isOneOf(EMPLOYER_FUNDERS, funder)) {
    return employerId === undefined ? `is required when funder is ${funder}` : textProblem(employerId, ID_TEXT);
  }
  if (isOneOf(FUNDERS, funder)) {
    return employerId === undefined ? undefined : `is not allowed when funder is ${funder}`;
  }
  // Unknown funder: reported on `funder`; only the value itself can still be judged here.
  return employerId === undefined ? undefined : textProblem(employerId, ID_TEXT);
}

export class FundingGrantedData implements Data {
  @IdText()
  readonly fundingId!: string;

  @OneOf(FUNDERS)
  readonly funder!: Funder;

  @Rule('employerIdForFunder', employerIdProblem, { seesMissing: true })
  readonly employerId?: string;

  @Optional()
  @NestedObject(() => StatusAssessmentDto)
  readonly statusAssessment?: StatusAssessment;
}
