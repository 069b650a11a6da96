/**
 * `npm run bench`: prints figures, asserts nothing. Every figure is quoted against a
 * baseline measured in the same run, because this machine is shared and noisy.
 *
 *   BENCH_EVENTS=350000 (import size)   BENCH_HTTP_REQUESTS=20000   BENCH_HTTP_CLIENTS=32
 *   BENCH_ONLY=import|rebuild|report|http|read|verify|main-job|explain (one part; read-benchmarks.ts, main-job.ts, explain-figures.ts say theirs);
 *   pg-ingest|pg-scale|pg|growth (PostgreSQL and Emmett; growth over scales: run only when asked for by name)
 *   BENCH_LEDGER_DB=<sqlite file> BENCH_READ_MODELS_DB=<file>: the report part on that
 *   ledger (the full demo data set: `ledger demo`), instead of a synthetic one;
 *   BENCH_KNOWN_AT=2021-03-15T00:00:00Z: a moment to ask about besides now and the middle
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApiKey } from '@ledger/auth';
import { SqliteApiKeyStore } from '@ledger/auth';
import { EventIngestor } from '@ledger/ingest';
import { computeReport } from '@ledger/projection-runtime';
import { catchUpAll, rebuildAll } from '@ledger/projection-runtime';
import { SqliteProjectionStateStore } from '@ledger/projection-runtime';
import { FIGURE_SOURCES, PROJECTIONS } from '@ledger/projections';
import { importNdjsonFile } from '@ledger/ingest';
import { SqliteEventStore } from '@ledger/store/sqlite';
import type { LogRecord } from '@ledger/store';
import { seconds, startApiProcess, timedRuns } from './bench-support';
import { syntheticEvents, toNdjson } from './synthetic-events';
import { benchPgIngest } from './pg-ingest';
import { benchPgScale } from './pg-scale';
import { benchRead, benchRebuildCommand, benchVerify } from './read-benchmarks';
import { benchMainJob } from './main-job';
import { benchGrowth } from './growth';
import { benchExplainFigures } from './explain-figures';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 350_000);
const HTTP_REQUESTS = Number(process.env.BENCH_HTTP_REQUESTS ?? 20_000);
const HTTP_CLIENTS = Number(process.env.BENCH_HTTP_CLIENTS ?? 32);

const rate = (n: number, s: number): string => `${Math.round(n / s).toLocaleString('en')} ev/s`;

async function benchImport(dir: string): Promise<void> {
  const file = join(dir, 'import.ndjson');
  writeFileSync(file, toNdjson(syntheticEvents(EVENTS, 42)));

  // The ledger: read the file, parse, validate, check references, hash, append in one transaction.
  const ledger = async (name: string): Promise<{ seconds: number; records: LogRecord[] }> => {
    const store = new SqliteEventStore(join(dir, name));
    const ingestor = new EventIngestor(store, () => new Date());
    const t0 = process.hrtime.bigint();
    const summary = await importNdjsonFile(file, ingestor);
    const s = seconds(t0);
    if (summary.appended !== EVENTS) throw new Error(`imported ${summary.appended} of ${EVENTS} events`);
    const records: LogRecord[] = [];
    for await (const record of store.readAll()) records.push(record);
    await store.close();
    return { seconds: s, records };
  };

  // The baseline: the same rows, already built, inserted into the same schema in one
  // transaction (or, for the batched variant, 1000 rows per transaction, as MEASURED.md's).
  const bare = (name: string, records: readonly LogRecord[], perTransaction = records.length): number => {
    const db = new Database(join(dir, name));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('cache_size = -262144');
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
      stream_revision INTEGER NOT NULL, type TEXT NOT NULL, learner_id TEXT, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
      data TEXT NOT NULL, hash BLOB NOT NULL, chain BLOB NOT NULL, UNIQUE (stream_id, stream_revision))`);
    const insert = db.prepare(`INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?)`);
    const rows = records.map((r) => [r.position, r.eventId, r.streamId, r.streamRevision, r.type, r.learnerId, r.occurredAt,
      r.recordedAt, r.data, Buffer.from(r.hash, 'hex'), Buffer.from(r.chain, 'hex')] as const);
    const insertAll = db.transaction((slice: typeof rows) => {
      for (const row of slice) insert.run(...row);
    });
    const t = process.hrtime.bigint();
    for (let at = 0; at < rows.length; at += perTransaction) insertAll(rows.slice(at, at + perTransaction));
    const s = seconds(t);
    db.close();
    return s;
  };

  // Interleaved, twice each: the machine is shared, and a quiet moment should favour neither side.
  const first = await ledger('ledger-1.db');
  const bare1 = bare('bare-1.db', first.records);
  const second = await ledger('ledger-2.db');
  const bare2 = bare('bare-2.db', second.records);
  const ledgerBest = Math.min(first.seconds, second.seconds);
  const bareBest = Math.min(bare1, bare2);
  console.log(`\n## Bulk import into SQLite (${EVENTS.toLocaleString('en')} events, one file, one transaction)`);
  console.log(`- bare SQLite append of the same rows (same schema, prebuilt rows): ${rate(EVENTS, bare1)} / ${rate(EVENTS, bare2)}`);
  console.log(`- ledger import (read, parse, validate, check, hash, append): ${rate(EVENTS, first.seconds)} / ${rate(EVENTS, second.seconds)}`);
  console.log(`- ratio ledger / bare, best against best: ${(bareBest / ledgerBest).toFixed(2)}; run by run: ` +
    `${(bare1 / first.seconds).toFixed(2)}, ${(bare2 / second.seconds).toFixed(2)}  (target >= 0.5)`);
  const batched = bare('bare-batched.db', second.records, 1000);
  console.log(`- for scale: the same rows 1000 per transaction: ${rate(EVENTS, batched)}; ratio ledger (best) / that: ` +
    `${(batched / ledgerBest).toFixed(2)}`);
}

/** The baseline of reading: every row of the log in position order, with JSON.parse of its payload, and nothing else. */
function bareOrderedRead(file: string): { seconds: number; rows: number } {
  const db = new Database(file, { readonly: true });
  const t = process.hrtime.bigint();
  let rows = 0;
  for (const row of db.prepare('SELECT position, data FROM events ORDER BY position').iterate() as Iterable<{ data: string }>) {
    JSON.parse(row.data);
    rows += 1;
  }
  const s = seconds(t);
  db.close();
  return { seconds: s, rows };
}

