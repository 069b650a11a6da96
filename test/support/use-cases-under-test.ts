import { Module } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { join } from 'node:path';
import { ManualClock } from '../contract/event-store.contract';
import { tempSqliteStore } from './temp-sqlite';
import type { LedgerEvent } from '@ledger/events';
import { FigureRegistryModule, ProjectionsModule } from '@ledger/projection-runtime';
import { FIGURE_SOURCES } from '@ledger/projections';
import { EventStoreModule } from '@ledger/store';
import type { Clock } from '@ledger/store';
import type { SqliteEventStore } from '@ledger/store/sqlite';
import { ApplicationModule } from '@ledger/application';
import { LedgerConfigModule, validateEnvironment } from '@ledger/config';

@Module({})
class UseCasesTestModule {}

/** The use cases as a shell sees them: the buses of a real Nest context over a real SQLite ledger and read models. */
export interface UseCasesUnderTest {
  readonly app: INestApplicationContext;
  readonly queries: QueryBus;
  readonly commands: CommandBus;
  readonly store: SqliteEventStore;
  /** The store's clock: what `recordedAt` each append gets. */
  readonly clock: ManualClock;
  readonly dir: string;
  /** Appends events as they are (no validation), recorded at `recordedAt`: the given of a given / when / then. */
  recorded(recordedAt: string, ...events: LedgerEvent[]): Promise<void>;
  /** Closes the context (and with it the store and the read models) and removes the folder. */
  close(): Promise<void>;
}

export interface UseCasesOptions {
  readonly clock?: Clock;
  /** Append and import too. */
  readonly ingest?: boolean;
  /** The environment, validated (LEDGER_SIGNING_KEY, the checkpoint schedule...); default: the modules' defaults. */
  readonly environment?: (dir: string) => Readonly<Record<string, string>>;
}

/** The use cases over a store already open (closed with the context), their read models in `dir`. */
export async function useCasesOver(store: SqliteEventStore, dir: string, options: UseCasesOptions = {}): Promise<INestApplicationContext> {
  // By default the signing key (made by the first proof or checkpoint) is in the test's folder, not ./data.
  const environment = options.environment ?? ((at: string) => ({ LEDGER_SIGNING_KEY: join(at, 'signing-key.pem') }));
  const config = [(await LedgerConfigModule.load(validateEnvironment(environment(dir)))).module];
  return NestFactory.createApplicationContext(
    {
      module: UseCasesTestModule,
      imports: [
        ...config,
        EventStoreModule.forRoot({ store, ...(options.clock ? { clock: options.clock } : {}) }),
        ProjectionsModule.forRoot({ readModelsDb: join(dir, 'read-models.db') }),
        FigureRegistryModule.forRoot(FIGURE_SOURCES),
        ApplicationModule.forRoot({ ingest: options.ingest === true }),
      ],
    },
    { logger: false },
  );
}

/** A fresh ledger in a temporary folder, on a manual clock, with every use case (append and import with `ingest`). */
export async function useCasesOnSqlite(options: Omit<UseCasesOptions, 'clock'> = {}): Promise<UseCasesUnderTest> {
  const clock = new ManualClock();
  const sqlite = tempSqliteStore(clock.now);
  const app = await useCasesOver(sqlite.store, sqlite.dir, { ...options, clock: clock.now });
  return {
    app,
    queries: app.get(QueryBus),
    commands: app.get(CommandBus),
    store: sqlite.store,
    clock,
    dir: sqlite.dir,
    recorded: async (recordedAt, ...events) => {
      clock.set(recordedAt);
      await sqlite.store.append({ events });
    },
    close: async () => {
      await app.close();
      await sqlite.dispose();
    },
  };
}
