import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { Clock, EventStore } from './event-store.port';
import { systemClock } from './event-store.port';
import type { LedgerEnvironment } from '@ledger/config';
import { DEFAULT_LEDGER_DB, DEFAULT_WRITE_WAIT_MS, LEDGER_ENVIRONMENT } from '@ledger/config';
import { openEventStore } from './open-event-store';

/** Injection tokens: the store port and the clock are interfaces, so they need tokens. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');

export interface EventStoreModuleOptions {
  /** A `LEDGER_DB` string; defaults to the validated environment's (LedgerConfigModule), then the embedded SQLite file. */
  readonly ledgerDb?: string;
  readonly clock?: Clock;
  /**
   * Whether a ledger that does not exist is created: only the commands that load one say so.
   * Default false: a missing ledger is refused (`LedgerNotFoundError`) and nothing is created.
   */
  readonly create?: boolean;
  /** false: the application only reads; a ledger made before leaf v2 is not migrated on open (`OpenEventStoreOptions.migrate`). */
  readonly migrate?: boolean;
  /** Told of a long step of the open (`OpenEventStoreOptions.notice`): the CLI says it on stderr. */
  readonly notice?: (message: string) => void;
  /** A store already open (the API opens it before anything else); it is closed on shutdown all the same. */
  readonly store?: EventStore;
}

@Injectable()
class EventStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Opens the store that LEDGER_DB names once per application, and closes it on shutdown. */
@Global()
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions = {}): DynamicModule {
    const clock = options.clock ?? systemClock;
    return {
      module: EventStoreModule,
      providers: [
        { provide: CLOCK, useValue: clock },
        options.store
          ? { provide: EVENT_STORE, useValue: options.store }
          : {
              provide: EVENT_STORE,
              // The environment is optional: a module built alone (a test) takes the defaults.
              inject: [{ token: LEDGER_ENVIRONMENT, optional: true }],
              useFactory: (environment?: LedgerEnvironment) =>
                openEventStore(options.ledgerDb ?? environment?.LEDGER_DB ?? DEFAULT_LEDGER_DB, {
                  create: options.create === true,
                  ...(options.migrate === false ? { migrate: false } : {}),
                  ...(options.notice ? { notice: options.notice } : {}),
                  clock,
                  writeWaitMs: environment?.LEDGER_WRITE_WAIT_MS ?? DEFAULT_WRITE_WAIT_MS,
                }),
            },
        EventStoreCloser,
      ],
      exports: [EVENT_STORE, CLOCK],
    };
  }
}
