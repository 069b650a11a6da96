import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyLog } from '@ledger/audit';
import type { EventStore, LogRecord } from '@ledger/store';
import { PostgresEventStore } from '@ledger/store/postgres';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { courseStarted, surveyAnswered } from '../support/event-builders';
import { describeWithPostgres, dropSchema, freshSchema, POSTGRES_URL, withPostgres } from '../support/postgres';
import { ManualClock } from './event-store.contract';

const LEAF_V2 = ['leaf_version', 'commitment', 'salt', 'erased'];

async function all(store: EventStore): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const record of store.readAll()) out.push(record);
  return out;
}

/** Reads a ledger made before leaf v2 the way every reader does: records, a stream, ids, verification. */
async function readEverything(store: EventStore) {
  return {
    records: await all(store),
    stream: await store.readStream('learner-a'),
    found: [...(await store.findEvents([courseStarted(2, 'a').eventId])).keys()],
    verified: await verifyLog(store),
    format: await store.leafFormat(),
  };
}

describe('A SQLite ledger made before leaf v2: read without a write, migrated by the first write', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-legacy-'));
    file = join(dir, 'old.db');
    const clock = new ManualClock();
    const old = new SqliteEventStore(file, { clock: clock.now, newLogLeafVersion: 1 });
    await old.append({ events: [surveyAnswered(1, 'a'), courseStarted(2, 'a')] });
    await old.close();
    const raw = new Database(file);
    for (const column of LEAF_V2) raw.exec(`ALTER TABLE events DROP COLUMN ${column}`);
    raw.exec("DELETE FROM ledger_meta WHERE key = 'leaf_v2_from'");
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const columns = () => {
    const raw = new Database(file, { readonly: true });
    try {
      return raw.prepare<[], string>("SELECT name FROM pragma_table_info('events')").pluck().all();
    } finally {
      raw.close();
    }
  };

  it('opened by a reader (migrate: false), reads and verifies as v1 and leaves the file as it was', async () => {
    const before = readFileSync(file);
    const reader = new SqliteEventStore(file, { create: false, migrate: false });
    const read = await readEverything(reader);
    await reader.close();
    expect(read.records.map((r) => [r.position, r.leafVersion, r.erased])).toEqual([[1, undefined, undefined], [2, undefined, undefined]]);
    expect(read.stream).toHaveLength(2);
    expect(read.found).toHaveLength(1);
    expect(read.verified).toMatchObject({ ok: true, checked: 2, erased: 0 });
    expect(read.format).toEqual({ v2From: null });
    expect(columns().some((c) => LEAF_V2.includes(c))).toBe(false);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('opened by a reader that then writes: the first write migrates, and the log verifies as before', async () => {
    const store = new SqliteEventStore(file, { create: false, migrate: false });
    const root = (await verifyLog(store)).merkleRoot;
    await store.append({ events: [courseStarted(3, 'b')] });
    expect(columns()).toEqual(expect.arrayContaining(LEAF_V2));
    expect(await verifyLog(store, { rootsAt: new Set([2]) })).toMatchObject({ ok: true, checked: 3, rootsAt: new Map([[2, root]]) });
    await store.close();
  });

  it('opened by a writer (the default), migrates on open', async () => {
    const store = new SqliteEventStore(file, { create: false });
    await store.close();
    expect(columns()).toEqual(expect.arrayContaining(LEAF_V2));
  });
});

describeWithPostgres('PostgreSQL legacy read')('A PostgreSQL ledger made before leaf v2, read by a role that does not own the table', () => {
  let schema: string;
  let role: string;
  beforeEach(async () => {
    schema = freshSchema();
    role = `reader_${schema}`.slice(0, 60);
    const old = await PostgresEventStore.open(POSTGRES_URL, { schema, newLogLeafVersion: 1 });
    await old.append({ events: [surveyAnswered(1, 'a'), courseStarted(2, 'a')] });
    await old.close();
    await withPostgres(async (client) => {
      await client.query(`ALTER TABLE "${schema}".events DROP COLUMN leaf_version, DROP COLUMN commitment, DROP COLUMN salt, DROP COLUMN erased`);
      await client.query(`DELETE FROM "${schema}".ledger_meta WHERE key = 'leaf_v2_from'`);
      await client.query(`CREATE ROLE "${role}" NOLOGIN`);
      await client.query(`GRANT USAGE ON SCHEMA "${schema}" TO "${role}"`);
      await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA "${schema}" TO "${role}"`);
    });
  });
  afterEach(async () => {
    await dropSchema(schema);
    await withPostgres((client) => client.query(`DROP ROLE IF EXISTS "${role}"`));
  });

  const asReader = () => `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c role=${role}`)}`;
  const columns = () =>
    withPostgres(async (client) =>
      (await client.query<{ name: string }>(`SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, [`"${schema}".events`])).rows.map(
        (r) => r.name,
      ),
    );

  it('opens it with migrate: false, reads and verifies as v1, and changes nothing; a writer then migrates it', async () => {
    // The role may only read: the ALTER of an open that migrates fails for it (it does not own the table).
    await expect(PostgresEventStore.open(asReader(), { schema, create: false })).rejects.toThrow(/owner|permission/);
    const reader = await PostgresEventStore.open(asReader(), { schema, create: false, migrate: false });
    try {
      const read = await readEverything(reader);
      expect(read.records.map((r) => [r.position, r.leafVersion, r.erased])).toEqual([[1, undefined, undefined], [2, undefined, undefined]]);
      expect(read.stream).toHaveLength(2);
      expect(read.found).toHaveLength(1);
      expect(read.verified).toMatchObject({ ok: true, checked: 2, erased: 0 });
      expect(read.format).toEqual({ v2From: null });
    } finally {
      await reader.close();
    }
    expect((await columns()).some((c) => LEAF_V2.includes(c))).toBe(false);
    const writer = await PostgresEventStore.open(POSTGRES_URL, { schema, create: false, migrate: false });
    try {
      await writer.append({ events: [courseStarted(3, 'b')] });
      expect(await columns()).toEqual(expect.arrayContaining(LEAF_V2));
      expect(await verifyLog(writer)).toMatchObject({ ok: true, checked: 3 });
    } finally {
      await writer.close();
    }
  });
});
