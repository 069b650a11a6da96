import type { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../../apps/api/src/create-app';
import { openEventStore } from '@ledger/store';
import type { ApiKeyStore } from '@ledger/auth';
import { API_KEY_STORE } from '@ledger/auth';
import { createApiKey } from '@ledger/auth';
import { SqliteApiKeyStore } from '@ledger/auth';
import { EventIngestor } from '@ledger/ingest';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import type { PostgresEventStore } from '@ledger/store/postgres';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { ManualClock } from '../contract/event-store.contract';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';
import { learnerActive } from '../support/event-builders';
import { describeWithPostgres, POSTGRES_URL, withPostgres } from '../support/postgres';

/** Runs `work` with LEDGER_WRITE_WAIT_MS set (the stores read it when they open), then puts it back. */
async function withWriteWait<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const saved = process.env.LEDGER_WRITE_WAIT_MS;
  process.env.LEDGER_WRITE_WAIT_MS = String(ms);
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env.LEDGER_WRITE_WAIT_MS;
    else process.env.LEDGER_WRITE_WAIT_MS = saved;
  }
}

const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => learnerActive(from + i, `L${(from + i) % 50}`));

function expectStoreFailure(res: request.Response, kind: string): void {
  expect(res.status).toBe(503);
  expect(res.body).toEqual({
    statusCode: 503,
    error: 'Service Unavailable',
    kind,
    message: expect.stringContaining('nothing of this request was stored'),
    retryAfter: expect.any(Number),
  });
  expect(res.headers['retry-after']).toBe(String(res.body.retryAfter));
}

