import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeferredIndexError } from '@ledger/store';
import { SqliteEventStore, TYPE_INDEX } from '@ledger/store/sqlite';
import { courseStarted, learnerActive } from '../support/event-builders';
import { eventStoreContract } from './event-store.contract';
import { sqliteUnderTest } from './sqlite-under-test';
import { erasureContract } from './erasure.contract';

/** The declared indexes of the events table a file holds, by name. */
function indexesOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name")
      .all()
      .map((r) => r.name);
  } finally {
    db.close();
  }
}

const DECLARED = ['events_event_id', 'events_stream_revision', 'events_type_position'];

/**
 * A bulk load into an empty ledger drops the indexes and answers from memory what they answer
 * (SqliteEventStore.deferIndexes): the whole store contract holds in that state, on the same
 * real SQLite file; a second connection that opens it (the contract's reopen) makes the
 * indexes, and the deferring store goes on with them.
 */
describe('SQLite event store with its indexes deferred (contract)', () => {
  const openUnderTest = sqliteUnderTest(async (store) => {
    expect(await store.deferIndexes()).toBe(true);
  });
  eventStoreContract(openUnderTest);
  describe('erasure (docs/erasure.md)', () => erasureContract(openUnderTest, 'supported'));
});

describe('SQLite event store: deferred indexes', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-deferred-'));
    file = join(dir, 'ledger.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('drops the indexes of an empty log only, builds them at the end, and the log is the one an indexed load writes', async () => {
    const events = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? learnerActive(i, `L${i % 97}`) : courseStarted(i, `L${i % 97}`)));
    const clock = (): Date => new Date('2021-01-01T00:00:00Z');
    const store = new SqliteEventStore(file, { clock });
    expect(indexesOf(file)).toEqual(DECLARED);
    expect(await store.deferIndexes()).toBe(true);
    expect(indexesOf(file)).toEqual([]);
    await store.append({ events: events.slice(0, 1000) });
    // Sent again, with the next ones: already present, not written twice.
    const outcomes = await store.append({ events: events.slice(500, 3000) });
    expect(outcomes.filter((o) => o.status === 'already-present')).toHaveLength(500);
    expect((await store.readStream('learner-L5')).map((r) => r.streamRevision)).toEqual(Array.from({ length: 31 }, (_, i) => i));
    expect((await store.findEvents([events[42]?.eventId ?? ''])).get(events[42]?.eventId ?? '')?.position).toBe(43);
    await store.buildDeferredIndexes();
    expect(indexesOf(file)).toEqual(DECLARED);
    expect((await store.head()).position).toBe(3000);
    expect(await store.deferIndexes()).toBe(false); // not empty any more
    expect(indexesOf(file)).toEqual(DECLARED);
    await store.close();

    const indexed = new SqliteEventStore(join(dir, 'indexed.db'), { clock });
    await indexed.append({ events: events.slice(0, 1000) });
    await indexed.append({ events: events.slice(500, 3000) });
    const columns = (f: string): unknown[] => {
      const db = new Database(f, { readonly: true });
      try {
        return db.prepare('SELECT position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data FROM events ORDER BY position').raw(true).all();
      } finally {
        db.close();
      }
    };
    await indexed.close();
    expect(columns(file)).toEqual(columns(join(dir, 'indexed.db')));
  });

  it('leaves the indexes of an interrupted load (the store closed before building them) to the next open that may write', async () => {
    const store = new SqliteEventStore(file);
    await store.deferIndexes();
    await store.append({ events: [learnerActive(1), learnerActive(2)] });
    await store.close();
    expect(indexesOf(file)).toEqual([]);
    const reader = new SqliteEventStore(file, { create: false, migrate: false });
    expect((await reader.findEvents([learnerActive(2).eventId])).get(learnerActive(2).eventId)?.position).toBe(2);
    await reader.close();
    expect(indexesOf(file)).toEqual([]); // a reader writes nothing
    const notices: string[] = [];
    const writer = new SqliteEventStore(file, { create: false, notice: (message) => notices.push(message) });
    expect(indexesOf(file)).toEqual(DECLARED);
    // Minutes on a large ledger: said before and after each index, with the size of the log.
    expect(notices).toHaveLength(2 * DECLARED.length);
    for (const name of DECLARED) {
      expect(notices).toContainEqual(`building the index ${name} over the 2 events of the log, once (minutes on a large ledger)`);
      expect(notices).toContainEqual(expect.stringMatching(new RegExp(`^index ${name} built in \\d+\\.\\d s$`)));
    }
    expect((await writer.append({ events: [learnerActive(2), learnerActive(3)] })).map((o) => o.status)).toEqual(['already-present', 'appended']);
    await writer.close();
    // The indexes there, an open says nothing; nor does the open that makes a new ledger.
    const quiet: string[] = [];
    await new SqliteEventStore(file, { create: false, notice: (message) => quiet.push(message) }).close();
    await new SqliteEventStore(join(dir, 'new.db'), { notice: (message) => quiet.push(message) }).close();
    expect(quiet).toEqual([]);
  });

  it('builds the type index a ledger made before it lacks at the first open that may write, and says so', async () => {
    const store = new SqliteEventStore(file);
    await store.append({ events: [learnerActive(1), learnerActive(2), learnerActive(3)] });
    await store.close();
    const db = new Database(file);
    db.exec(`DROP INDEX ${TYPE_INDEX.name}`);
    db.close();
    const notices: string[] = [];
    const writer = new SqliteEventStore(file, { create: false, notice: (message) => notices.push(message) });
    await writer.close();
    expect(indexesOf(file)).toEqual(DECLARED);
    expect(notices).toEqual([
      `building the index ${TYPE_INDEX.name} over the 3 events of the log, once (minutes on a large ledger)`,
      expect.stringMatching(new RegExp(`^index ${TYPE_INDEX.name} built in \\d+\\.\\d s$`)),
    ]);
  });

  it('undoes the load when a duplicate is found at the build: the ledger is empty again, with its indexes', async () => {
    const store = new SqliteEventStore(file);
    await store.deferIndexes();
    await store.append({ events: [learnerActive(1), learnerActive(2)] });
    // A row changed behind the store's back to repeat an event id (what no append through it can do).
    store.connection.prepare('UPDATE events SET event_id = (SELECT event_id FROM events WHERE position = 1) WHERE position = 2').run();
    await expect(store.buildDeferredIndexes()).rejects.toThrow(DeferredIndexError);
    await expect(store.buildDeferredIndexes()).resolves.toBeUndefined();
    expect((await store.head()).position).toBe(0);
    expect(indexesOf(file)).toEqual(DECLARED);
    await store.close();
  });

  it('does not defer the unique constraints of a ledger made before the indexes were declared apart', async () => {
    const old = new Database(file);
    old.exec(`CREATE TABLE events (
      position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL, stream_revision INTEGER NOT NULL,
      type TEXT NOT NULL, learner_id TEXT, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, data TEXT NOT NULL,
      hash BLOB NOT NULL, chain BLOB NOT NULL, leaf_version INTEGER NOT NULL DEFAULT 1, commitment BLOB, salt BLOB,
      erased INTEGER NOT NULL DEFAULT 0, UNIQUE (stream_id, stream_revision))`);
    old.close();
    const store = new SqliteEventStore(file);
    expect(indexesOf(file)).toEqual(['events_type_position', 'sqlite_autoindex_events_1', 'sqlite_autoindex_events_2']);
    expect(await store.deferIndexes()).toBe(false);
    await store.append({ events: [learnerActive(1)] });
    expect((await store.append({ events: [learnerActive(1)] }))[0]?.status).toBe('already-present');
    await store.close();
  });
});
