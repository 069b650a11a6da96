import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { readStates } from '@ledger/projection-kit';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { normalizeKnownAt, PROJECTION_STATES, statesAsKnownAt } from '@ledger/projection-runtime';
import { commitmentEntries, commitmentsProjection } from '@ledger/projections';
import { EVENT_STORE, positionAt } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import { ReadModelsQueue } from '../read-models.queue';
import type { CommitmentsView } from './commitments.query';
import { CommitmentsQuery } from './commitments.query';

/** The commitments read model brought up to the head (in turn with the other catch-ups), read as known at K. Bad input: RangeError. */
@QueryHandler(CommitmentsQuery)
export class CommitmentsHandler implements IQueryHandler<CommitmentsQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  execute(query: CommitmentsQuery): Promise<CommitmentsView> {
    const { period, now } = query.request;
    return this.queue.run(async () => {
      const knownAt = normalizeKnownAt(query.request.knownAt ?? now, now);
      const logPosition = await positionAt(this.store, knownAt);
      const states = await statesAsKnownAt(this.store, this.states, [commitmentsProjection], logPosition);
      const state = readStates(states)(commitmentsProjection);
      return { period: { from: period.from, to: period.to }, knownAt, logPosition, commitments: commitmentEntries(state, period, logPosition) };
    });
  }
}
