import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { ManualClock } from './event-store.contract';
import type { StoreUnderTest } from './event-store.contract';

/**
 * A SQLite store on a real file in a temporary folder of its own, for the contracts;
 * `prepare` puts the new store in the state under test (e.g. its indexes deferred).
 */
export function sqliteUnderTest(prefix: string, prepare: (store: SqliteEventStore) => Promise<void> = async () => undefined): () => Promise<StoreUnderTest> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const clock = new ManualClock();
    const store = new SqliteEventStore(join(dir, 'ledger.db'), { clock: clock.now });
    await prepare(store);
    return {
      store,
      clock,
      reopen: async () => new SqliteEventStore(join(dir, 'ledger.db'), { clock: clock.now, create: false }),
      openMissing: async () => new SqliteEventStore(join(dir, 'nonexistent', 'ledger.db'), { create: false }),
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}
