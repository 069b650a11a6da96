/**
 * HTTP ingest, durable, N concurrent clients posting single events, on SQLite and on
 * PostgreSQL, with the same-run baselines: one event per transaction in process on the same
 * store (one durable commit per event), and Emmett 0.42 (`@event-driven-io/emmett-postgresql`,
 * installed in bench/peers) appending the same events in process with the same number of
 * concurrent writers. `BENCH_ONLY=pg-ingest npm run bench`.
 *
 *   BENCH_HTTP_REQUESTS=20000   BENCH_HTTP_CLIENTS=32 (or a list: 8,32)
 *   BENCH_BASELINE_API=<another build's dist/apps/api/src/main.js>: that API measured too, in the same run
 *   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test (schemas perfpg_bench_*, dropped after)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Client } from 'pg';
import { createApiKey, SqliteApiKeyStore } from '@ledger/auth';
import type { LedgerEvent } from '@ledger/events';
import { PostgresEventStore } from '@ledger/store/postgres';
import { SqliteEventStore } from '@ledger/store/sqlite';
import type { EventStore } from '@ledger/store';
import { EventIngestor, GroupCommitter } from '@ledger/ingest';
import { processCpuSeconds, seconds, startApiProcess } from './bench-support';
import type { StartedProcess } from './bench-support';
import { syntheticEvents } from './synthetic-events';

export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HTTP_REQUESTS = Number(process.env.BENCH_HTTP_REQUESTS ?? 20_000);
/** BENCH_HTTP_CLIENTS: one number, or several separated by commas (`8,32`): each is a run of its own. */
const HTTP_CLIENT_COUNTS = (process.env.BENCH_HTTP_CLIENTS ?? '32').split(',').map(Number);
const ROOT = join(__dirname, '..', '..');

export const perSecond = (n: number, s: number): number => Math.round(n / s);
export const rate = (n: number, s: number): string => `${perSecond(n, s).toLocaleString('en')} ev/s`;

/** A schema of this benchmark's own, so that parallel runs of other tests never collide. */
export function benchSchema(what: string): string {
  return `perfpg_bench_${what}_${process.pid}_${Date.now().toString(36)}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

interface Latencies {
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
}

function summary(latencies: number[], failed: number, s: number): Latencies {
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { ok: latencies.length - failed, failed, seconds: s, p50: pct(50), p99: pct(99) };
}

/** `clients` workers taking the next item until none is left; the latency of each. */
async function concurrently<T>(items: readonly T[], clients: number, run: (item: T) => Promise<boolean>): Promise<Latencies> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < items.length; i = next++) {
        const t = process.hrtime.bigint();
        const ok = await run(items[i] as T);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (!ok) failed += 1;
      }
    }),
  );
  return summary(latencies, failed, seconds(t0));
}

async function postEvents(port: number, bodies: readonly string[], clients: number, key: string): Promise<Latencies> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  // A kept-alive socket the server closes (idle past its keep-alive timeout: on a machine this
  // loaded a client can be that slow) as a request is sent on it: sent again on a new socket, once.
  const post = (body: string, retried = false): Promise<boolean> =>
    new Promise<boolean>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/events', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 201));
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (!retried && req.reusedSocket && error.code === 'ECONNRESET') resolve(post(body, true));
        else reject(error);
      });
      req.end(body);
    });
  try {
    return await concurrently(bodies, clients, (body) => post(body));
  } finally {
    agent.destroy();
  }
}


/** One event per durable transaction, in process, one writer: one commit (one flush) per event. */
async function singleEventCommits(store: EventStore, events: readonly LedgerEvent[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (const event of events) await store.append({ events: [event] });
  return perSecond(events.length, seconds(t0));
}

interface EmmettStore {
  appendToStream(streamName: string, events: Array<{ type: string; data: unknown }>): Promise<unknown>;
  close(): Promise<void>;
}
interface EmmettModule {
  getPostgreSQLEventStore(connectionString: string): EmmettStore;
}

/** Emmett's PostgreSQL store from bench/peers, or undefined (with a notice) when it is not installed. */
export function loadEmmett(): EmmettModule | undefined {
  const manifest = join(ROOT, 'bench', 'peers', 'package.json');
  try {
    const peerRequire = createRequire(manifest);
    const loaded: unknown = peerRequire('@event-driven-io/emmett-postgresql');
    if (typeof loaded === 'object' && loaded !== null && 'getPostgreSQLEventStore' in loaded) return loaded as EmmettModule;
    console.log('- notice: @event-driven-io/emmett-postgresql has no getPostgreSQLEventStore: Emmett skipped');
  } catch (error) {
    console.log(`- notice: Emmett is not installed (npm ci --prefix bench/peers): skipped (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
  return undefined;
}

/** A connection string whose sessions work in `schema` (Emmett keeps its tables in the search path). */
export function inSchema(schema: string): string {
  return `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

async function createSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}

/**
 * The ledger in process, no HTTP: `clients` concurrent single-event ingests (validation, the
 * checks, the group committer), as the API runs them: what Emmett in process compares with.
 */
async function ledgerInProcess(store: EventStore, events: readonly LedgerEvent[], clients: number): Promise<Latencies> {
  const committer = new GroupCommitter(store);
  const ingestor = new EventIngestor(store, () => new Date(), (request) => committer.submit(request));
  const ingest = async (event: LedgerEvent) => (await ingestor.ingest([event]))[0]?.status === 'appended';
  try {
    return await concurrently(events, clients, ingest);
  } finally {
    await committer.close();
  }
}

/** Emmett behind a bare node:http server in a process of its own (JSON.parse, appendToStream, 201): the like of our API. */
const EMMETT_SERVER = `
const { createRequire } = require('node:module');
const http = require('node:http');
const emmett = createRequire(process.env.PEERS_MANIFEST)('@event-driven-io/emmett-postgresql');
const store = emmett.getPostgreSQLEventStore(process.env.EMMETT_URL);
const append = async (event) => {
  for (let attempt = 1; ; attempt += 1) {
    try { return await store.appendToStream('learner-' + event.learnerId, [{ type: event.type, data: event }]); }
    catch (error) { if (attempt >= 5 || error.errorCode !== 412) throw error; }
  }
};
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    append(JSON.parse(body)).then(
      () => { res.writeHead(201, { 'content-type': 'application/json' }); res.end('{}'); },
      (error) => { res.writeHead(500); res.end(String(error)); },
    );
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('impact ledger API on (emmett peer)\\n'));
process.on('SIGTERM', () => server.close(() => store.close().then(() => process.exit(0))));
`;

async function startEmmettServer(schema: string, port: number): Promise<StartedProcess> {
  const child = spawn(process.execPath, ['-e', EMMETT_SERVER], {
    env: { ...process.env, PORT: String(port), EMMETT_URL: inSchema(schema), PEERS_MANIFEST: join(ROOT, 'bench', 'peers', 'package.json') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('impact ledger API on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the Emmett server exited with ${code}`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  return Object.assign(stop, { pid: child.pid ?? NaN });
}