describe('a SQLite ledger that cannot be written: 503 with the kind, /health degraded until a write succeeds', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  const post = (body: unknown) => http().post('/events').set(bearer(api.keys.ingest)).send(body as object);
  const connection = () => (api.store as SqliteEventStore).connection;

  afterEach(() => api?.close());

  it('the write lock held by another process: requests wait for it, and the API goes on answering meanwhile', async () => {
    api = await startApi();
    const other = new Database(join(api.files.dir, 'ledger.db'));
    other.exec('BEGIN IMMEDIATE'); // another writer (an import) holds the lock
    const waiting = post(learnerActive(1)).then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    const health = await http().get('/health').expect(200);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(health.body.head).toBe(0);
    other.exec('COMMIT');
    other.close();
    const res = await waiting;
    expect(res.status).toBe(201);
    expect(res.body.events[0].position).toBe(1);
  });

  it('the write lock held past LEDGER_WRITE_WAIT_MS: 503 busy with a Retry-After, then 201 once it is released', async () => {
    api = await withWriteWait(400, () => startApi());
    const other = new Database(join(api.files.dir, 'ledger.db'));
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    const refused = await post(learnerActive(1));
    expect(performance.now() - started).toBeGreaterThanOrEqual(380);
    expectStoreFailure(refused, 'busy');
    expect(refused.body.message).toContain('LEDGER_WRITE_WAIT_MS');
    const health = await http().get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'degraded', store: 'up', lastWriteError: { kind: 'busy', at: '2021-01-10T12:00:00.000Z' } });
    other.exec('ROLLBACK');
    other.close();
    await post(learnerActive(1)).expect(201);
    expect((await http().get('/health').expect(200)).body.lastWriteError).toBeUndefined();
  });

  it('the disk full (the ledger may grow no more): 503 disk-full, nothing stored, /health degraded until a write goes through', async () => {
    api = await startApi();
    await post(learnerActive(1)).expect(201);
    const pages = (connection().pragma('page_count', { simple: true }) as number) + 1;
    connection().pragma(`max_page_count = ${pages}`);
    api.clock.set('2021-01-10T12:05:00Z');
    // Concurrent requests share a group commit: each one is refused, none half stored.
    const refused = await Promise.all([post(batch(100, 300)), post(batch(400, 300))]);
    for (const res of refused) expectStoreFailure(res, 'disk-full');
    expect(refused[0]?.headers['retry-after']).toBe('60');
    expect((await api.store.head()).position).toBe(1);
    const health = await http().get('/health').expect(200);
    expect(health.body).toMatchObject({
      status: 'degraded',
      store: 'up',
      lastWriteError: { kind: 'disk-full', message: expect.stringContaining('disk full'), at: '2021-01-10T12:05:00.000Z' },
    });
    expect(JSON.stringify(health.body)).not.toContain(api.files.dir); // no path for the anonymous caller
    connection().pragma('max_page_count = 1073741823');
    await post(batch(100, 300)).expect(201);
    const after = await http().get('/health').expect(200);
    expect(after.body.lastWriteError).toBeUndefined();
  });

  it('a group that runs out of space mid-way stores no unit it reports refused, and every unit it reports stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-full-'));
    const store = new SqliteEventStore(join(dir, 'ledger.db'));
    try {
      await store.append({ events: [learnerActive(1)] });
      store.connection.pragma(`max_page_count = ${(store.connection.pragma('page_count', { simple: true }) as number) + 2}`);
      const results = await store.appendGroup([{ events: batch(10, 2) }, { events: batch(100, 400) }, { events: batch(600, 2) }]).catch((e: Error) => e);
      const head = (await store.head()).position;
      const reported = Array.isArray(results) ? results.filter((r) => !(r instanceof Error)).flat().length : 0;
      expect(head).toBe(1 + reported);
      store.connection.pragma('max_page_count = 1073741823');
      await store.append({ events: batch(2000, 3) });
      expect((await store.head()).position).toBe(head + 3);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Whether this process may mount a file system (root, or CAP_SYS_ADMIN): a real full disk needs one. */
function canMount(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'ledger-mount-probe-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
    if (mounted) spawnSync('umount', [probe]);
    return mounted;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const mountable = canMount();
const describeIfMount = mountable ? describe : describe.skip;
if (!mountable) console.warn('the full-disk test on a real file system SKIPPED: this process may not mount a tmpfs (run as root)');

describeIfMount('a SQLite ledger on a file system that is really full (a small tmpfs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-tmpfs-'));
  const disk = join(dir, 'disk');
  let app: INestApplication;
  let ingestKey: string;

  beforeAll(async () => {
    mkdirSync(disk);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk]).status).toBe(0);
    const clock = new ManualClock();
    await new SqliteEventStore(join(disk, 'ledger.db')).close(); // the API serves a ledger that exists
    app = await createApp({
      ledgerDb: `sqlite:${join(disk, 'ledger.db')}`,
      clock: clock.now,
      readModelsDb: join(dir, 'read-models.db'),
      apiKeysDb: join(dir, 'api-keys.db'),
      requestLog: join(disk, 'api-requests.log'), // on the full disk too: its lines are lost, the API stays up
    });
    await app.init();
    ingestKey = (await createApiKey(app.get<ApiKeyStore>(API_KEY_STORE), { name: 'ingest', role: 'ingest' }, clock.now())).key;
  });
  afterAll(async () => {
    await app?.close();
    spawnSync('umount', [disk]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('503 disk-full while the disk is full, 201 once space is freed', async () => {
    const http = () => request(app.getHttpServer());
    const post = (body: unknown) => http().post('/events').set(bearer(ingestKey)).send(body as object);
    await post(learnerActive(1)).expect(201);
    // Fill what is left of the disk.
    const filler = join(disk, 'filler');
    const fd = openSync(filler, 'w');
    const chunk = Buffer.alloc(16 * 1024, 1);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    expectStoreFailure(await post(batch(100, 200)), 'disk-full');
    expect((await http().get('/health').expect(200)).body).toMatchObject({ status: 'degraded', lastWriteError: { kind: 'disk-full' } });
    expect((await app.get<EventStore>(EVENT_STORE).head()).position).toBe(1);
    unlinkSync(filler);
    await post(batch(100, 200)).expect(201);
    expect((await http().get('/health').expect(200)).body.lastWriteError).toBeUndefined();
  });
});

describe('a SQLite ledger file the API may not write (mode 0444, the API not root)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-readonly-'));
  const root = process.getuid?.() === 0;
  // As root, file modes do not stop a process: the API runs as nobody, as a service would.
  const user = root ? { uid: 65534, gid: 65534 } : {};
  const ledger = join(dir, 'ledger', 'ledger.db');
  const data = join(dir, 'data');
  let child: ReturnType<typeof spawn> | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads go on; writes are 503 read-only, and /health says so', async () => {
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'ledger'), { mode: 0o777 });
    chmodSync(join(dir, 'ledger'), 0o777); // the folder stays writable: only the file is read-only
    mkdirSync(data);
    const store = new SqliteEventStore(ledger);
    await new EventIngestor(store, () => new Date()).ingest([learnerActive(1)]);
    await store.close();
    chmodSync(ledger, 0o444);
    const keys = new SqliteApiKeyStore(join(data, 'api-keys.db'));
    const key = (await createApiKey(keys, { name: 'ingest', role: 'ingest' }, new Date())).key;
    await keys.close();
    if (root) for (const file of [data, join(data, 'api-keys.db')]) chownSync(file, 65534, 65534);

    const port = await freePort();
    child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js')], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LEDGER_DB: `sqlite:${ledger}`,
        READ_MODELS_DB: join(data, 'read-models.db'),
        API_KEYS_DB: join(data, 'api-keys.db'),
        API_AUDIT_LOG: join(data, 'api-requests.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...user,
    });
    await listening(child);
    const base = `http://127.0.0.1:${port}`;

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ store: 'up', head: 1 });

    const refused = await fetch(`${base}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(learnerActive(2)),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(await refused.json()).toMatchObject({ statusCode: 503, kind: 'read-only', message: expect.stringContaining('read-only') });
    const after = (await (await fetch(`${base}/health`)).json()) as { status: string; lastWriteError?: { kind: string } };
    expect(after).toMatchObject({ status: 'degraded', store: 'up', head: 1, lastWriteError: { kind: 'read-only' } });
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Resolves once the API says it listens; rejects with what it said if it exits first. */
async function listening(child: ReturnType<typeof spawn>): Promise<void> {
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start in 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('impact ledger API on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited (${code}) before listening:\n${output}`));
    });
  });
}

