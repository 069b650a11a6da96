import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import { rebuildAll } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { PROJECTION_STATES } from '@ledger/projection-runtime';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import type { FigureSource } from '@ledger/projection-kit';
import { FIGURE_REGISTRY } from '@ledger/projection-runtime';
import { projectionsOf } from '@ledger/projection-kit';
import type { Progressing } from '../progress';
import { progressing } from '../progress';
import { ReadModelsQueue } from '../read-models.queue';
import type { Rebuilt } from './rebuild.command';
import { RebuildCommand, UnknownProjectionError } from './rebuild.command';

/**
 * An unknown name is refused when the command is executed (UnknownProjectionError), before
 * anything runs. Subscribed to, the rebuild waits for the reports in progress (phase
 * `waiting for the reports in progress`), then reads the log once (phase `rebuilding`, up to the head).
 */
@CommandHandler(RebuildCommand)
export class RebuildHandler implements ICommandHandler<RebuildCommand> {
  constructor(
    @Inject(FIGURE_REGISTRY) private readonly sources: readonly FigureSource[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  async execute(command: RebuildCommand): Promise<Observable<Progressing<Rebuilt>>> {
    const all = projectionsOf(this.sources);
    const chosen = command.projection === undefined ? all : all.filter((p) => p.name === command.projection);
    if (command.projection !== undefined && chosen.length === 0) {
      throw new UnknownProjectionError(
        command.projection,
        all.map((p) => p.name),
      );
    }
    return progressing(async (progress) => {
      progress('waiting for the reports in progress', 0, 0);
      return this.queue.run(async () => {
        const head = (await this.store.head()).position;
        progress('rebuilding', 0, head);
        // A duration, not a moment: the clock of the ledger is not involved.
        const started = process.hrtime.bigint();
        const results = await rebuildAll(this.store, this.states, chosen, { onProgress: (position) => progress('rebuilding', position, Math.max(head, position)) });
        return {
          seconds: Number(process.hrtime.bigint() - started) / 1e9,
          projections: chosen.map((p, i) => ({ name: p.name, version: p.version, position: results[i]?.position ?? 0 })),
        };
      });
    });
  }
}
