import { Inject, Injectable } from '@nestjs/common';
import type { FigureSource } from '@ledger/projection-kit';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { FIGURE_REGISTRY } from '@ledger/projection-runtime';
import { projectionsOf } from '@ledger/projection-kit';
import { ReadModelsSetAsideError } from '@ledger/projection-runtime';
import { PROJECTION_STATES } from '@ledger/projection-runtime';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';

export interface ProjectionLagRow {
  readonly name: string;
  /** The version the code has (a stored state of another version or log counts as position 0: it will be rebuilt). */
  readonly version: number;
  readonly position: number;
  /** Events of the log the read model has not folded in yet: a report folds them in first. */
  readonly lag: number;
}

/** How far each read model of the registered families is behind the log: from the checkpoints alone, without loading a state. */
@Injectable()
export class ProjectionLag {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async behind(head: number): Promise<ProjectionLagRow[]> {
    const { logId } = await this.store.identity();
    return Promise.all(
      projectionsOf(this.sources).map(async ({ name, version }) => {
        const checkpoint = await this.states.checkpoint(name).catch((error: unknown) => {
          if (error instanceof ReadModelsSetAsideError) return undefined; // a damaged file, set aside: nothing is stored now
          throw error;
        });
        const position = checkpoint?.version === version && checkpoint.logId === logId ? checkpoint.position : 0;
        return { name, version, position, lag: Math.max(0, head - position) };
      }),
    );
  }
}
