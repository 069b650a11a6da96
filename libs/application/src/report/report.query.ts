import { Query } from '@nestjs/cqrs';
import type { ReportDocument } from '@ledger/projection-runtime';
import type { Period } from '@ledger/projection-kit';

/**
 * Every figure of KPIS.md for a period, as known at `knownAt` (default: `now`). The shell
 * parses the period and reads its clock: `now` comes with the query.
 */
export class ReportQuery extends Query<ReportDocument> {
  constructor(readonly request: { readonly period: Period; readonly knownAt?: string; readonly now: string }) {
    super();
  }
}