async function emmettHttp(bodies: readonly string[], clients: number): Promise<Latencies & { readonly cpuMsPerEvent: number }> {
  const schema = benchSchema('emmetthttp');
  await createSchema(schema);
  const port = 41_000 + Math.floor(Math.random() * 1000);
  const stop = await startEmmettServer(schema, port);
  try {
    await postEvents(port, bodies.slice(0, 200), clients, 'none');
    const cpu = processCpuSeconds(stop.pid);
    const result = await postEvents(port, bodies.slice(200), clients, 'none');
    return { ...result, cpuMsPerEvent: ((processCpuSeconds(stop.pid) - cpu) * 1000) / result.ok };
  } finally {
    await stop();
    await dropSchema(schema);
  }
}

/** Emmett in process: `clients` concurrent writers, one appendToStream per event (a stream per learner). */
async function emmettIngest(emmett: EmmettModule, events: readonly LedgerEvent[], clients: number): Promise<Latencies> {
  const schema = benchSchema('emmett');
  await createSchema(schema);
  const store = emmett.getPostgreSQLEventStore(inSchema(schema));
  try {
    // Two first appends to one stream at once: Emmett refuses one (412); a client tries it again, as ours would.
    const append = async (event: LedgerEvent) => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await store.appendToStream(`learner-${'learnerId' in event ? event.learnerId : 'none'}`, [{ type: event.type, data: event }]);
          return true;
        } catch (error) {
          if (attempt >= 5 || !(error instanceof Error) || !('errorCode' in error) || error.errorCode !== 412) throw error;
        }
      }
    };
    await concurrently(events.slice(0, 200), clients, append); // its schema made, connections open
    return await concurrently(events.slice(200), clients, append);
  } finally {
    await store.close();
    await dropSchema(schema);
  }
}

const describe = (r: Latencies) =>
  `${rate(r.ok, r.seconds)}, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.failed} refused, ${r.ok.toLocaleString('en')} events in ${r.seconds.toFixed(1)} s`;

