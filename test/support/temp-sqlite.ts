import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@ledger/store';
import type { SqliteEventStoreOptions } from '@ledger/store/sqlite';
import { SqliteEventStore } from '@ledger/store/sqlite';

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
