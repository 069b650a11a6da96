import { EVIDENCE_KINDS, OUTCOMES, type EvidenceKind, type Outcome, type ProfessionalOutcomeReported } from '../catalog';
import { NestedObject, OneOf } from './rule';
import { IdText } from './text';

type Data = ProfessionalOutcomeReported['data'];
type Evidence = Data['evidence'];

export class EvidenceDto implements Evidence {
  @OneOf(EVIDENCE_KINDS)
  readonly kind!: EvidenceKind;

  @IdText()
  readonly reference!: string;
}

export class ProfessionalOutcomeReportedData implements Data {
  @OneOf(OUTCOMES)
  readonly outcome!: Outcome;

  /** Required: there is no outcome without a voluntary declaration. */
  @NestedObject(() => EvidenceDto)
  readonly evidence!: Evidence;
}