async function benchRebuild(dir: string): Promise<void> {
  const file = join(dir, 'rebuild.db');
  const store = new SqliteEventStore(file);
  const ingestor = new EventIngestor(store, () => new Date());
  const source = join(dir, 'rebuild.ndjson');
  writeFileSync(source, toNdjson(syntheticEvents(EVENTS, 43)));
  await importNdjsonFile(source, ingestor);

  // The baseline: a bare ordered read of the same rows with JSON.parse of each payload.
  const bareRead = (): number => {
    const { seconds: s, rows } = bareOrderedRead(file);
    if (rows !== EVENTS) throw new Error(`read ${rows} rows`);
    return s;
  };
  const states = new SqliteProjectionStateStore(join(dir, 'read-models.db'));
  const timedRebuild = async (): Promise<number> => {
    const t = process.hrtime.bigint();
    await rebuildAll(store, states, PROJECTIONS);
    return seconds(t);
  };
  const bare1 = bareRead();
  const ours1 = await timedRebuild();
  const bare2 = bareRead();
  const ours2 = await timedRebuild();
  const rss = process.memoryUsage().rss;
  await states.close();
  await store.close();
  console.log(`\n## Rebuild of every projection (${PROJECTIONS.map((p) => p.name).join(', ')}) over ${EVENTS.toLocaleString('en')} events`);
  console.log(`- bare ordered read + JSON.parse of the same rows: ${rate(EVENTS, bare1)} / ${rate(EVENTS, bare2)}`);
  console.log(`- ledger rebuild, all projections in one pass (the store reads only the types they handle): ${rate(EVENTS, ours1)} / ${rate(EVENTS, ours2)}`);
  console.log(`- ratio ledger / bare, best against best: ${(Math.min(bare1, bare2) / Math.min(ours1, ours2)).toFixed(2)}  (target >= 0.4); RSS after: ${Math.round(rss / 2 ** 20)} MiB`);
  await benchRebuildCommand(bareOrderedRead, { file, readModels: join(dir, 'read-models.db'), dir }, EVENTS, ['--from', '2020-01-01', '--to', '2020-12-31']);
}

