import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@ledger/store';
import { SqliteEventStore } from '@ledger/store/sqlite';

/** A real SQLite ledger in a fresh temporary folder, removed by `dispose`. */
export function tempSqliteStore(clock?: Clock): { store: SqliteEventStore; dir: string; file: string; dispose(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-test-'));
  const file = join(dir, 'ledger.db');
  const store = new SqliteEventStore(file, clock ? { clock } : {});
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
