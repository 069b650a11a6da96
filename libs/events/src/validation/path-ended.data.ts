import { PATH_END_REASONS, type PathEndReason, type PathEnded } from '../catalog';
import { NonEmptyString, OneOf } from './rule';

type Data = PathEnded['data'];

/** Shape only: that `admissionId` names an earlier admission of the learner is checked against the log. */
export class PathEndedData implements Data {
  @NonEmptyString()
  readonly admissionId!: string;

  @OneOf(PATH_END_REASONS)
  readonly reason!: PathEndReason;
}
