import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { OpenProvenance } from '../../../projections/src/explain';
import { openProvenance } from '../../../projections/src/explain';
import type { ProjectionStateStore } from '../../../projections/src/projection-state.store';
import { PROJECTION_STATES } from '../../../projections/src/projections.module';
import { EVENT_STORE } from '../../../store/src/event-store.module';
import type { EventStore } from '../../../store/src/event-store.port';
import { FIGURE_SOURCES } from '../../../../projections';
import { ReadModelsQueue } from '../read-models.queue';
import { ExplainQuery } from './explain.query';

/**
 * Only the read models are queued; the events are read from the log later, as the shell
 * takes the pages. An unknown figure: UnknownFigureError; other bad input: RangeError.
 */
@QueryHandler(ExplainQuery)
export class ExplainHandler implements IQueryHandler<ExplainQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  execute(query: ExplainQuery): Promise<OpenProvenance> {
    return this.queue.run(() => openProvenance(this.store, this.states, FIGURE_SOURCES, query.request));
  }
}