interface HttpResult {
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
}

async function postEvents(port: number, bodies: string[], clients: number, key: string): Promise<HttpResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/events', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const t = process.hrtime.bigint();
        const status = await post(bodies[i] as string);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (status !== 201) failed += 1;
      }
    }),
  );
  const s = seconds(t0);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { ok: bodies.length - failed, failed, seconds: s, p50: pct(50), p99: pct(99) };
}


async function benchHttp(dir: string): Promise<void> {
  const bodies = [...syntheticEvents(HTTP_REQUESTS, 7)].map((e) => JSON.stringify(e));
  // Baseline: one event per transaction on the same kind of file, fsync on: one flush per event.
  const store = new SqliteEventStore(join(dir, 'single.db'));
  const singles = [...syntheticEvents(Math.min(HTTP_REQUESTS, 5000), 8)];
  const t0 = process.hrtime.bigint();
  for (const event of singles) await store.append({ events: [event] });
  const singleSeconds = seconds(t0);
  await store.close();

  // The API's keys: an ingest key to post with, an auditor's to read the metrics.
  const keyStore = new SqliteApiKeyStore(join(dir, 'api-keys.db'));
  const ingestKey = (await createApiKey(keyStore, { name: 'bench', role: 'ingest' }, new Date())).key;
  const auditorKey = (await createApiKey(keyStore, { name: 'bench', role: 'auditor' }, new Date())).key;
  await keyStore.close();
  const port = 39_000 + Math.floor(Math.random() * 1000);
  // The API opens a ledger, never creates one: made here, empty, as `ledger import` would.
  const ledgerFile = join(dir, 'api.db');
  await new SqliteEventStore(ledgerFile).close();
  const stop = await startApiProcess(dir, `sqlite:${ledgerFile}`, port);
  try {
    const warm = await postEvents(port, bodies.slice(0, 500), HTTP_CLIENTS, ingestKey);
    const result = await postEvents(port, bodies.slice(500), HTTP_CLIENTS, ingestKey);
    console.log(`\n## HTTP ingest: ${HTTP_CLIENTS} concurrent clients posting single events (SQLite, synchronous=FULL)`);
    console.log(`- baseline, one event per transaction, in process: ${rate(singles.length, singleSeconds)}`);
    console.log(`- POST /events: ${rate(result.ok, result.seconds)}, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ` +
      `${result.failed + warm.failed} non-201 answers, ${result.ok} events in ${result.seconds.toFixed(1)} s`);
    console.log(`- ratio HTTP (validate + check + group commit, over loopback) / in-process single-event transactions: ` +
      `${(result.ok / result.seconds / (singles.length / singleSeconds)).toFixed(2)}`);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${auditorKey}` } })).text();
    const counter = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1] ?? NaN);
    const commits = counter('ledger_group_commits_total');
    const requests = counter('ledger_group_commit_requests_total');
    console.log(`- group commit: ${requests} requests in ${commits} durable commits (${(requests / commits).toFixed(1)} requests per disk flush)`);
  } finally {
    await stop();
  }
}


/**
 * A report for a year (every figure of KPIS.md), as known now and as known at a past
 * moment, from the kept read models: each run loads the stored states, as a fresh
 * `ledger report` does, and answers. The baseline, in the same run, is a bare read of the
 * whole log.
 */
/** The years the log's events occurred in, first to last (what GET /years gives the dashboard, as known now). */
function yearsOf(file: string): number[] {
  const db = new Database(file, { readonly: true });
  const range = db.prepare<[], { first: string | null; last: string | null }>('SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM events').get();
  db.close();
  const first = Number((range?.first ?? '2020').slice(0, 4));
  const last = Number((range?.last ?? '2020').slice(0, 4));
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

async function benchReport(dir: string): Promise<void> {
  const given = process.env.BENCH_LEDGER_DB;
  const file = given ?? join(dir, 'report.db');
  const store = new SqliteEventStore(file);
  if (!given) {
    const source = join(dir, 'report.ndjson');
    writeFileSync(source, toNdjson(syntheticEvents(EVENTS, 44)));
    await importNdjsonFile(source, new EventIngestor(store, () => new Date()));
  }
  const states = new SqliteProjectionStateStore(process.env.BENCH_READ_MODELS_DB ?? join(dir, 'report-read-models.db'));
  const head = await store.head();
  const t0 = process.hrtime.bigint();
  await catchUpAll(store, states, PROJECTIONS);
  const caughtUp = seconds(t0);
  const rss = process.memoryUsage().rss;
  const { seconds: bare, rows } = bareOrderedRead(file);
  const db = new Database(file, { readonly: true });
  const middle = db
    .prepare<[number], { recorded_at: string; occurred_at: string }>('SELECT recorded_at, occurred_at FROM events WHERE position = ?')
    .get(Math.ceil(head.position / 2));
  db.close();
  const year = given ? '2020' : (middle?.occurred_at ?? '2020').slice(0, 4);
  const period = { from: `${year}-01-01`, to: `${year}-12-31` };
  const now = new Date().toISOString();
  const report = (knownAt?: string) => computeReport(store, states, FIGURE_SOURCES, { period, now, ...(knownAt ? { knownAt } : {}) });
  const past = middle?.recorded_at ?? now;
  const figures = Object.keys((await report()).figures).length;
  console.log(`\n## Report: every figure (${figures}) for ${period.from} to ${period.to} over ${head.position.toLocaleString('en')} events${given ? ` (${given})` : ''}`);
  console.log(`- baseline, bare ordered read + JSON.parse of the whole log: ${(bare * 1000).toFixed(0)} ms (${rate(rows, bare)})`);
  console.log(`- read models caught up (built, or loaded when already current) in ${caughtUp.toFixed(1)} s; RSS after: ${Math.round(rss / 2 ** 20)} MiB`);
  console.log(`- as known now: ${await timedRuns(5, () => report())}`);
  console.log(`- as known at ${past} (the middle of the log): ${await timedRuns(5, () => report(past))}`);
  const asked = process.env.BENCH_KNOWN_AT;
  if (asked) console.log(`- as known at ${asked}: ${await timedRuns(5, () => report(asked))}`);
  // The dashboard's "Year by year": one whole report per year the log holds, as known at one moment.
  const years = yearsOf(file);
  const knownAt = asked ?? now;
  const yearByYear = () => years.reduce<Promise<unknown>>((previous, y) => previous.then(() => computeReport(store, states, FIGURE_SOURCES, { period: { from: `${y}-01-01`, to: `${y}-12-31` }, now, knownAt })), Promise.resolve());
  console.log(`- the dashboard's "Year by year", ${years.length} whole reports (${years.join(', ')}) as known at ${knownAt}: ${await timedRuns(3, yearByYear)}`);
  console.log(`- RSS after the reports: ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB (peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB, the catch-up included)`);
  await states.close();
  await store.close();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  console.log(`# npm run bench (${new Date().toISOString()}, node ${process.version})`);
  try {
    const only = process.env.BENCH_ONLY;
    if (!only || only === 'import') await benchImport(dir);
    if (!only || only === 'rebuild') await benchRebuild(dir);
    if (!only || only === 'report') await benchReport(dir);
    if (!only || only === 'http') await benchHttp(dir);
    if (only === 'pg-ingest' || only === 'pg') await benchPgIngest(dir); // PostgreSQL and Emmett: asked for by name
    if (only === 'pg-scale' || only === 'pg') await benchPgScale(dir);
    if (!only || only === 'read') await benchRead(dir, bareOrderedRead, EVENTS);
    if (only === 'verify') await benchVerify(dir, bareOrderedRead, EVENTS); // a part of read's: only when asked
    if (!only || only === 'main-job') await benchMainJob(dir);
    if (only === 'growth') await benchGrowth(dir); // long (BENCH_GROWTH_SCALES): only when asked
    if (only === 'explain') await benchExplainFigures(dir); // every figure, after a demo load: only when asked
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
