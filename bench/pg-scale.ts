/**
 * PostgreSQL at scale, each figure beside its baseline measured in the same run:
 * - load: batches of 10,000 events through the ingestor (what `load-history` does with each
 *   batch of a recorded history: validate, check, hash, one atomic append, COPY inside), beside
 *   a bare COPY of the same rows (prebuilt text, same table and indexes, 10,000 per transaction);
 * - rebuild of every projection and `verify`, beside a bare cursor read (10,000 rows per FETCH,
 *   payload as text + JSON.parse);
 * - the report as known now and at a past moment, from kept read models.
 * `BENCH_ONLY=pg-scale npm run bench`; BENCH_PG_EVENTS=345000.
 */
import { join } from 'node:path';
import { Client } from 'pg';
import { verifyLog } from '@ledger/audit';
import type { LedgerEvent } from '@ledger/events';
import { EventIngestor } from '@ledger/ingest';
import { catchUpAll, computeReport, rebuildAll, SqliteProjectionStateStore } from '@ledger/projection-runtime';
import { FIGURE_SOURCES, PROJECTIONS } from '@ledger/projections';
import type { LogRecord } from '@ledger/store';
import { copyFrom, copyRow, PostgresEventStore } from '@ledger/store/postgres';
import { seconds, timedRuns } from './bench-support';
import { benchSchema, dropSchema, POSTGRES_URL, rate } from './pg-ingest';
import { syntheticEvents } from './synthetic-events';

const EVENTS = Number(process.env.BENCH_PG_EVENTS ?? 345_000);
const BATCH = 10_000;

/**
 * The ledger's load and a bare COPY of the same rows, interleaved batch by batch (the machine
 * is shared: both sides then see the same moments). Each batch: the ledger ingests it (timed);
 * its records are read back and made COPY text (not timed); the text is copied into a fresh
 * table of the same schema, same indexes, in one transaction (timed).
 */
async function loadBesideCopy(store: PostgresEventStore, events: readonly LedgerEvent[]): Promise<{ ledger: number; copy: number }> {
  const schema = benchSchema('copy');
  await (await PostgresEventStore.open(POSTGRES_URL, { schema })).close();
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  const ingestor = new EventIngestor(store, () => new Date());
  const statement = `COPY "${schema}".events (position, event_id, stream_id, stream_revision, type, learner_id, occurred_at, recorded_at, data, hash, chain, leaf_version, commitment, salt) FROM STDIN`;
  let ledger = 0;
  let copy = 0;
  try {
    for (let at = 0; at < events.length; at += BATCH) {
      const t = process.hrtime.bigint();
      await ingestor.ingest(events.slice(at, at + BATCH));
      ledger += seconds(t);
      let text = '';
      for await (const page of store.readPages(at + 1, { pageSize: BATCH, toPosition: at + BATCH })) for (const record of page) text += copyRow(record);
      const c = process.hrtime.bigint();
      await client.query('BEGIN');
      await copyFrom(client, statement, text);
      await client.query('COMMIT');
      copy += seconds(c);
    }
    return { ledger, copy };
  } finally {
    await client.end();
    await dropSchema(schema);
  }
}

/** The baseline of reading: every row in position order through a server-side cursor, 10,000 per FETCH, JSON.parse of each payload. */
async function bareCursorRead(schema: string): Promise<{ seconds: number; rows: number }> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const t = process.hrtime.bigint();
    let rows = 0;
    await client.query('BEGIN');
    await client.query(`DECLARE bare NO SCROLL CURSOR FOR SELECT position, data FROM "${schema}".events ORDER BY position`);
    for (;;) {
      const page = await client.query<{ position: string; data: string }>('FETCH 10000 FROM bare');
      for (const row of page.rows) JSON.parse(row.data);
      rows += page.rows.length;
      if (page.rows.length < 10_000) break;
    }
    await client.query('COMMIT');
    return { seconds: seconds(t), rows };
  } finally {
    await client.end();
  }
}


