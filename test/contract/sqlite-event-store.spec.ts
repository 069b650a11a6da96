import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/store/src/sqlite/sqlite-event-store';
import { eventStoreContract, ManualClock } from './event-store.contract';

describe('SQLite event store (contract)', () => {
  eventStoreContract(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
    const clock = new ManualClock();
    const store = new SqliteEventStore(join(dir, 'ledger.db'), { clock: clock.now });
    return {
      store,
      clock,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});
