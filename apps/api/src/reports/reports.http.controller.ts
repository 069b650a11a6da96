import { Readable } from 'node:stream';
import { Controller, Get, Header, Inject, Param, Query, Req, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { EventWindow } from '@ledger/projection-runtime';
import { UnknownFigureError } from '@ledger/projection-runtime';
import { provenanceJson, provenanceNdjson } from '@ledger/projection-runtime';
import type { ReportDocument } from '@ledger/projection-runtime';
import { normalizeKnownAt } from '@ledger/projection-runtime';
import type { FigureChange } from '@ledger/audit';
import { ChangesQuery } from '@ledger/application';
import { ExplainQuery } from '@ledger/application';
import { DescribedReportQuery, ReportQuery } from '@ledger/application';
import { provenanceCsvExport, provenanceFileName } from '@ledger/exports';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import { READERS, Roles } from '../auth/roles.decorator';
import { fieldError } from '../http/bad-request';
import { ChangesRequest, ExplainRequest, periodRequestOf } from '../http/period-request';
import { ErrorResponse, FigureChangeResponse, FigureProvenanceResponse, ReportDocumentResponse } from '../openapi/response.dto';
import { PdfRenderer } from './pdf-renderer';
import { exportFile, exportOptions, ReportRequest } from './report-exports';

/**
 * The report and a figure's provenance, as `ledger report` and `ledger explain` give them,
 * from the same handlers (ReportQuery, ExplainQuery): the read models are brought up to the
 * head of the log (and saved) before answering, one request at a time.
 */
@ApiTags('reports')
@Controller()
@Roles(...READERS)
export class ReportsHttpController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pdf: PdfRenderer,
  ) {}

  @Get('reports')
  @ApiOperation({ summary: "Every figure of KPIS.md for a period, as known at a moment: KPIS.md's report document (committee, auditor, admin)" })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  @ApiOkResponse({ type: ReportDocumentResponse, description: 'the document; with `format` csv, xlsx or pdf, a file to download (Content-Disposition names the period and the moment)' })
  @ApiBadRequestResponse({ description: 'a day that is not a calendar day, from after to, knownAt not RFC 3339 or in the future, a format or lang it does not take', type: ErrorResponse })
  @ApiServiceUnavailableResponse({ description: 'format=pdf: Chromium is missing or would not start (kind pdf-unavailable), or too many PDFs are being printed (kind busy)', type: ErrorResponse })
  async report(@Query() query: ReportRequest): Promise<ReportDocument | StreamableFile> {
    const { format, lang } = exportOptions(query);
    const request = periodRequestOf(query, this.clock());
    if (format === 'json') return this.queries.execute(new ReportQuery(request));
    // The same figures as the document, with the definitions of them (labels, units, what they count) the files lay out.
    const described = await this.queries.execute(new DescribedReportQuery(request));
    return exportFile(described, format, lang, this.pdf);
  }

  @Get('figures/:figureId/explain')
  @ApiOperation({
    summary: "A figure's provenance: what it counts and the events that make it (committee, auditor, admin)",
    description:
      'Written as the events are read from the log, in bounded memory: as JSON (the document), or as NDJSON with `Accept: application/x-ndjson` (a head line, one line per event, a last line `{ eventCount, next }`). ' +
      'Pages: `limit` events after the cursor `after` (a log position); `next` is the cursor of the page after, null on the last one. ' +
      '`format=csv`: a file to download, written as the events are read too (docs/api.md: a `# key,value` preamble, one record per event, `# eventCount` and `# next` at the end).',
  })
  @ApiParam({ name: 'figureId', description: "a key of the report's figures", example: 'impact.positive-progressions' })
  @ApiProduces('application/json', 'application/x-ndjson', 'text/csv')
  @ApiOkResponse({ type: FigureProvenanceResponse })
  @ApiBadRequestResponse({ description: 'as /reports, an unknown figure id (field figureId), a bad limit or after', type: ErrorResponse })
  @Header('Vary', 'Accept, Accept-Language')
  async explain(@Param('figureId') figure: string, @Query() query: ExplainRequest, @Req() http: Request): Promise<StreamableFile> {
    try {
      const request = { figure, ...periodRequestOf(query, this.clock()) };
      const window = windowOf(query);
      const format = formatOf(query.format, http);
      // The events are read from the log as the client takes them.
      const opened = await this.queries.execute(new ExplainQuery(request));
      if (format === 'csv') {
        const name = provenanceFileName(figure, opened.head.period, opened.head.knownAt);
        return new StreamableFile(Readable.from(provenanceCsvExport(opened, window), { objectMode: false }), { type: CSV, disposition: `attachment; filename="${name}"` });
      }
      const text = format === 'ndjson' ? provenanceNdjson(opened, window) : provenanceJson(opened, window, 0);
      // Bytes, not objects: the response pulls a chunk (a page of events) when it has sent the last one.
      return new StreamableFile(Readable.from(text, { objectMode: false }), { type: format === 'ndjson' ? NDJSON : 'application/json; charset=utf-8' });
    } catch (error) {
      if (error instanceof UnknownFigureError) throw fieldError('figureId', error.message);
      throw error;
    }
  }

  @Get('figures/:figureId/changes')
  @ApiOperation({
    summary: 'What changed a figure between two moments A and B: its values, and the events recorded or retracted in between that changed it (committee, auditor, admin)',
  })
  @ApiParam({ name: 'figureId', description: "a key of the report's figures", example: 'key.courses-started' })
  @ApiOkResponse({ type: FigureChangeResponse })
  @ApiBadRequestResponse({ description: 'as /reports for each moment, A after B, an unknown figure id', type: ErrorResponse })
  async changes(@Param('figureId') figure: string, @Query() query: ChangesRequest): Promise<FigureChange> {
    const now = this.clock();
    const a = momentOf(query.knownAtA, 'knownAtA', now);
    const b = momentOf(query.knownAtB, 'knownAtB', now);
    if (a > b) throw fieldError('knownAtA', `knownAtA (${a}) is after knownAtB (${b})`);
    const { period } = periodRequestOf({ from: query.from, to: query.to }, now);
    try {
      return await this.queries.execute(new ChangesQuery({ figure, period, knownAtA: a, knownAtB: b, now: now.toISOString() }));
    } catch (error) {
      if (error instanceof UnknownFigureError) throw fieldError('figureId', error.message);
      throw error;
    }
  }
}

