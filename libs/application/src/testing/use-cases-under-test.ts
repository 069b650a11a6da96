import { Module } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { join } from 'node:path';
import { tempSqliteStore } from '../../../../test/support/temp-sqlite';
import type { LedgerEvent } from '../../../events/src/catalog';
import { ProjectionsModule } from '../../../projections/src/projections.module';
import { EventStoreModule } from '../../../store/src/event-store.module';
import type { Clock } from '../../../store/src/event-store.port';
import type { SqliteEventStore } from '../../../store/src/sqlite/sqlite-event-store';
import { ApplicationModule } from '../application.module';

@Module({})
class UseCasesTestModule {}

/** The use cases as a shell sees them: the buses of a real Nest context over a real SQLite ledger and read models. */
export interface UseCasesUnderTest {
  readonly app: INestApplicationContext;
  readonly queries: QueryBus;
  readonly commands: CommandBus;
  readonly store: SqliteEventStore;
  readonly dir: string;
  /** Appends events as they are (no validation): the given of a given / when / then. */
  given(...events: LedgerEvent[]): Promise<void>;
  /** Closes the context (and with it the store and the read models) and removes the folder. */
  close(): Promise<void>;
}

export interface UseCasesOptions {
  readonly clock?: Clock;
  /** Append and import too. */
  readonly ingest?: boolean;
}

/** The use cases over a store already open (closed with the context), their read models in `dir`. */
export async function useCasesOver(store: SqliteEventStore, dir: string, options: UseCasesOptions = {}): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(
    {
      module: UseCasesTestModule,
      imports: [
        EventStoreModule.forRoot({ store, ...(options.clock ? { clock: options.clock } : {}) }),
        ProjectionsModule.forRoot({ readModelsDb: join(dir, 'read-models.db') }),
        ApplicationModule.forRoot({ ingest: options.ingest === true }),
      ],
    },
    { logger: false },
  );
}

/** A fresh ledger in a temporary folder, with every use case (append and import with `ingest`). */
export async function useCasesOnSqlite(options: UseCasesOptions = {}): Promise<UseCasesUnderTest> {
  const sqlite = tempSqliteStore(options.clock);
  const app = await useCasesOver(sqlite.store, sqlite.dir, options);
  return {
    app,
    queries: app.get(QueryBus),
    commands: app.get(CommandBus),
    store: sqlite.store,
    dir: sqlite.dir,
    given: async (...events) => {
      await sqlite.store.append({ events });
    },
    close: async () => {
      await app.close();
      await sqlite.dispose();
    },
  };
}
