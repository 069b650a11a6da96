import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { FigureSource } from '@ledger/projection-kit';
import { catalogueOf, definitionsFrom } from '@ledger/projection-kit';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { FIGURE_REGISTRY, normalizeKnownAt, PROJECTION_STATES, statesAsKnownAt } from '@ledger/projection-runtime';
import { EVENT_STORE, positionAt } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import { ReadModelsQueue } from '../read-models.queue';
import type { FigureCatalogueView } from './figure-catalogue.query';
import { FigureCatalogueQuery } from './figure-catalogue.query';

/**
 * The static catalogues, plus what the families that describe figures from the log
 * (`describe`: the commitments) say as known at K. Only those families' read models are
 * brought up to the head (in turn with the other catch-ups). Bad input: RangeError.
 */
@QueryHandler(FigureCatalogueQuery)
export class FigureCatalogueHandler implements IQueryHandler<FigureCatalogueQuery> {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  execute(query: FigureCatalogueQuery): Promise<FigureCatalogueView> {
    const { period, now } = query.request;
    return this.queue.run(async () => {
      const knownAt = normalizeKnownAt(query.request.knownAt ?? now, now);
      const logPosition = await positionAt(this.store, knownAt);
      const describing = [...new Set(this.sources.filter((s) => s.describe !== undefined).map((s) => s.projection))];
      const states = await statesAsKnownAt(this.store, this.states, describing, logPosition);
      const definitions = definitionsFrom(this.sources, { states, knownAt: logPosition, knownAtMs: Date.parse(knownAt) }, period);
      return { knownAt, logPosition, ...catalogueOf(definitions, period) };
    });
  }
}
