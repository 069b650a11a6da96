import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { ProjectionStateStore } from './projection-state.store';
import { SqliteProjectionStateStore } from './sqlite-projection-state.store';

export const PROJECTION_STATES = Symbol('PROJECTION_STATES');
export const DEFAULT_READ_MODELS_DB = './data/read-models.db';

@Injectable()
class ProjectionStatesCloser implements OnApplicationShutdown {
  constructor(@Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.states.close();
  }
}

/** Where projection states and checkpoints live: a SQLite file named by READ_MODELS_DB. */
@Global()
@Module({
  providers: [
    { provide: PROJECTION_STATES, useFactory: () => new SqliteProjectionStateStore(process.env.READ_MODELS_DB ?? DEFAULT_READ_MODELS_DB) },
    ProjectionStatesCloser,
  ],
  exports: [PROJECTION_STATES],
})
export class ProjectionsModule {}
