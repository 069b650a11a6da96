import { parseLedgerDb } from '@ledger/config';
import type { Clock, EventStore, StoreSource } from './event-store.port';

export interface OpenEventStoreOptions {
  /**
   * Whether a ledger that does not exist is created: true for the commands that load one
   * (`import`, `load-history`, `demo`); false for everything else, which refuses it with
   * `LedgerNotFoundError` and creates nothing (no file, no folder, no table).
   */
  readonly create: boolean;
  readonly clock?: Clock;
  /** How long a write waits for the store's write lock (LEDGER_WRITE_WAIT_MS); default DEFAULT_WRITE_WAIT_MS. */
  readonly writeWaitMs?: number;
  /**
   * false for the commands that only read: a ledger made before leaf v2 is read as it is
   * (no ALTER on open: a read-only file, or a PostgreSQL role that does not own the table,
   * still opens), and migrated by the first write if one comes. Default true.
   */
  readonly migrate?: boolean;
  /**
   * A bulk load (`load-history`, `demo`): the embedded store keeps a larger page cache
   * (`BULK_LOAD_CACHE_MIB`), so that the pages of the event-id index a large transaction
   * touches stay in memory until it commits instead of being written twice.
   */
  readonly bulkLoad?: boolean;
  /** Told of a long step of the open (the embedded store building an index over an existing log): `SqliteEventStoreOptions.notice`. */
  readonly notice?: (message: string) => void;
}

/** The SQLite page cache of a bulk load, in MiB (the default connection's is 256). */
export const BULK_LOAD_CACHE_MIB = 1024;

/**
 * Opens the store `LEDGER_DB` names. Adapters are loaded on demand, so the embedded
 * default never loads the PostgreSQL or gRPC clients.
 */
export async function openEventStore(ledgerDb: string, options: OpenEventStoreOptions): Promise<EventStore> {
  const { kind, target } = parseLedgerDb(ledgerDb);
  const adapterOptions = {
    create: options.create,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.writeWaitMs !== undefined ? { writeWaitMs: options.writeWaitMs } : {}),
    ...(options.migrate === false ? { migrate: false } : {}),
  };
  switch (kind) {
    case 'sqlite': {
      const { SqliteEventStore } = await import('./sqlite/sqlite-event-store');
      return new SqliteEventStore(target, {
        ...adapterOptions,
        ...(options.bulkLoad === true ? { cacheMiB: BULK_LOAD_CACHE_MIB } : {}),
        ...(options.notice ? { notice: options.notice } : {}),
      });
    }
    case 'postgres': {
      const { PostgresEventStore } = await import('./postgres/postgres-event-store');
      return PostgresEventStore.open(target, adapterOptions);
    }
    case 'kurrentdb': {
      const { KurrentDbEventStore } = await import('./kurrentdb/kurrentdb-event-store');
      return KurrentDbEventStore.open(target, adapterOptions);
    }
  }
}

/**
 * Opens, to read it, the log a store's `source` names (from another thread): never created,
 * never migrated (a ledger made before leaf v2 is read as it is), a small pool on PostgreSQL.
 */
export async function openStoreSource(source: StoreSource): Promise<EventStore> {
  switch (source.kind) {
    case 'sqlite': {
      const { SqliteEventStore } = await import('./sqlite/sqlite-event-store');
      return new SqliteEventStore(source.file, { create: false, migrate: false });
    }
    case 'postgres': {
      const { PostgresEventStore } = await import('./postgres/postgres-event-store');
      return PostgresEventStore.open(source.connectionString, { schema: source.schema, create: false, migrate: false, poolSize: 2 });
    }
  }
}
