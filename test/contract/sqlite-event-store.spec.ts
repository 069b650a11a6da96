import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExpectedRevision } from '@ledger/store';
import { LedgerNotFoundError } from '@ledger/store';
import type { LogRecord } from '@ledger/store';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { certificateEarned, courseStarted, learnerActive } from '../support/event-builders';
import { seededRandom } from '../support/seeded-random';
import { collect, eventStoreContract, ManualClock } from './event-store.contract';
import { sqliteUnderTest } from './sqlite-under-test';
import { erasureContract } from './erasure.contract';

describe('SQLite event store (contract)', () => {
  const openUnderTest = sqliteUnderTest();
  eventStoreContract(openUnderTest);
  describe('erasure (docs/erasure.md)', () => erasureContract(openUnderTest, 'supported'));
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

  it('reads typed pages by the type index once a writing open made it, and as before on a ledger without it (a reader does not write)', async () => {
    const file = join(dir, 'ledger.db');
    const events = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0 ? courseStarted(i + 1, `L${i % 7}`) : i % 3 === 1 ? learnerActive(i + 1, `L${i % 7}`) : certificateEarned(i + 1, `L${i % 7}`, '2020-04-01T00:00:00Z'),
    );
    const made = new SqliteEventStore(file);
    await made.append({ events });
    const all = await collect(made.readAll(1));
    await made.close();
    const raw = new Database(file);
    raw.exec('DROP INDEX events_type_position');
    raw.close();
    const typed = async (store: SqliteEventStore): Promise<number[][]> => [
      (await collect(store.readAll(1, { pageSize: 4, types: ['CourseStarted'] }))).map((r) => r.position),
      (await collect(store.readAll(5, { pageSize: 3, toPosition: 50, types: ['CertificateEarned', 'CourseStarted', 'CourseStarted'] }))).map((r) => r.position),
    ];
    const expected = [
      all.filter((r) => r.type === 'CourseStarted').map((r) => r.position),
      all.filter((r) => r.position >= 5 && r.position <= 50 && r.type !== 'LearnerActive').map((r) => r.position),
    ];
    const reader = new SqliteEventStore(file, { create: false, migrate: false });
    expect(await typed(reader)).toEqual(expected);
    expect(reader.connection.prepare("SELECT 1 FROM sqlite_master WHERE name = 'events_type_position'").get()).toBeUndefined();
    await reader.close();
    const writer = new SqliteEventStore(file, { create: false });
    expect(writer.connection.prepare("SELECT 1 FROM sqlite_master WHERE name = 'events_type_position'").get()).toBeDefined();
    expect(await typed(writer)).toEqual(expected);
    await writer.close();
  });

  it('leaves out, for an occurredFromDay hint, the events whose own date is before the day before it, by the type index or without it', async () => {
    const file = join(dir, 'ledger.db');
    const store = new SqliteEventStore(file);
    const occurred = ['2019-06-01T10:00:00Z', '2019-12-30T23:00:00-12:00', '2019-12-31T20:00:00-12:00', '2020-01-01T05:00:00+14:00', '2020-06-01T00:00:00+02:00'];
    await store.append({ events: occurred.map((at, i) => courseStarted(i + 1, `L${i}`, at)) });
    const read = async (s: SqliteEventStore) => (await collect(s.readAll(1, { pageSize: 2, types: ['CourseStarted'], occurredFromDay: '2020-01-01' }))).map((r) => r.position);
    // 2019-12-30 at -12:00 is 2019-12-31 in UTC: its own date is two days before, so no event of the day can have it.
    expect(await read(store)).toEqual([3, 4, 5]);
    await store.close();
    const db = new Database(file);
    db.exec('DROP INDEX events_type_position');
    db.close();
    const reader = new SqliteEventStore(file, { create: false, migrate: false });
    expect(await read(reader)).toEqual([3, 4, 5]);
    await reader.close();
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

describe('SQLite event store: a long append that can be cancelled is written in slices', () => {
  let dir: string;
  const clock = new ManualClock(new Date('2021-02-01T08:00:00.000Z'));
  // The same salts in both logs (leaf v2), so that they can be compared record for record.
  const open = (name: string) => new SqliteEventStore(join(dir, name), { clock: clock.now, random: seededRandom('slices') });
  const all = async (store: SqliteEventStore): Promise<LogRecord[]> => {
    const out: LogRecord[] = [];
    for await (const record of store.readAll()) out.push(record);
    return out;
  };
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-slices-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // Learner `a` has events in the first and the last slices; `b` exists before the append.
  const events = Array.from({ length: 6_001 }, (_, i) => learnerActive(i + 10, i === 0 || i === 6_000 ? 'a' : `x${i % 997}`));
  const expectedRevisions = new Map<string, ExpectedRevision>([
    ['learner-a', 'no-stream'],
    ['learner-b', 0],
  ]);

  it('stores exactly what one unsliced append stores (positions, revisions, recordedAt, hashes)', async () => {
    const whole = open('whole.db');
    const sliced = open('sliced.db');
    try {
      for (const store of [whole, sliced]) await store.append({ events: [learnerActive(1, 'b')] });
      const plain = await whole.append({ events, expectedRevisions });
      const cancellable = await sliced.append({ events, expectedRevisions, signal: new AbortController().signal });
      expect(cancellable).toEqual(plain);
      expect(await all(sliced)).toEqual(await all(whole));
      // An expectation broken in a later slice is still a conflict of the whole append.
      await expect(
        sliced.append({ events: [...events.slice(0, 6000), learnerActive(99_999, 'b')], expectedRevisions: new Map([['learner-b', 'no-stream']]), signal: new AbortController().signal }),
      ).rejects.toThrow(/learner-b: expected revision no-stream/);
      expect((await sliced.head()).position).toBe(6_002);
    } finally {
      await whole.close();
      await sliced.close();
    }
  });

  it('gives each recording batch of a sliced append its moment, as one unsliced append does', async () => {
    const whole = open('whole.db');
    const sliced = open('sliced.db');
    // Batches across the slices' edges (5,000 events a slice), one recorded before the one it follows.
    const recordings = [
      { from: 0, at: new Date('2021-01-02T01:00:00.000Z') },
      { from: 4_999, at: new Date('2021-01-03T01:00:00.000Z') },
      { from: 5_000, at: new Date('2021-01-04T01:00:00.000Z') },
      { from: 5_500, at: new Date('2021-01-03T12:00:00.000Z') },
      { from: 6_000, at: new Date('2021-01-05T01:00:00.000Z') },
    ];
    try {
      const plain = await whole.append({ events, expectedRevisions: new Map([['learner-a', 'no-stream']]), recordings });
      const cancellable = await sliced.append({ events, expectedRevisions: new Map([['learner-a', 'no-stream']]), recordings, signal: new AbortController().signal });
      expect(cancellable).toEqual(plain);
      expect(await all(sliced)).toEqual(await all(whole));
      const at = (index: number): string | undefined => cancellable[index]?.recordedAt;
      expect([at(0), at(4_998), at(4_999), at(5_000), at(5_499), at(5_500), at(5_999), at(6_000)]).toEqual([
        '2021-01-02T01:00:00.000Z',
        '2021-01-02T01:00:00.000Z',
        '2021-01-03T01:00:00.000Z',
        '2021-01-04T01:00:00.000Z',
        '2021-01-04T01:00:00.000Z',
        '2021-01-04T01:00:00.000Z', // 2021-01-03T12:00 is before the events recorded before it
        '2021-01-04T01:00:00.000Z',
        '2021-01-05T01:00:00.000Z',
      ]);
      // Learner a's stream, written in the first and the last slices, has revisions 0 and 1.
      expect([cancellable[0]?.streamRevision, cancellable[6_000]?.streamRevision]).toEqual([0, 1]);
    } finally {
      await whole.close();
      await sliced.close();
    }
  });

  it('hears an abort between two slices, before the write is done, and stores nothing', async () => {
    const store = open('ledger.db');
    try {
      const controller = new AbortController();
      const reason = new Error('interrupted by SIGINT');
      const appending = store.append({ events, signal: controller.signal });
      // Runs at the append's first turn of the event loop: after its first slice, long before its last.
      setImmediate(() => controller.abort(reason));
      await expect(appending).rejects.toBe(reason);
      expect((await store.head()).position).toBe(0);
      expect((await store.append({ events: events.slice(0, 3) })).map((o) => o.position)).toEqual([1, 2, 3]);
    } finally {
      await store.close();
    }
  });
});
