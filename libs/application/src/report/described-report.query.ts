import { Query } from '@nestjs/cqrs';
import type { DescribedReport } from '@ledger/projection-runtime';
import type { Period } from '@ledger/projection-kit';

/**
 * The report of `ReportQuery` with the definitions of its figures (labels, units, groups),
 * the ones only the log gives included (a commitment's label): what a table lays out.
 */
export class DescribedReportQuery extends Query<DescribedReport> {
  constructor(readonly request: { readonly period: Period; readonly knownAt?: string; readonly now: string }) {
    super();
  }
}
