import { Query } from '@nestjs/cqrs';
import type { FigureChange } from '@ledger/audit';
import type { Period } from '@ledger/projection-kit';

/** What changed a figure between two known-at moments A and B (A not after B): its values, and the events that changed it. */
export class ChangesQuery extends Query<FigureChange> {
  constructor(
    readonly request: { readonly figure: string; readonly period: Period; readonly knownAtA: string; readonly knownAtB: string; readonly now: string },
  ) {
    super();
  }
}
