import { PATH_END_REASONS, type PathEndReason, type PathEnded } from '../catalog';
import { OneOf } from './rule';
import { IdText } from './text';

type Data = PathEnded['data'];

/** Shape only: that `admissionId` names an earlier admission of the learner is checked against the log. */
export class PathEndedData implements Data {
  @IdText()
  readonly admissionId!: string;

  @OneOf(PATH_END_REASONS)
  readonly reason!: PathEndReason;
}
