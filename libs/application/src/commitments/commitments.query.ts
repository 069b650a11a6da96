import { Query } from '@nestjs/cqrs';
import type { Period } from '@ledger/projection-kit';
import type { CommitmentEntry } from '@ledger/projections';

/** The committee's commitments of a period as known at K, as recorded (CommitmentSet): labels, levers and targets. */
export interface CommitmentsView {
  readonly period: Period;
  readonly knownAt: string;
  readonly logPosition: number;
  readonly commitments: readonly CommitmentEntry[];
}

/**
 * What only the log says of the levers' targets: the report has their figures
 * (`commitments.<id>.target`...), this gives their labels, levers and measures.
 */
export class CommitmentsQuery extends Query<CommitmentsView> {
  constructor(readonly request: { readonly period: Period; readonly knownAt?: string; readonly now: string }) {
    super();
  }
}
