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
  /** Opens the store instead of `ledgerDb`: one no connection string can name (the tests' KurrentDB stand-in). */
  readonly openStore?: (clock: Clock) => Promise<EventStore>;
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
        {
          provide: EVENT_STORE,
          useFactory: () =>
            options.openStore ? options.openStore(clock) : openEventStore(options.ledgerDb ?? process.env.LEDGER_DB ?? DEFAULT_LEDGER_DB, clock),
        },
        EventStoreCloser,
      ],
      exports: [EVENT_STORE, CLOCK],
    };
  }
}
