import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { tempSqliteStore } from '../support/temp-sqlite';
import { ManualClock } from './event-store.contract';
import type { StoreUnderTest } from './event-store.contract';

/**
 * A SQLite store on a real file in a temporary folder of its own (`tempSqliteStore`), for the
 * contracts; `prepare` puts the new store in the state under test (e.g. its indexes deferred).
 */
export function sqliteUnderTest(prepare: (store: SqliteEventStore) => Promise<void> = async () => undefined): () => Promise<StoreUnderTest> {
  return async () => {
    const clock = new ManualClock();
    const { store, dir, file, dispose } = tempSqliteStore(clock.now);
    await prepare(store);
    return {
      store,
      clock,
      reopen: async () => new SqliteEventStore(file, { clock: clock.now, create: false }),
      openMissing: async () => new SqliteEventStore(join(dir, 'nonexistent', 'ledger.db'), { create: false }),
      dispose,
    };
  };
}
