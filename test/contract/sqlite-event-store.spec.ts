import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerNotFoundError } from '../../libs/store/src/event-store.port';
import { SqliteEventStore } from '../../libs/store/src/sqlite/sqlite-event-store';
import { learnerActive } from '../support/event-builders';
import { eventStoreContract, ManualClock } from './event-store.contract';

describe('SQLite event store (contract)', () => {
  eventStoreContract(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
    const clock = new ManualClock();
    const store = new SqliteEventStore(join(dir, 'ledger.db'), { clock: clock.now });
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
  });
});

describe('SQLite event store (specific)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('without create, refuses a file that does not exist, naming it, and makes neither the file nor its folders', () => {
    const file = join(dir, 'nonexistent', 'dir', 'typo.db');
    expect(() => new SqliteEventStore(file, { create: false })).toThrow(`no ledger at sqlite:${file}: the file does not exist`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('without create, refuses a file that holds no ledger, and leaves it as it was', () => {
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    expect(() => new SqliteEventStore(empty, { create: false })).toThrow(LedgerNotFoundError);
    expect(readFileSync(empty)).toHaveLength(0);
    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (text TEXT)');
    db.close();
    const before = readFileSync(other);
    expect(() => new SqliteEventStore(other, { create: false })).toThrow(/the file holds no ledger \(no events table\)/);
    expect(readFileSync(other).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['empty.db', 'other.db']);
  });

  it('opens a ledger made before logs had ids, and gives it one that stays', async () => {
    const file = join(dir, 'ledger.db');
    const store = new SqliteEventStore(file);
    await store.append({ events: [learnerActive(1, 'a')] });
    store.connection.exec('DROP TABLE ledger_meta');
    await store.close();
    const first = new SqliteEventStore(file, { create: false });
    const { logId } = await first.identity();
    await first.close();
    const second = new SqliteEventStore(file, { create: false });
    expect(await second.identity()).toEqual({ logId });
    expect((await second.head()).position).toBe(1);
    await second.close();
    expect(existsSync(file)).toBe(true);
  });
});
