import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { OpenProvenance } from '@ledger/projection-runtime';
import { openProvenance } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { PROJECTION_STATES } from '@ledger/projection-runtime';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-runtime';
import { ReadModelsQueue } from '../read-models.queue';
import { ExplainQuery } from './explain.query';

/**
 * Only the read models are queued; the events are read from the log later, as the shell
 * takes the pages. An unknown figure: UnknownFigureError; other bad input: RangeError.
 */
@QueryHandler(ExplainQuery)
export class ExplainHandler implements IQueryHandler<ExplainQuery> {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  execute(query: ExplainQuery): Promise<OpenProvenance> {
    return this.queue.run(() => openProvenance(this.store, this.states, this.sources, query.request));
  }
}
