import { Client } from 'pg';
import { ErasedLearnerError, IdempotencyConflictError } from '@ledger/store';
import type { LogRecord } from '@ledger/store';
import { EMPTY_HEAD, recomputeHashes } from '@ledger/store';
import { MAX_STREAM_ID } from '@ledger/events';
import { openEventStore } from '@ledger/store';
import { PostgresEventStore } from '@ledger/store/postgres';
import { campaignSent, learnerActive, uuidOf } from '../support/event-builders';
import { describeWithPostgres, dropSchema, freshSchema, POSTGRES_URL, withPostgres } from '../support/postgres';
import { collect, eventStoreContract, ManualClock } from './event-store.contract';
import type { StoreUnderTest } from './event-store.contract';
import { erasureContract } from './erasure.contract';

const URL = POSTGRES_URL;
const describeIfPostgres = describeWithPostgres('PostgreSQL event store tests');
const withAdmin = withPostgres;

function verifyChain(records: readonly LogRecord[]): void {
  let previous = EMPTY_HEAD.chain;
  records.forEach((record, i) => {
    expect(record.position).toBe(i + 1);
    expect(recomputeHashes(record, previous)).toEqual({ hash: record.hash, chain: record.chain });
    previous = record.chain;
  });
}

describeIfPostgres('PostgreSQL event store (contract)', () => {
  const openUnderTest = async (): Promise<StoreUnderTest> => {
    const schema = freshSchema();
    const missing = freshSchema();
    const clock = new ManualClock();
    const store = await PostgresEventStore.open(URL, { clock: clock.now, schema });
    return {
      store,
      clock,
      reopen: () => PostgresEventStore.open(URL, { clock: clock.now, schema, create: false }),
      openMissing: () => PostgresEventStore.open(URL, { schema: missing, create: false }),
      dispose: async () => {
        await store.close();
        await dropSchema(schema);
        await dropSchema(missing);
      },
    };
  };
  eventStoreContract(openUnderTest);
  describe('erasure (docs/erasure.md)', () => erasureContract(openUnderTest, 'supported'));
});

