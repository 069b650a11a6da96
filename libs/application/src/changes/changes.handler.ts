import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { FigureChange } from '@ledger/audit';
import { figureChange } from '@ledger/audit';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { PROJECTION_STATES } from '@ledger/projection-runtime';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-runtime';
import { ReadModelsQueue } from '../read-models.queue';
import { ChangesQuery } from './changes.query';

/** An unknown figure: UnknownFigureError; a moment not RFC 3339, in the future, or A after B: RangeError. */
@QueryHandler(ChangesQuery)
export class ChangesHandler implements IQueryHandler<ChangesQuery> {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  execute(query: ChangesQuery): Promise<FigureChange> {
    return this.queue.run(() => figureChange(this.store, this.states, this.sources, query.request));
  }
}
