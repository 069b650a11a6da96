import { Query } from '@nestjs/cqrs';
import type { OpenProvenance } from '@ledger/projection-runtime';
import type { Period } from '@ledger/projection-kit';

/**
 * A figure's provenance, opened: its value, what it counts, and its events to be read
 * page by page as the shell writes them (bounded memory, whatever their number).
 */
export class ExplainQuery extends Query<OpenProvenance> {
  constructor(readonly request: { readonly figure: string; readonly period: Period; readonly knownAt?: string; readonly now: string }) {
    super();
  }
}