/** A moment of `changes`, checked as `knownAt` is, named by its own field. */
function momentOf(value: string, field: string, now: Date): string {
  try {
    return normalizeKnownAt(value, now.toISOString());
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw fieldError(field, error.message);
  }
}

const NDJSON = 'application/x-ndjson; charset=utf-8';
const CSV = 'text/csv; charset=utf-8; header=present';

function wholeNumber(value: string | undefined, field: string, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw fieldError(field, `${field} must be ${what}, not ${JSON.stringify(value)}`);
  return n;
}

function windowOf(query: ExplainRequest): EventWindow {
  return { limit: wholeNumber(query.limit, 'limit', 'a whole number of events'), after: wholeNumber(query.after, 'after', 'a log position (the `next` of a page)') };
}

const EXPLAIN_FORMATS = ['json', 'ndjson', 'csv'] as const;

/**
 * `format` when given (json, ndjson, csv: a link to download names it), else NDJSON when
 * `Accept` prefers it to JSON, else JSON (the dashboard's answer), whatever else it asks.
 */
function formatOf(asked: string | undefined, http: Request): (typeof EXPLAIN_FORMATS)[number] {
  if (asked !== undefined) {
    const format = EXPLAIN_FORMATS.find((f) => f === asked);
    if (format === undefined) throw fieldError('format', `format must be one of ${EXPLAIN_FORMATS.join(', ')} (got ${JSON.stringify(asked)})`);
    return format;
  }
  return http.accepts(['application/json', 'application/x-ndjson']) === 'application/x-ndjson' ? 'ndjson' : 'json';
}
