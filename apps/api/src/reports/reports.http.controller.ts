import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FigureProvenance } from '../../../../libs/projections/src/explain';
import { explainFigure, UnknownFigureError } from '../../../../libs/projections/src/explain';
import type { ReportDocument } from '../../../../libs/projections/src/figure-report';
import { computeReport, normalizeKnownAt } from '../../../../libs/projections/src/figure-report';
import type { FigureChange } from '../../../../libs/audit/src/figure-change';
import { figureChange } from '../../../../libs/audit/src/figure-change';
import type { ProjectionStateStore } from '../../../../libs/projections/src/projection-state.store';
import { PROJECTION_STATES } from '../../../../libs/projections/src/projections.module';
import type { Clock, EventStore } from '../../../../libs/store/src/event-store.port';
import { CLOCK, EVENT_STORE } from '../../../../libs/store/src/event-store.module';
import { FIGURE_SOURCES } from '../../../../projections';
import { READERS, Roles } from '../auth/roles.decorator';
import { ReadModelsQueue } from '../read-models/read-models.queue';
import { fieldError } from '../http/bad-request';
import { ChangesRequest, ExplainRequest, PeriodRequest, periodRequestOf } from '../http/period-request';
import { ERROR, FIGURE_CHANGE, FIGURE_PROVENANCE, REPORT_DOCUMENT } from '../openapi/schemas';

/**
 * The report and a figure's provenance, as `ledger report` and `ledger explain` give them:
 * the read models are brought up to the head of the log (and saved) before answering, one
 * request at a time (ReadModelsQueue).
 */
@ApiTags('reports')
@Controller()
@Roles(...READERS)
export class ReportsHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly queue: ReadModelsQueue,
  ) {}

  @Get('reports')
  @ApiOperation({ summary: "Every figure of KPIS.md for a period, as known at a moment: KPIS.md's report document (committee, auditor, admin)" })
  @ApiOkResponse({ schema: REPORT_DOCUMENT })
  @ApiBadRequestResponse({ description: 'a day that is not a calendar day, from after to, knownAt not RFC 3339 or in the future', schema: ERROR })
  report(@Query() query: PeriodRequest): Promise<ReportDocument> {
    const request = periodRequestOf(query, this.clock());
    return this.queue.run(() => computeReport(this.store, this.states, FIGURE_SOURCES, request));
  }

  @Get('figures/:figureId/explain')
  @ApiOperation({ summary: "A figure's provenance: what it counts and the events that make it (committee, auditor, admin)" })
  @ApiParam({ name: 'figureId', description: "a key of the report's figures", example: 'impact.positive-progressions' })
  @ApiOkResponse({ schema: FIGURE_PROVENANCE })
  @ApiBadRequestResponse({ description: 'as /reports, and an unknown figure id (field figureId)', schema: ERROR })
  async explain(@Param('figureId') figure: string, @Query() query: ExplainRequest): Promise<FigureProvenance> {
    try {
      const request = { figure, ...periodRequestOf(query, this.clock()), ...limitOf(query) };
      return await this.queue.run(() => explainFigure(this.store, this.states, FIGURE_SOURCES, request));
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
  @ApiOkResponse({ schema: FIGURE_CHANGE })
  @ApiBadRequestResponse({ description: 'as /reports for each moment, A after B, an unknown figure id', schema: ERROR })
  async changes(@Param('figureId') figure: string, @Query() query: ChangesRequest): Promise<FigureChange> {
    const now = this.clock();
    const a = momentOf(query.knownAtA, 'knownAtA', now);
    const b = momentOf(query.knownAtB, 'knownAtB', now);
    if (a > b) throw fieldError('knownAtA', `knownAtA (${a}) is after knownAtB (${b})`);
    const { period } = periodRequestOf({ from: query.from, to: query.to }, now);
    try {
      return await this.queue.run(() =>
        figureChange(this.store, this.states, FIGURE_SOURCES, { figure, period, knownAtA: a, knownAtB: b, now: now.toISOString() }),
      );
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

function limitOf(query: ExplainRequest): { limit?: number } {
  if (query.limit === undefined) return {};
  const limit = Number(query.limit);
  if (!/^\d+$/.test(query.limit) || !Number.isSafeInteger(limit)) throw fieldError('limit', `limit must be a whole number of events, not ${JSON.stringify(query.limit)}`);
  return { limit };
}
