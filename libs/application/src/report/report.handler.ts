import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { ReportDocument } from '@ledger/projection-runtime';
import { computeReport } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { PROJECTION_STATES } from '@ledger/projection-runtime';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-runtime';
import { ReadModelsQueue } from '../read-models.queue';
import { ReportQuery } from './report.query';

/** The read models brought up to the head (in turn with the other catch-ups), then the report read from them. Bad input: RangeError. */
@QueryHandler(ReportQuery)
export class ReportHandler implements IQueryHandler<ReportQuery> {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  execute(query: ReportQuery): Promise<ReportDocument> {
    return this.queue.run(() => computeReport(this.store, this.states, this.sources, query.request));
  }
}
