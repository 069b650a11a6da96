import { EVIDENCE_KINDS, OUTCOMES, type EvidenceKind, type Outcome, type ProfessionalOutcomeReported } from '../catalog';
import { NestedObject, NonEmptyString, OneOf } from './rule';

type Data = ProfessionalOutcomeReported['data'];
type Evidence = Data['evidence'];

export class EvidenceDto implements Evidence {
  @OneOf(EVIDENCE_KINDS)
  readonly kind!: EvidenceKind;

  @NonEmptyString()
  readonly reference!: string;
}

export class ProfessionalOutcomeReportedData implements Data {
  @OneOf(OUTCOMES)
  readonly outcome!: Outcome;

  /** Required: there is no outcome without a voluntary declaration. */
  @NestedObject(() => EvidenceDto)
  readonly evidence!: Evidence;
}
