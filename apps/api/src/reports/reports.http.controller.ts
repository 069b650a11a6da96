import { Readable } from 'node:stream';
import { Controller, Get, Header, Inject, Param, Query, Req, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { EventWindow } from '@ledger/projection-runtime';
import { UnknownFigureError } from '@ledger/projection-runtime';
import { provenanceJson, provenanceNdjson } from '@ledger/projection-runtime';
import type { ReportDocument } from '@ledger/projection-runtime';
import { normalizeKnownAt } from '@ledger/projection-runtime';
import type { FigureChange } from '@ledger/audit';
import { ChangesQuery } from '@ledger/application';
import { ExplainQuery } from '@ledger/application';
import { ReportQuery } from '@ledger/application';
import type { Clock } from '@ledger/store';
import { CLOCK } from '@ledger/store';
import { READERS, Roles } from '../auth/roles.decorator';
import { fieldError } from '../http/bad-request';
import { ChangesRequest, ExplainRequest, PeriodRequest, periodRequestOf } from '../http/period-request';
import { ErrorResponse, FigureChangeResponse, FigureProvenanceResponse, ReportDocumentResponse } from '../openapi/response.dto';

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
  ) {}

  @Get('reports')
  @ApiOperation({ summary: "Every figure of KPIS.md for a period, as known at a moment: KPIS.md's report document (committee, auditor, admin)" })
  @ApiOkResponse({ type: ReportDocumentResponse })
  @ApiBadRequestResponse({ description: 'a day that is not a calendar day, from after to, knownAt not RFC 3339 or in the future', type: ErrorResponse })
  report(@Query() query: PeriodRequest): Promise<ReportDocument> {
    const request = periodRequestOf(query, this.clock());
    return this.queries.execute(new ReportQuery(request));
  }

  @Get('figures/:figureId/explain')
  @ApiOperation({
    summary: "A figure's provenance: what it counts and the events that make it (committee, auditor, admin)",
    description:
      'Written as the events are read from the log, in bounded memory: as JSON (the document), or as NDJSON with `Accept: application/x-ndjson` (a head line, one line per event, a last line `{ eventCount, next }`). ' +
      'Pages: `limit` events after the cursor `after` (a log position); `next` is the cursor of the page after, null on the last one.',
  })
  @ApiParam({ name: 'figureId', description: "a key of the report's figures", example: 'impact.positive-progressions' })
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiOkResponse({ type: FigureProvenanceResponse })
  @ApiBadRequestResponse({ description: 'as /reports, an unknown figure id (field figureId), a bad limit or after', type: ErrorResponse })
  @Header('Vary', 'Accept')
  async explain(@Param('figureId') figure: string, @Query() query: ExplainRequest, @Req() http: Request): Promise<StreamableFile> {
    try {
      const request = { figure, ...periodRequestOf(query, this.clock()) };
      const window = windowOf(query);
      const format = formatOf(http);
      // The events are read from the log as the client takes them.
      const opened = await this.queries.execute(new ExplainQuery(request));
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

function wholeNumber(value: string | undefined, field: string, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw fieldError(field, `${field} must be ${what}, not ${JSON.stringify(value)}`);
  return n;
}

function windowOf(query: ExplainRequest): EventWindow {
  return { limit: wholeNumber(query.limit, 'limit', 'a whole number of events'), after: wholeNumber(query.after, 'after', 'a log position (the `next` of a page)') };
}

/**
 * NDJSON when `Accept` prefers it to JSON, else JSON (the dashboard's answer), whatever else
 * it asks: content negotiation, so that `format` stays free (and refused) as a parameter.
 */
function formatOf(http: Request): 'json' | 'ndjson' {
  return http.accepts(['application/json', 'application/x-ndjson']) === 'application/x-ndjson' ? 'ndjson' : 'json';
}
