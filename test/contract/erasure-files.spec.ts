import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LearnerEvent } from '@ledger/events';
import { verifyLog } from '@ledger/audit';
import { buildProofBundleAt } from '@ledger/audit';
import type { EventStore } from '@ledger/store';
import type { LogRecord } from '@ledger/store';
import { PostgresEventStore } from '@ledger/store/postgres';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { admitted, campaignSent, courseStarted, surveyAnswered, uuidOf } from '../support/event-builders';
import { describeWithPostgres, dropSchema, freshSchema, POSTGRES_URL, withPostgres } from '../support/postgres';
import { seededRandom } from '../support/seeded-random';
import { ManualClock } from './event-store.contract';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyProofBundle } = require('../../tools/verify-proof.js') as {
  verifyProofBundle(bundle: unknown): { ok: boolean; checked: string[]; notChecked?: string[] };
};

/** The learner erased, and payload values found nowhere else in the log: what a byte search looks for. */
const ERASED = 'zqx-learner-7';
const KEPT = 'kept-learner-1';
const ERASURE = { reason: 'GDPR art. 17 request 2021-114', erasedAt: '2021-05-01T10:00:00Z', eventId: uuidOf(900, 0xee) };

function history(): LearnerEvent[] {
  const survey = surveyAnswered(1, ERASED);
  const admission = admitted(2, ERASED, 'ADMISSION-ZQX-0002');
  return [
    { ...survey, data: { ...survey.data, surveyResponseId: 'SURVEY-ZQX-0001', country: 'MT' } },
    { ...admission, data: { ...admission.data, pathId: 'PATH-ZQX-UNIQUE' } },
    { ...courseStarted(3, ERASED), data: { courseId: 'COURSE-ZQX-0003', theme: 'data' } },
    surveyAnswered(4, KEPT),
  ];
}

async function all(store: EventStore): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const record of store.readAll()) out.push(record);
  return out;
}

/** Every byte string the erased learner's events held (and that erasure must remove), salts included. */
function erasedValues(records: readonly LogRecord[]): Buffer[] {
  const mine = records.filter((r) => r.learnerId === ERASED);
  expect(mine).toHaveLength(3);
  return [
    ...['SURVEY-ZQX-0001', 'ADMISSION-ZQX-0002', 'PATH-ZQX-UNIQUE', 'COURSE-ZQX-0003', `learner-${ERASED}`].map((t) => Buffer.from(t)),
    ...mine.map((r) => Buffer.from(r.eventId)),
    ...mine.map((r) => Buffer.from(r.salt ?? '', 'hex')),
    ...mine.map((r) => Buffer.from(r.salt ?? '')), // as text too, should a store keep it so
  ];
}

function found(haystacks: readonly Buffer[], needles: readonly Buffer[]): string[] {
  return needles.filter((n) => haystacks.some((h) => h.includes(n))).map((n) => (n.length === 32 ? `salt ${n.toString('hex')}` : n.toString()));
}

