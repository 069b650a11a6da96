import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown, Provider } from '@nestjs/common';
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

/** The states in the SQLite file given, else the one READ_MODELS_DB names, else the default. */
const statesIn = (file?: string): Provider => ({
  provide: PROJECTION_STATES,
  useFactory: () => new SqliteProjectionStateStore(file ?? process.env.READ_MODELS_DB ?? DEFAULT_READ_MODELS_DB),
});

/** Where projection states and checkpoints live: a SQLite file named by READ_MODELS_DB. */
@Global()
@Module({
  providers: [statesIn(), ProjectionStatesCloser],
  exports: [PROJECTION_STATES],
})
export class ProjectionsModule {
  /** The same, with the file given (the API's tests pass a temporary one): it replaces the provider above. */
  static forRoot(options: { readonly readModelsDb?: string } = {}): DynamicModule {
    return { module: ProjectionsModule, providers: [statesIn(options.readModelsDb)], exports: [PROJECTION_STATES] };
  }
}
