import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../libs/store/src/event-store.port';
import type { SqliteEventStoreOptions } from '../../libs/store/src/sqlite/sqlite-event-store';
import { SqliteEventStore } from '../../libs/store/src/sqlite/sqlite-event-store';

/** A real SQLite ledger in a fresh temporary folder, removed by `dispose`. */
export function tempSqliteStore(
  clock?: Clock,
  options: Omit<SqliteEventStoreOptions, 'clock'> = {},
): { store: SqliteEventStore; dir: string; file: string; dispose(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-test-'));
  const file = join(dir, 'ledger.db');
  const store = new SqliteEventStore(file, clock ? { ...options, clock } : options);
  return {
    store,
    dir,
    file,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