describe('Erasure reaches the SQLite file (secure_delete, WAL checkpoint)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-erasure-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const files = (file: string): Buffer[] => [file, `${file}-wal`, `${file}-shm`].filter(existsSync).map((f) => readFileSync(f));

  it('leaves none of the erased learner\'s payload values, ids or salts in the database file or its WAL', async () => {
    const file = join(dir, 'ledger.db');
    const store = new SqliteEventStore(file, { random: seededRandom('files') });
    try {
      // Enough other events that the learner's rows share pages with rows that stay.
      await store.append({ events: Array.from({ length: 300 }, (_, i) => campaignSent(100 + i)) });
      await store.append({ events: history() });
      const values = erasedValues(await all(store));
      store.connection.pragma('wal_checkpoint(TRUNCATE)');
      expect(found(files(file), values)).toHaveLength(values.length - 3); // before: all there (the salts as text never were)

      expect(await store.eraseLearner(ERASED, ERASURE)).toMatchObject({ status: 'erased', erasedEvents: 3 });
      expect(found(files(file), values)).toEqual([]);
      expect(await verifyLog(store)).toMatchObject({ ok: true, erased: 3 });
    } finally {
      await store.close();
    }
    // Closed (the WAL folded into the file and removed): still none.
    const values = [Buffer.from('PATH-ZQX-UNIQUE'), Buffer.from(`learner-${ERASED}`)];
    expect(found(files(file), values)).toEqual([]);
  });

  it('keeps a ledger written before leaf v2 verifying exactly as before, moves it to v2 from a recorded position, and erases both kinds', async () => {
    const file = join(dir, 'old.db');
    // The v1 path of the code, on a ledger with the columns of before leaf v2 (dropped again here).
    const clock = new ManualClock();
    const old = new SqliteEventStore(file, { clock: clock.now, newLogLeafVersion: 1 });
    await old.append({ events: history().slice(0, 2) });
    await old.append({ events: history().slice(3) });
    const v1Root = (await verifyLog(old)).merkleRoot;
    const v1Records = await all(old);
    await old.close();
    const raw = new Database(file);
    for (const column of ['leaf_version', 'commitment', 'salt', 'erased']) raw.exec(`ALTER TABLE events DROP COLUMN ${column}`);
    raw.exec("DELETE FROM ledger_meta WHERE key = 'leaf_v2_from'");
    raw.close();

    const store = new SqliteEventStore(file, { clock: clock.now, create: false, random: seededRandom('old') });
    try {
      expect(await store.leafFormat()).toEqual({ v2From: null });
      expect(await all(store)).toEqual(v1Records);
      expect(await verifyLog(store)).toMatchObject({ ok: true, checked: 3, merkleRoot: v1Root, erased: 0 });
      await store.append({ events: [courseStarted(5, KEPT)] }); // still v1 until moved
      expect((await all(store))[3]?.leafVersion).toBeUndefined();

      expect(await store.useLeafV2()).toEqual({ v2From: 5 });
      expect(await store.useLeafV2()).toEqual({ v2From: 5 });
      await store.append({ events: [history()[2] as LearnerEvent] });
      const records = await all(store);
      expect(records.map((r) => r.leafVersion ?? 1)).toEqual([1, 1, 1, 1, 2]);
      expect((await verifyLog(store, { rootsAt: new Set([3]) })).rootsAt.get(3)).toBe(v1Root);

      // The learner has two v1 events and one v2 event: all erased; the v1 leaves stay as stored.
      expect(await store.eraseLearner(ERASED, ERASURE)).toMatchObject({ status: 'erased', erasedEvents: 3 });
      const verified = await verifyLog(store, { rootsAt: new Set([3]) });
      expect(verified).toMatchObject({ ok: true, checked: 6, erased: 3, leavesNotRecomputed: 2 });
      expect(verified.rootsAt.get(3)).toBe(v1Root);
      const bundle = await buildProofBundleAt(store, 1);
      expect(bundle).toMatchObject({ format: 'impact-ledger-proof/2', leaf: { v: 1, position: 1 }, payload: 'erased' });
      const verdict = verifyProofBundle(JSON.parse(JSON.stringify(bundle)));
      expect(verdict.ok).toBe(true);
      expect(verdict.notChecked?.join('\n')).toMatch(/that leafHash is the hash of this event: a v1 leaf hashed the erased payload/);
      // An erased v1 leaf altered is still caught, by the chain.
      store.connection.prepare("UPDATE events SET hash = zeroblob(32) WHERE position = 2").run();
      expect((await verifyLog(store)).fault).toMatchObject({ position: 2, problem: expect.stringMatching(/chain value/) });
    } finally {
      await store.close();
    }
  });
});

const describeIfPostgres = describeWithPostgres('PostgreSQL erasure file tests');