/** One HTTP run: the answers' latencies, and the group commit's requests per durable commit (from /metrics). */
interface HttpRun extends Latencies {
  readonly requestsPerCommit: number;
  /** The API process's CPU time (user + system) per event answered, in ms: what a request costs it, however loaded the machine. */
  readonly cpuMsPerEvent: number;
}

export async function benchPgIngest(dir: string): Promise<void> {
  const events = [...syntheticEvents(HTTP_REQUESTS, 7)];
  const bodies = events.map((e) => JSON.stringify(e));
  const keyStore = new SqliteApiKeyStore(join(dir, 'api-keys.db'));
  const ingestKey = (await createApiKey(keyStore, { name: 'bench', role: 'ingest' }, new Date())).key;
  const auditorKey = (await createApiKey(keyStore, { name: 'bench', role: 'auditor' }, new Date())).key;
  await keyStore.close();
  // One durable commit per event: slow (about 100 a second), so a quick run (BENCH_HTTP_REQUESTS) takes fewer.
  const singles = [...syntheticEvents(Math.min(2000, Math.ceil(HTTP_REQUESTS / 4)), 8)];
  const emmett = existsSync(join(ROOT, 'bench', 'peers', 'node_modules')) ? loadEmmett() : (console.log('- notice: bench/peers/node_modules is absent: Emmett skipped'), undefined);
  const baselineApi = process.env.BENCH_BASELINE_API;
  if (baselineApi !== undefined && !existsSync(baselineApi)) throw new Error(`BENCH_BASELINE_API=${baselineApi}: no such file (another build's dist/apps/api/src/main.js)`);

  const http = async (clients: number, ledgerDb: string, main?: string): Promise<HttpRun> => {
    const port = 40_000 + Math.floor(Math.random() * 1000);
    const stop = await startApiProcess(dir, ledgerDb, port, main);
    try {
      await postEvents(port, bodies.slice(0, 500), clients, ingestKey);
      const cpu = processCpuSeconds(stop.pid);
      const result = await postEvents(port, bodies.slice(500), clients, ingestKey);
      const cpuMsPerEvent = ((processCpuSeconds(stop.pid) - cpu) * 1000) / result.ok;
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${auditorKey}` } })).text();
      const counter = (metric: string) => Number(new RegExp(`^${metric} (\\d+)$`, 'm').exec(metrics)?.[1] ?? NaN);
      return { ...result, cpuMsPerEvent, requestsPerCommit: counter('ledger_group_commit_requests_total') / counter('ledger_group_commits_total') };
    } finally {
      await stop();
    }
  };
  const perCommit = (r: HttpRun) => `; ${r.requestsPerCommit.toFixed(1)} requests per durable commit; API process CPU ${r.cpuMsPerEvent.toFixed(2)} ms per event`;

  // The baselines that do not depend on the number of clients: one event per durable transaction, one writer.
  const sqliteSingle = new SqliteEventStore(join(dir, 'ingest-single.db'));
  const sqliteSingles = await singleEventCommits(sqliteSingle, singles);
  await sqliteSingle.close();
  const singleSchema = benchSchema('single');
  let pgSingles = NaN;
  try {
    const pgSingle = await PostgresEventStore.open(POSTGRES_URL, { schema: singleSchema });
    pgSingles = await singleEventCommits(pgSingle, singles);
    await pgSingle.close();
  } finally {
    await dropSchema(singleSchema);
  }

  for (const clients of HTTP_CLIENT_COUNTS) {
    console.log(`\n## HTTP ingest, ${clients} concurrent clients posting single events, durable (${events.length.toLocaleString('en')} events per store; 2 shared cores, other engineers' jobs beside)`);
    // SQLite: the ledger in process, then the API (and the baseline build's), each on a ledger of its own.
    const sqliteLocal = new SqliteEventStore(join(dir, `ingest-local-${clients}.db`));
    const sqliteInProcess = await ledgerInProcess(sqliteLocal, events, clients);
    await sqliteLocal.close();
    console.log(`- SQLite in process (no HTTP: validate, check, group commit): ${describe(sqliteInProcess)}`);
    const sqliteApi = async (name: string, main?: string) => {
      const file = join(dir, `ingest-api-${name}-${clients}.db`);
      await new SqliteEventStore(file).close();
      return http(clients, `sqlite:${file}`, main);
    };
    const sqlite = await sqliteApi('this');
    console.log(`- SQLite POST /events: ${describe(sqlite)}${perCommit(sqlite)}`);
    const sqliteBase = baselineApi ? await sqliteApi('baseline', baselineApi) : undefined;
    if (sqliteBase) console.log(`- SQLite POST /events, the baseline build (${baselineApi}): ${describe(sqliteBase)}${perCommit(sqliteBase)}`);

    // PostgreSQL: the same.
    const apiSchema = benchSchema('api');
    const baseSchema = benchSchema('apibase');
    const localSchema = benchSchema('local');
    let pg: HttpRun | undefined;
    let pgBase: HttpRun | undefined;
    let pgInProcess: Latencies | undefined;
    try {
      const pgLocal = await PostgresEventStore.open(POSTGRES_URL, { schema: localSchema });
      pgInProcess = await ledgerInProcess(pgLocal, events, clients);
      await pgLocal.close();
      console.log(`- PostgreSQL in process (no HTTP: validate, check, group commit): ${describe(pgInProcess)}`);
      await (await PostgresEventStore.open(POSTGRES_URL, { schema: apiSchema })).close();
      pg = await http(clients, `${POSTGRES_URL}?schema=${apiSchema}`);
      console.log(`- PostgreSQL POST /events: ${describe(pg)}${perCommit(pg)}`);
      if (baselineApi) {
        await (await PostgresEventStore.open(POSTGRES_URL, { schema: baseSchema })).close();
        pgBase = await http(clients, `${POSTGRES_URL}?schema=${baseSchema}`, baselineApi);
        console.log(`- PostgreSQL POST /events, the baseline build: ${describe(pgBase)}${perCommit(pgBase)}`);
      }
    } finally {
      await dropSchema(apiSchema);
      await dropSchema(baseSchema);
      await dropSchema(localSchema);
    }
    const peer = emmett ? await emmettIngest(emmett, events, clients) : undefined;
    const peerHttp = emmett ? await emmettHttp(bodies, clients) : undefined;

    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    const ours = (r: Latencies) => r.ok / r.seconds;
    console.log(`- baseline, one event per durable transaction in process, one writer: SQLite ${sqliteSingles.toLocaleString('en')} ev/s, PostgreSQL ${pgSingles.toLocaleString('en')} ev/s`);
    if (peer) console.log(`- peer, Emmett 0.42 on PostgreSQL in process (no HTTP), ${clients} concurrent appendToStream of one event: ${describe(peer)}`);
    if (peerHttp) console.log(`- peer, Emmett 0.42 on PostgreSQL behind a bare node:http server (JSON.parse, appendToStream; no validation, no auth, no log): ${describe(peerHttp)}; server process CPU ${peerHttp.cpuMsPerEvent.toFixed(2)} ms per event`);
    console.log(`- ratio HTTP / single-event commits: SQLite ${ratio(ours(sqlite), sqliteSingles)}, PostgreSQL ${pg ? ratio(ours(pg), pgSingles) : '-'}  (target: >= 5,000 ev/s each)`);
    console.log(`- ratio API / the ledger in process (what HTTP and the API's pipeline leave of the ledger's rate): SQLite ${ratio(ours(sqlite), ours(sqliteInProcess))}, PostgreSQL ${pg && pgInProcess ? ratio(ours(pg), ours(pgInProcess)) : '-'}`);
    if (sqliteBase || pgBase) console.log(`- ratio API / the baseline build's API: SQLite ${sqliteBase ? ratio(ours(sqlite), ours(sqliteBase)) : '-'}, PostgreSQL ${pg && pgBase ? ratio(ours(pg), ours(pgBase)) : '-'}`);
    if (peer && pgInProcess) console.log(`- ratio ledger in process / Emmett in process: SQLite ${ratio(ours(sqliteInProcess), ours(peer))}, PostgreSQL ${ratio(ours(pgInProcess), ours(peer))}  (target > 1)`);
    if (peerHttp) console.log(`- ratio ledger API / Emmett behind node:http: SQLite ${ratio(ours(sqlite), ours(peerHttp))}, PostgreSQL ${pg ? ratio(ours(pg), ours(peerHttp)) : '-'}  (target > 1)`);
    const cpuRatio = (a: HttpRun | undefined, b: { readonly cpuMsPerEvent: number } | undefined) => (a && b ? (a.cpuMsPerEvent / b.cpuMsPerEvent).toFixed(2) : '-');
    if (sqliteBase || pgBase) console.log(`- CPU per event, API / the baseline build's API: SQLite ${cpuRatio(sqlite, sqliteBase)}, PostgreSQL ${cpuRatio(pg, pgBase)}  (below 1: cheaper)`);
    if (peerHttp) console.log(`- CPU per event, API / Emmett's server: SQLite ${cpuRatio(sqlite, peerHttp)}, PostgreSQL ${cpuRatio(pg, peerHttp)}  (below 1: cheaper)`);
  }
}