const describeIfPostgres = describeWithPostgres('PostgreSQL store-failure tests');

describeIfPostgres('a PostgreSQL ledger that cannot be written (a database of the test\'s own)', () => {
  const database = `ledger_http_${randomBytes(6).toString('hex')}`;
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  const dir = mkdtempSync(join(tmpdir(), 'ledger-pg-failures-'));
  const clock = new ManualClock();
  let app: INestApplication;
  let key: string;
  let next = 1;
  const http = () => request(app.getHttpServer());
  const post = () => http().post('/events').set(bearer(key)).send(learnerActive((next += 1)));
  const pool = () => app.get<PostgresEventStore>(EVENT_STORE).pool;

  /** Ends the API's connections to the database, and waits until its pool has let them go. */
  async function dropConnections(): Promise<void> {
    await withPostgres((admin) =>
      admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]),
    );
    for (let i = 0; i < 100 && pool().totalCount > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pool().totalCount).toBe(0);
  }

  beforeAll(async () => {
    await withPostgres((admin) => admin.query(`CREATE DATABASE "${database}"`));
    await (await openEventStore(url.toString(), { create: true })).close(); // the API serves a ledger that exists
    app = await withWriteWait(400, () =>
      createApp({
        ledgerDb: url.toString(),
        clock: clock.now,
        readModelsDb: join(dir, 'read-models.db'),
        apiKeysDb: join(dir, 'api-keys.db'),
        requestLog: join(dir, 'api-requests.log'),
      }),
    );
    await app.init();
    key = (await createApiKey(app.get<ApiKeyStore>(API_KEY_STORE), { name: 'ingest', role: 'ingest' }, clock.now())).key;
  });
  afterAll(async () => {
    await app?.close();
    await withPostgres((admin) => admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a read-only database: 503 read-only, /health degraded; writable again: 201, /health clear', async () => {
    await post().expect(201);
    await withPostgres((admin) => admin.query(`ALTER DATABASE "${database}" SET default_transaction_read_only = on`));
    await dropConnections();
    expectStoreFailure(await post(), 'read-only');
    expect((await http().get('/health').expect(200)).body).toMatchObject({ status: 'degraded', store: 'up', lastWriteError: { kind: 'read-only' } });
    await withPostgres((admin) => admin.query(`ALTER DATABASE "${database}" RESET default_transaction_read_only`));
    await dropConnections();
    await post().expect(201);
    expect((await http().get('/health').expect(200)).body.lastWriteError).toBeUndefined();
  });

  it('a database that accepts no connection: 503 unavailable; back: 201', async () => {
    await withPostgres((admin) => admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`));
    try {
      await dropConnections();
      expectStoreFailure(await post(), 'unavailable');
      const health = await http().get('/health').expect(503);
      expect(health.body).toMatchObject({ store: 'down', lastWriteError: { kind: 'unavailable', message: 'the store does not answer (LEDGER_UNAVAILABLE)' } });
    } finally {
      await withPostgres((admin) => admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`));
    }
    await post().expect(201);
  });

  it('the head lock held past LEDGER_WRITE_WAIT_MS by another writer: 503 busy; released: 201', async () => {
    const other = new Client({ connectionString: url.toString() });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT * FROM public.log_head FOR UPDATE');
      expectStoreFailure(await post(), 'busy');
      await other.query('ROLLBACK');
    } finally {
      await other.end();
    }
    await post().expect(201);
  });
});
