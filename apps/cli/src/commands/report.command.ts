import type { INestApplicationContext } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { DescribedReportQuery, ReportQuery } from '@ledger/application';
import type { DescribedReport, ReportDocument } from '@ledger/projection-runtime';
import { parsePeriod } from '@ledger/projection-kit';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import type { CliIo } from '../cli-io';
import { refusedInput } from '../cli-io';
import type { ReportFormat } from '../report-format';
import { formatReport, REPORT_FORMATS } from '../report-format';

export interface ReportOptions {
  readonly from: string;
  readonly to: string;
  readonly knownAt?: string;
  readonly format?: string;
}

/** Every figure of KPIS.md for a period as known at a moment (ReportQuery: the read models brought up to date first). */
export async function reportOf(app: INestApplicationContext, options: ReportOptions): Promise<ReportDocument> {
  const period = parsePeriod(options.from, options.to);
  const now = app.get<Clock>(CLOCK)().toISOString();
  return app.get(QueryBus).execute(new ReportQuery({ period, ...(options.knownAt !== undefined ? { knownAt: options.knownAt } : {}), now }));
}

/** The report with the definitions of its figures (a commitment's labels included): for the table and the CSV. */
export async function describedReportOf(app: INestApplicationContext, options: ReportOptions): Promise<DescribedReport> {
  const period = parsePeriod(options.from, options.to);
  const now = app.get<Clock>(CLOCK)().toISOString();
  return app.get(QueryBus).execute(new DescribedReportQuery({ period, ...(options.knownAt !== undefined ? { knownAt: options.knownAt } : {}), now }));
}

/** `ledger report --from --to [--known-at] [--format json|table|csv]`. */
export async function reportCommand(app: INestApplicationContext, options: ReportOptions, io: CliIo): Promise<number> {
  const format = (options.format ?? 'json') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) {
    io.err(`--format must be one of ${REPORT_FORMATS.join(', ')}, not ${JSON.stringify(options.format)}`);
    return 2;
  }
  let described: DescribedReport;
  try {
    described = await describedReportOf(app, options);
  } catch (error) {
    return refusedInput(io, error);
  }
  io.out(formatReport(described.report, format, described.definitions));
  return 0;
}
