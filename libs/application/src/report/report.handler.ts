import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { ReportDocument } from '../../../projections/src/figure-report';
import { computeReport } from '../../../projections/src/figure-report';
import type { ProjectionStateStore } from '../../../projections/src/projection-state.store';
import { PROJECTION_STATES } from '../../../projections/src/projections.module';
import { EVENT_STORE } from '../../../store/src/event-store.module';
import type { EventStore } from '../../../store/src/event-store.port';
import { FIGURE_SOURCES } from '../../../../projections';
import { ReadModelsQueue } from '../read-models.queue';
import { ReportQuery } from './report.query';

/** The read models brought up to the head (in turn with the other catch-ups), then the report read from them. Bad input: RangeError. */
@QueryHandler(ReportQuery)
export class ReportHandler implements IQueryHandler<ReportQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  execute(query: ReportQuery): Promise<ReportDocument> {
    return this.queue.run(() => computeReport(this.store, this.states, FIGURE_SOURCES, query.request));
  }
}
