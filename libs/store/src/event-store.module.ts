import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { Clock, EventStore } from './event-store.port';
import { systemClock } from './event-store.port';
import { DEFAULT_LEDGER_DB, openEventStore } from './open-event-store';

/** Injection tokens: the store port and the clock are interfaces, so they need tokens. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');

export interface EventStoreModuleOptions {
  /** A `LEDGER_DB` string; defaults to the `LEDGER_DB` environment variable, then the embedded SQLite file. */
  readonly ledgerDb?: string;
  readonly clock?: Clock;
  /**
   * Whether a ledger that does not exist is created: only the commands that load one say so.
   * Default false: a missing ledger is refused (`LedgerNotFoundError`) and nothing is created.
   */
  readonly create?: boolean;
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

/** The `LEDGER_DB` string the options name, else the environment's, else the embedded default. */
export function ledgerDbOf(options: Pick<EventStoreModuleOptions, 'ledgerDb'>): string {
  return options.ledgerDb ?? process.env.LEDGER_DB ?? DEFAULT_LEDGER_DB;
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
              useFactory: () => openEventStore(ledgerDbOf(options), { create: options.create === true, clock }),
            },
        EventStoreCloser,
      ],
      exports: [EVENT_STORE, CLOCK],
    };
  }
}