describeIfPostgres('PostgreSQL event store (specific)', () => {
  let schema: string;
  const opened: PostgresEventStore[] = [];
  const open = async (options: { clock?: () => Date } = {}): Promise<PostgresEventStore> => {
    const store = await PostgresEventStore.open(URL, { ...options, schema });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    schema = freshSchema();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await dropSchema(schema);
  });

  it('opens the same new schema from several processes at once, and opens it again', async () => {
    const stores = await Promise.all([open(), open(), open(), open()]);
    await stores[0].append({ events: [learnerActive(1, 'a')] });
    const again = await open();
    expect((await again.head()).position).toBe(1);
  });

  it('opens the schema a LEDGER_DB string names with ?schema=', async () => {
    const store = await openEventStore(`${URL}${URL.includes('?') ? '&' : '?'}schema=${schema}`, { create: true });
    opened.push(store as PostgresEventStore);
    expect(store).toMatchObject({ kind: 'postgres', schema });
    await store.append({ events: [learnerActive(1, 'a')] });
    const count = await withAdmin((c) => c.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events`));
    expect(count.rows[0]?.n).toBe('1');
  });

  it('has a stream id limit (its btree index) far above MAX_STREAM_ID, which the validator keeps ids within', async () => {
    const store = await open();
    const withCampaign = (n: number, campaignId: string) => ({ ...campaignSent(n), data: { ...campaignSent(n).data, campaignId } });
    // What the validator lets through: the longest stream id, 521 bytes.
    await store.append({ events: [withCampaign(1, '\u{10FFFF}'.repeat(128))] });
    // What it refuses (129+ characters): PostgreSQL cannot index a key of a few kB that does not
    // compress (varied code points), nor take a NUL in a text column.
    const varied = Array.from({ length: 1000 }, (_, i) => String.fromCodePoint(0x10000 + ((i * 7919) % 0xfffff))).join('');
    await expect(store.append({ events: [withCampaign(2, varied)] })).rejects.toThrow(/index row/);
    await expect(store.append({ events: [withCampaign(3, 'K\u0000')] })).rejects.toThrow(/0x00/);
    expect((await store.head()).position).toBe(1);
    expect(Buffer.byteLength(varied) / MAX_STREAM_ID.utf8Bytes).toBeGreaterThan(7);
  });

  describe('without create', () => {
    const tablesOf = (name: string) =>
      withAdmin(async (c) => (await c.query<{ t: string }>('SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 ORDER BY 1', [name])).rows.map((r) => r.t));
    const schemaExists = (name: string) => withAdmin(async (c) => ((await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name])).rowCount ?? 0) > 0);

    it('refuses a schema without the events table, naming the database and the schema, and creates nothing', async () => {
      await expect(PostgresEventStore.open(URL, { schema, create: false })).rejects.toThrow(
        new RegExp(`no ledger at PostgreSQL database \\w+, schema ${schema}: the schema does not exist`),
      );
      expect(await schemaExists(schema)).toBe(false);
      await withAdmin((c) => c.query(`CREATE SCHEMA "${schema}"`));
      await expect(PostgresEventStore.open(URL, { schema, create: false })).rejects.toThrow(/the schema has no events table/);
      expect(await tablesOf(schema)).toEqual([]);
    });

    it('opens a ledger made before logs had ids, and gives it one that stays', async () => {
      const store = await open();
      await store.append({ events: [learnerActive(1, 'a')] });
      await withAdmin((c) => c.query(`DROP TABLE "${schema}".ledger_meta`));
      const first = await PostgresEventStore.open(URL, { schema, create: false });
      opened.push(first);
      const { logId } = await first.identity();
      expect(await tablesOf(schema)).toEqual(['events', 'ledger_meta', 'log_head']);
      const second = await PostgresEventStore.open(URL, { schema, create: false });
      opened.push(second);
      expect(await second.identity()).toEqual({ logId });
      expect((await second.head()).position).toBe(1);
    });
  });

  it('stays gapless with two stores (two processes) writing to one schema, seen by a third reading', async () => {
    const [left, right, reader] = await Promise.all([open(), open(), open()]);
    const perWriter = 60;
    const seen: number[] = [];
    let done = false;
    const tail = (async () => {
      while (!done || seen.length < 2 * 4 * perWriter) {
        for await (const record of reader.readAll((seen[seen.length - 1] ?? 0) + 1, { pageSize: 5 })) seen.push(record.position);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    // Four concurrent writers per store, each appending small requests (some of two events).
    await Promise.all(
      [left, right].flatMap((store, s) =>
        Array.from({ length: 4 }, async (_, w) => {
          for (let i = 0; i < perWriter; i += 2) {
            const n = 10_000 * (s + 1) + 1000 * w + i;
            await store.append({ events: [learnerActive(n, `S${s}W${w}`), learnerActive(n + 1, `S${s}W${w}`)] });
          }
        }),
      ),
    );
    done = true;
    await tail;
    expect(seen).toEqual(Array.from({ length: 2 * 4 * perWriter }, (_, i) => i + 1));
    verifyChain(await collect(reader.readAll()));
    expect((await reader.head()).position).toBe(2 * 4 * perWriter);
  });

  it('stores a 20k-event request in one transaction: a failure in its last rows leaves nothing', async () => {
    const store = await open();
    await store.append({ events: [learnerActive(1, 'first')] });
    const events = Array.from({ length: 20_000 }, (_, i) => learnerActive(100 + i, `L${i % 500}`));
    // The server refuses a NUL character in text, and occurredAt is only sent by the inserts:
    // the last insert of the request fails after the first ten (2000 rows each) went through.
    events.push(learnerActive(99_999, 'last', '2020-03-01T10:00:00+01:00\u0000'));
    await expect(store.append({ events })).rejects.toMatchObject({ code: '22021' });
    expect((await store.head()).position).toBe(1);
    expect(await collect(store.readAll())).toHaveLength(1);
    const count = await withAdmin((c) => c.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events`));
    expect(count.rows[0]?.n).toBe('1');
    // And the same request without the bad event goes through whole.
    const out = await store.append({ events: events.slice(0, -1) });
    expect(out[out.length - 1]).toMatchObject({ position: 20_001, status: 'appended' });
    verifyChain(await collect(store.readAll(1, { pageSize: 3000 })));
  }, 120_000); // 40k events hashed and sent: the slowest contract test, past the project's 30 s on a loaded machine

  it('keeps positions gapless across group units when one in the middle fails in the database', async () => {
    const store = await open();
    const results = await store.appendGroup([
      { events: [learnerActive(1, 'a'), learnerActive(2, 'b')] },
      { events: [learnerActive(3, 'c'), learnerActive(4, 'c', '2020-03-01T10:00:00Z\u0000')] },
      { events: [learnerActive(5, 'a')] },
    ]);
    expect(results[0]).toHaveLength(2);
    expect(results[1]).toMatchObject({ code: '22021' });
    expect(results[2]).toEqual([expect.objectContaining({ position: 3, streamRevision: 1 })]);
    verifyChain(await collect(store.readAll()));
    expect((await store.head()).position).toBe(3);
  });

  it('writes a large unit through COPY as any other: present ids and repeats reported, a refusal stores nothing', async () => {
    const store = await open();
    await store.append({ events: [learnerActive(1, 'a'), learnerActive(2, 'b')] });
    const many = Array.from({ length: 1200 }, (_, i) => learnerActive(10 + i, `L${i % 50}`));
    // Two events already in the log, one repeated within the request, and backslashes, tabs, newlines in a text column.
    const odd = { ...learnerActive(5000, 'tab\there'), data: {} };
    const outcomes = await store.append({ events: [learnerActive(1, 'a'), ...many, many[3] as (typeof many)[number], learnerActive(2, 'b'), odd] });
    expect(outcomes).toHaveLength(1204);
    expect(outcomes[0]).toMatchObject({ status: 'already-present', position: 1 });
    expect(outcomes[1]).toMatchObject({ status: 'appended', position: 3 });
    expect(outcomes[1201]).toMatchObject({ status: 'already-present', position: outcomes[4]?.position });
    expect(outcomes[1202]).toMatchObject({ status: 'already-present', position: 2 });
    expect(outcomes[1203]).toMatchObject({ status: 'appended', position: 1203 });
    const all = await collect(store.readAll());
    verifyChain(all);
    expect(all).toHaveLength(1203);
    expect(all[1202]).toMatchObject({ learnerId: 'tab\there', streamId: 'learner-tab\there' });
    expect(await store.head()).toMatchObject({ position: 1203, chain: all[1202]?.chain });
    // A conflict in the middle of a large unit: nothing of it stored, the head where it was.
    const refused = Array.from({ length: 800 }, (_, i) => learnerActive(20_000 + i, `M${i}`));
    refused[400] = { ...learnerActive(10, 'L0'), occurredAt: '2020-03-02T10:00:00+01:00' };
    await expect(store.append({ events: refused })).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect((await store.head()).position).toBe(1203);
    expect(await collect(store.readAll(1204))).toEqual([]);
  });

  it('pages by ranges of positions: a typed read skips ranges without its types, and a read goes on while the log grows', async () => {
    const store = await open();
    await store.append({ events: [1, 2, 3, 4, 5].map((n) => learnerActive(n, 'a')) });
    await store.append({ events: [campaignSent(6)] });
    const typed = await collect(store.readAll(1, { pageSize: 2, types: ['OutreachCampaignSent'] }));
    expect(typed.map((r) => r.position)).toEqual([6]);
    const seen: number[] = [];
    for await (const page of store.readPages(1, { pageSize: 2 })) {
      if (seen.length === 0) await store.append({ events: [learnerActive(7, 'b'), learnerActive(8, 'b')] });
      seen.push(...page.map((r) => r.position));
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await collect(store.readAll(3, { pageSize: 4, toPosition: 7, withoutHashes: true }))).map((r) => [r.position, r.hash])).toEqual([
      [3, ''], [4, ''], [5, ''], [6, ''], [7, ''],
    ]);
  });

  it('reads lean pages as one text column a row: the records of a full read without hashes; a field with a tab, a NULL learner, an erased event', async () => {
    const store = await open();
    await store.append({ events: [learnerActive(1, 'a'), campaignSent(2), learnerActive(3, 'b'), learnerActive(4, 'tab\there'), learnerActive(5, 'c')] });
    const erasure = { reason: 'GDPR art. 17 request', erasedAt: '2021-05-01T10:00:00Z', eventId: uuidOf(900, 0xee) };
    await store.eraseLearner('b', erasure);
    const lean = ({ hash: _hash, chain: _chain, commitment: _commitment, salt: _salt, ...rest }: LogRecord) => ({ ...rest, hash: '', chain: '' });
    const full = (await collect(store.readAll())).map(lean);
    expect(full.map((r) => [r.learnerId, r.erased === true])).toEqual([['a', false], [null, false], [null, true], ['tab\there', false], ['c', false], ['b', false]]);
    // Pages of 2: the second holds the tab (read again as columns), the others are split in Node.
    expect(await collect(store.readAll(1, { pageSize: 2, withoutHashes: true }))).toEqual(full);
    expect(await collect(store.readAll(1, { pageSize: 2, withoutHashes: true, types: ['LearnerActive'] }))).toEqual(full.filter((r) => r.type === 'LearnerActive'));
    // A large unit (COPY, its ids not read first) refuses an erased learner's event, and stores nothing of it.
    const many = Array.from({ length: 600 }, (_, i) => learnerActive(100 + i, `L${i % 40}`));
    many[300] = learnerActive(99, 'b');
    await expect(store.append({ events: many })).rejects.toBeInstanceOf(ErasedLearnerError);
    expect((await store.head()).position).toBe(6);
  });

  it('refuses a group busy when the head lock is held past the wait (55P03), storing nothing, and commits the next group', async () => {
    const store = await PostgresEventStore.open(URL, { schema, writeWaitMs: 50 });
    opened.push(store);
    await store.append({ events: [learnerActive(1, 'a')] });
    const holder = new Client({ connectionString: URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM "${schema}".log_head FOR UPDATE`);
      await expect(store.appendGroup([{ events: [learnerActive(2, 'b')] }, { events: [learnerActive(3, 'c')] }])).rejects.toMatchObject({ code: '55P03' });
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect((await store.head()).position).toBe(1);
    const results = await store.appendGroup([{ events: [learnerActive(2, 'b')] }, { events: [learnerActive(3, 'c')] }]);
    expect(results.map((r) => (r instanceof Error ? r : r.map((o) => o.position)))).toEqual([[2], [3]]);
    verifyChain(await collect(store.readAll()));
  });

  describe('a writer that bypasses the head lock', () => {
    /** Inserts a row the way a rogue writer would: without the lock, at a far position, in an open transaction. */
    async function rogueInsert(client: Client, eventId: string, learnerId: string): Promise<void> {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO "${schema}".events (position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, hash, chain)
         VALUES (1000, $1, $2, 7, 'LearnerActive', $3, '2020-03-01T10:00:00+01:00', '2021-01-01T00:00:00.000Z', '{}', '\\x00', '\\x00')`,
        [eventId, `learner-${learnerId}`, learnerId],
      );
    }

    /** Waits until the rogue's backend blocks someone (the store's insert on the unique index). */
    async function untilBlocking(client: Client): Promise<void> {
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      await withAdmin(async (admin) => {
        for (let i = 0; i < 500; i += 1) {
          const blocked = await admin.query('SELECT 1 FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))', [pid]);
          if (blocked.rowCount) return;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        throw new Error('the store never blocked on the rogue insert');
      });
    }

    it('and wins a race on an event id makes the append report it present, not a raw unique violation', async () => {
      const store = await open();
      const rogue = new Client({ connectionString: URL });
      await rogue.connect();
      try {
        await rogueInsert(rogue, uuidOf(1), 'a');
        const appending = store.append({ events: [learnerActive(1, 'a')] });
        await untilBlocking(rogue);
        await rogue.query('COMMIT');
        const [out] = await appending;
        expect(out).toMatchObject({ status: 'already-present', position: 1000 });
      } finally {
        await rogue.end();
      }
    });

    it('with other content for the id makes the append an IdempotencyConflictError', async () => {
      const store = await open();
      const rogue = new Client({ connectionString: URL });
      await rogue.connect();
      try {
        await rogueInsert(rogue, uuidOf(1), 'someone-else');
        const appending = store.append({ events: [learnerActive(1, 'a')] });
        await untilBlocking(rogue);
        await rogue.query('COMMIT');
        await expect(appending).rejects.toBeInstanceOf(IdempotencyConflictError);
      } finally {
        await rogue.end();
      }
    });

    it('and takes a position the head does not know of gets a clear error, and nothing stored', async () => {
      const store = await open();
      await withAdmin(async (c) => {
        await c.query(
          `INSERT INTO "${schema}".events (position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, hash, chain)
           VALUES (2, 'rogue', 'learner-rogue', 0, 'LearnerActive', 'rogue', '2020-03-01T10:00:00Z', '2021-01-01T00:00:00.000Z', '{}', '\\x00', '\\x00')`,
        );
      });
      await expect(store.append({ events: [learnerActive(1, 'a'), learnerActive(2, 'b')] })).rejects.toThrow(/out of step/);
      expect((await store.head()).position).toBe(0);
      expect(await store.readStream('learner-a')).toEqual([]);
    });
  });

  it('returns positions as numbers beyond 2^31', async () => {
    const store = await open();
    await withAdmin((c) => c.query(`UPDATE "${schema}".log_head SET position = 3000000000`));
    const [out] = await store.append({ events: [learnerActive(1, 'a')] });
    expect(out?.position).toBe(3_000_000_001);
    const [record] = await collect(store.readAll(3_000_000_000));
    expect(record?.position).toBe(3_000_000_001);
    expect((await store.head()).position).toBe(3_000_000_001);
  });
});