describeIfPostgres('Erasure reaches the PostgreSQL table files (after VACUUM FULL)', () => {
  let schema: string;
  let store: PostgresEventStore;
  beforeEach(async () => {
    schema = freshSchema();
    store = await PostgresEventStore.open(POSTGRES_URL, { schema, random: seededRandom('pg-files') });
  });
  afterEach(async () => {
    await store.close();
    await dropSchema(schema);
  });

  /** The bytes of the events table, its TOAST table and its indexes, as on disk (a CHECKPOINT first; superuser). */
  async function tableFiles(): Promise<Buffer[]> {
    return withPostgres(async (client) => {
      await client.query('CHECKPOINT');
      const relations = await client.query<{ path: string | null }>(
        `SELECT pg_relation_filepath(c.oid) AS path FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname = 'events'
         UNION ALL SELECT pg_relation_filepath(i.indexrelid) FROM pg_index i WHERE i.indrelid = $2::regclass
         UNION ALL SELECT pg_relation_filepath(c.reltoastrelid) FROM pg_class c WHERE c.oid = $2::regclass AND c.reltoastrelid <> 0`,
        [schema, `"${schema}".events`],
      );
      const out: Buffer[] = [];
      for (const { path } of relations.rows) {
        if (path === null) continue;
        const file = await client.query<{ bytes: Buffer }>('SELECT pg_read_binary_file($1) AS bytes', [path]);
        out.push(file.rows[0]?.bytes ?? Buffer.alloc(0));
      }
      expect(out.length).toBeGreaterThanOrEqual(3); // the heap and at least the primary key and event id indexes
      return out;
    });
  }

  it('leaves the erased rows as dead tuples until vacuumed; after vacuumErased none of the values is in the table files', async () => {
    await store.append({ events: Array.from({ length: 300 }, (_, i) => campaignSent(100 + i)) });
    await store.append({ events: history() });
    const values = erasedValues(await all(store));
    expect(found(await tableFiles(), values)).toHaveLength(values.length - 3);

    expect(await store.eraseLearner(ERASED, ERASURE)).toMatchObject({ status: 'erased', erasedEvents: 3 });
    // Erased for every reader at once, but the old row versions are still in the files (why the vacuum is needed).
    expect(found(await tableFiles(), values).length).toBeGreaterThan(0);
    await store.vacuumErased();
    expect(found(await tableFiles(), values)).toEqual([]);
    expect(await verifyLog(store)).toMatchObject({ ok: true, erased: 3 });
  });

  it('keeps a table written before leaf v2 verifying as before, and moves it to v2 from a recorded position', async () => {
    await store.close();
    await dropSchema(schema); // a log made by the v1 path of the code, from its creation
    schema = freshSchema();
    store = await PostgresEventStore.open(POSTGRES_URL, { schema, newLogLeafVersion: 1 });
    await store.append({ events: history().slice(0, 2) });
    const v1Root = (await verifyLog(store)).merkleRoot;
    await store.close();
    await withPostgres(async (client) => {
      await client.query(`ALTER TABLE "${schema}".events DROP COLUMN leaf_version, DROP COLUMN commitment, DROP COLUMN salt, DROP COLUMN erased`);
      await client.query(`DELETE FROM "${schema}".ledger_meta WHERE key = 'leaf_v2_from'`);
    });
    store = await PostgresEventStore.open(POSTGRES_URL, { schema, create: false });
    expect(await store.leafFormat()).toEqual({ v2From: null });
    expect(await verifyLog(store)).toMatchObject({ ok: true, checked: 2, merkleRoot: v1Root });
    expect(await store.useLeafV2()).toEqual({ v2From: 3 });
    await store.append({ events: history().slice(2) });
    expect((await all(store)).map((r) => r.leafVersion ?? 1)).toEqual([1, 1, 2, 2]);
    expect(await store.eraseLearner(ERASED, ERASURE)).toMatchObject({ status: 'erased', erasedEvents: 3 });
    const verified = await verifyLog(store, { rootsAt: new Set([2]) });
    expect(verified).toMatchObject({ ok: true, checked: 5, erased: 3, leavesNotRecomputed: 2 });
    expect(verified.rootsAt.get(2)).toBe(v1Root);
  });
});
