import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { projectionsOf } from '@ledger/projection-kit';
import type { FigureSource } from '@ledger/projection-kit';
import { FIGURE_REGISTRY, PROJECTION_STATES, rebuildAll } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import { ReadModelsQueue } from '../read-models.queue';
import type { LearnerErasure } from './erase-learner.command';
import { EraseLearnerCommand } from './erase-learner.command';

/** A store whose erased rows live on as old row versions until rewritten (PostgreSQL). */
interface Vacuuming {
  vacuumErased(): Promise<void>;
}

function vacuums(store: EventStore): store is EventStore & Vacuuming {
  return typeof (store as Partial<Vacuuming>).vacuumErased === 'function';
}

/**
 * The erasure, then what makes it reach the files: PostgreSQL's VACUUM FULL, and a rebuild
 * of the read models that folded the learner's events, in the read models' queue (no
 * report reads them half rebuilt), then their file compacted (no freed page keeps a state
 * of before). Run again, it answers `already-erased` and changes nothing.
 */
@CommandHandler(EraseLearnerCommand)
export class EraseLearnerHandler implements ICommandHandler<EraseLearnerCommand> {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  async execute(command: EraseLearnerCommand): Promise<LearnerErasure> {
    const { learnerId, ...request } = command.request;
    // The types of the learner's events, read before they are erased: the projections that fold none of them never held the learner.
    const types = new Set((await this.store.readStream(`learner-${learnerId}`)).map((r) => r.type));
    const outcome = await this.store.eraseLearner(learnerId, request);
    if (outcome.status === 'already-erased') {
      return { status: outcome.status, learnerId, position: outcome.position, recordedAt: outcome.recordedAt, erasedEvents: 0, vacuumed: false, readModels: { rebuilt: [], seconds: 0 } };
    }
    const vacuumed = vacuums(this.store);
    if (vacuumed) await this.store.vacuumErased();
    const affected = projectionsOf(this.sources).filter((p) => p.handles.some((type) => types.has(type)));
    const readModels = await this.queue.run(async () => {
      // A duration, not a moment: the clock of the ledger is not involved.
      const started = process.hrtime.bigint();
      await rebuildAll(this.store, this.states, affected);
      await this.states.compact?.();
      return { rebuilt: affected.map((p) => p.name), seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    });
    return { status: 'erased', learnerId, position: outcome.position, recordedAt: outcome.recordedAt, erasedEvents: outcome.erasedEvents, vacuumed, readModels };
  }
}