export async function benchPgScale(dir: string): Promise<void> {
  const events: LedgerEvent[] = [...syntheticEvents(EVENTS, 45)];
  const schema = benchSchema('scale');
  const store = await PostgresEventStore.open(POSTGRES_URL, { schema });
  try {
    console.log(`\n## PostgreSQL at scale: ${EVENTS.toLocaleString('en')} events (2 shared cores, other engineers' jobs beside)`);
    // Load, as load-history loads each batch of a recorded history, beside a bare COPY.
    const { ledger: load, copy } = await loadBesideCopy(store, events);
    if ((await store.head()).position !== EVENTS) throw new Error(`loaded ${(await store.head()).position} of ${EVENTS} events`);
    console.log(`- bare COPY of the same rows (prebuilt text, same table and indexes, ${BATCH.toLocaleString('en')} per transaction, interleaved batch by batch with the ledger's): ${rate(EVENTS, copy)}`);
    console.log(`- ledger load, ${BATCH.toLocaleString('en')}-event batches (validate, check, hash, one append each, COPY inside): ${rate(EVENTS, load)}`);
    console.log(`- ratio ledger load / bare COPY: ${(copy / load).toFixed(2)}  (target >= 0.5)`);

    // Reading: the bare read, rebuild, verify, interleaved.
    const states = new SqliteProjectionStateStore(join(dir, `pg-read-models-${schema}.db`));
    const bare1 = await bareCursorRead(schema);
    if (bare1.rows !== EVENTS) throw new Error(`read ${bare1.rows} rows`);
    const r1 = process.hrtime.bigint();
    await rebuildAll(store, states, PROJECTIONS);
    const rebuild = seconds(r1);
    const v1 = process.hrtime.bigint();
    const verified = await verifyLog(store);
    const verify = seconds(v1);
    if (!verified.ok || verified.checked !== EVENTS) throw new Error(`verify: ${JSON.stringify(verified.fault)} after ${verified.checked}`);
    const v2 = process.hrtime.bigint();
    await verifyLog(store, { parallel: false });
    const verifyOneThread = seconds(v2);
    // The store's own read, without a projection or a hash: what the adapter costs of the above.
    const storeRead = async (withoutHashes: boolean): Promise<number> => {
      const t = process.hrtime.bigint();
      let rows = 0;
      for await (const page of store.readPages(1, { pageSize: 5000, withoutHashes })) {
        for (const record of page) JSON.parse(record.data);
        rows += page.length;
      }
      if (rows !== EVENTS) throw new Error(`read ${rows} rows`);
      return seconds(t);
    };
    const full = await storeRead(false);
    const lean = await storeRead(true);
    const bare2 = await bareCursorRead(schema);
    const bare = Math.min(bare1.seconds, bare2.seconds);
    console.log(`- bare cursor read (10,000 rows per FETCH, position + data, JSON.parse): ${rate(EVENTS, bare1.seconds)} / ${rate(EVENTS, bare2.seconds)}`);
    console.log(`- the store's read alone (readPages, 5,000 a page, + JSON.parse): full rows as verify reads them ${rate(EVENTS, full)} (ratio ${(bare / full).toFixed(2)}), lean rows as rebuild reads them ${rate(EVENTS, lean)} (ratio ${(bare / lean).toFixed(2)})`);
    console.log(`- rebuild of every projection: ${rate(EVENTS, rebuild)}; ratio / bare read (best): ${(bare / rebuild).toFixed(2)}  (target >= 0.4)`);
    console.log(`- verify (every leaf, the chain, the Merkle root), by ranges on worker threads: ${rate(EVENTS, verify)}; ratio / bare read (best): ${(bare / verify).toFixed(2)}  (target >= 0.5)`);
    console.log(`- verify on one thread: ${rate(EVENTS, verifyOneThread)}; ratio / bare read (best): ${(bare / verifyOneThread).toFixed(2)}`);

    // The report, from kept read models.
    await catchUpAll(store, states, PROJECTIONS);
    const middle = (await store.readPages(Math.ceil(EVENTS / 2), { pageSize: 1, toPosition: Math.ceil(EVENTS / 2) })[Symbol.asyncIterator]().next()).value as readonly LogRecord[] | undefined;
    const past = middle?.[0]?.recordedAt ?? new Date().toISOString();
    const period = { from: '2020-01-01', to: '2020-12-31' };
    const now = new Date().toISOString();
    console.log(`- report (every figure of 2020) as known now: ${await timedRuns(5, () => computeReport(store, states, FIGURE_SOURCES, { period, now }))}  (target <= 1 s)`);
    console.log(`- report as known at ${past} (the middle of the log): ${await timedRuns(5, () => computeReport(store, states, FIGURE_SOURCES, { period, now, knownAt: past }))}  (target <= 1 s)`);
    await states.close();
  } finally {
    await store.close();
    await dropSchema(schema);
  }
}
