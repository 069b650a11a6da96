import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { DescribedReport, ProjectionStateStore } from '@ledger/projection-runtime';
import { computeDescribedReport, FIGURE_REGISTRY, PROJECTION_STATES } from '@ledger/projection-runtime';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { ReadModelsQueue } from '../read-models.queue';
import { DescribedReportQuery } from './described-report.query';

/** As `ReportHandler`, with the figures' definitions read from the same states. Bad input: RangeError. */
@QueryHandler(DescribedReportQuery)
export class DescribedReportHandler implements IQueryHandler<DescribedReportQuery> {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  execute(query: DescribedReportQuery): Promise<DescribedReport> {
    return this.queue.run(() => computeDescribedReport(this.store, this.states, this.sources, query.request));
  }
}
