import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown, Provider } from '@nestjs/common';
import type { LedgerEnvironment } from '@ledger/config';
import { DEFAULT_READ_MODELS_DB } from '@ledger/config';
import { LEDGER_ENVIRONMENT } from '@ledger/config';
import { EVENT_STORE } from '@ledger/store';
import type { EventStore } from '@ledger/store';
import type { ProjectionStateStore } from './projection-state.store';
import { ReadModelsNotices } from './read-models-notices';
import { SqliteProjectionStateStore } from './sqlite-projection-state.store';

export const PROJECTION_STATES = Symbol('PROJECTION_STATES');

@Injectable()
class ProjectionStatesCloser implements OnApplicationShutdown {
  constructor(@Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.states.close();
  }
}

/**
 * The states in the SQLite file given, else the one READ_MODELS_DB names (the validated
 * environment, LedgerConfigModule), else the default.
 * Opened once the store is (EVENT_STORE): a ledger that does not exist stops the command
 * before a read-models file is made for it. Their notices go to stderr and /metrics.
 */
const statesIn = (file?: string): Provider => ({
  provide: PROJECTION_STATES,
  inject: [EVENT_STORE, ReadModelsNotices, { token: LEDGER_ENVIRONMENT, optional: true }],
  useFactory: (store: EventStore | null, notices: ReadModelsNotices, environment?: LedgerEnvironment) => {
    // Nest hands a provider whose factory failed to its dependents as null: the store's own error is the one said.
    if (!store) throw new Error('the event store did not open: no read models are opened for it');
    return new SqliteProjectionStateStore(file ?? environment?.READ_MODELS_DB ?? DEFAULT_READ_MODELS_DB, { onNotice: (notice) => notices.record(notice) });
  },
});

/** Where projection states and checkpoints live: a SQLite file named by READ_MODELS_DB. */
@Global()
@Module({
  providers: [ReadModelsNotices, statesIn(), ProjectionStatesCloser],
  exports: [PROJECTION_STATES, ReadModelsNotices],
})
export class ProjectionsModule {
  /** The same, with the file given (the API's tests pass a temporary one): it replaces the provider above. */
  static forRoot(options: { readonly readModelsDb?: string } = {}): DynamicModule {
    return { module: ProjectionsModule, providers: [statesIn(options.readModelsDb)], exports: [PROJECTION_STATES, ReadModelsNotices] };
  }
}
