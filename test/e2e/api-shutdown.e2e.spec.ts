import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { learnerActive } from '../support/event-builders';
import type { CliExit } from '../support/run-cli';
import { exitOf, runCli, waitFor } from '../support/run-cli';

const API = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');

/** A POST /events whose body waits for the server's `100 Continue`: once it comes, the server has taken the request in. */
interface HeldPost {
  readonly eventIds: readonly string[];
  /** Resolves when the server has answered `100 Continue`. */
  readonly taken: Promise<void>;
  /** Sends the body. */
  send(): void;
  readonly answer: Promise<{ status: number } | { error: string }>;
}

function heldPost(port: number, key: string, batch: ReturnType<typeof learnerActive>[]): HeldPost {
  const body = JSON.stringify(batch);
  let req: ClientRequest | undefined;
  let taken = (): void => undefined;
  const takenPromise = new Promise<void>((resolve) => (taken = resolve));
  const answer = new Promise<{ status: number } | { error: string }>((resolve) => {
    req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/events',
        agent: false,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
      },
    );
    req.on('continue', () => taken());
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
  return { eventIds: batch.map((e) => e.eventId), taken: takenPromise, send: () => req?.end(body), answer };
}

/** Whether a new connection to the port is refused (the server stopped listening). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/**
 * The real compiled API as a child process on a SQLite ledger, stopped with SIGTERM while
 * concurrent batches are in flight: it stops accepting connections, answers the requests it
 * had taken in, commits their group commits, closes the store, and exits 0.
 */
describe('the API stops gracefully on SIGTERM (node dist/apps/api/src/main.js)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-api-shutdown-'));
  const db = join(dir, 'ledger.db');
  const env = {
    ...process.env,
    LEDGER_DB: `sqlite:${db}`,
    READ_MODELS_DB: join(dir, 'read-models.db'),
    API_KEYS_DB: join(dir, 'api-keys.db'),
    API_AUDIT_LOG: join(dir, 'api-requests.log'),
    HOST: '127.0.0.1',
    PORT: '0',
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers the requests in flight, stores each answered batch whole, closes the store, and exits 0', async () => {
    const keys = runCli(['keys', 'create', '--role', 'ingest', '--name', 'shutdown test'], env.LEDGER_DB, env);
    expect(keys.status).toBe(0);
    const key = keys.stdout.trim();

    await new SqliteEventStore(db).close(); // the API serves a ledger that exists, as `ledger import` makes one
    const api = spawn(process.execPath, [API], { env, stdio: 'pipe' });
    let ended = false;
    const exit: Promise<CliExit> = exitOf(api).finally(() => (ended = true));
    let stdout = '';
    api.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await waitFor('the API to listen', () => /on http:\/\/127\.0\.0\.1:\d+/.test(stdout), { stopped: () => ended });
    const port = Number(/on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);

    // 40 concurrent batches of 200 events, each on its own connection, all taken in by the server.
    const posts = Array.from({ length: 40 }, (_, r) =>
      heldPost(port, key, Array.from({ length: 200 }, (_, i) => learnerActive(1 + r * 200 + i, `L${r}-${i % 17}`))),
    );
    await Promise.all(posts.map((p) => p.taken));
    // Half of the bodies go before the signal (their group commits are under way when it comes), half after.
    for (const post of posts.slice(0, 20)) post.send();
    api.kill('SIGTERM');
    // Sent twice, as a supervisor or `npm start` (which forwards a signal it got too) may: still one graceful stop.
    setTimeout(() => api.kill('SIGTERM'), 20);
    await waitFor('the API to stop accepting connections', () => refused(port), { stopped: () => ended, timeoutMs: 30_000 });
    for (const post of posts.slice(20)) post.send();

    const answers = await Promise.all(posts.map((p) => p.answer));
    const stopped = await exit;
    expect(stopped.signal).toBeNull();
    expect(stopped.status).toBe(0);
    expect(stopped.stderr).toMatch(/SIGTERM: stopping/);
    expect(stopped.stderr).toMatch(/stopped: every answered event is stored, and the stores are closed/);

    // Every request taken in got its answer: 201, appended.
    expect(answers).toEqual(posts.map(() => ({ status: 201 })));
    // The store was closed: SQLite checkpointed its write-ahead log into the file and removed it.
    expect(existsSync(`${db}-wal`)).toBe(false);
    const ledger = new Database(db, { readonly: true, fileMustExist: true });
    try {
      expect(ledger.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set((ledger.prepare('SELECT event_id FROM events').all() as Array<{ event_id: string }>).map((r) => r.event_id));
      // Each batch whole (and every answered one is there).
      for (const post of posts) expect(post.eventIds.filter((id) => stored.has(id))).toHaveLength(post.eventIds.length);
      expect(stored.size).toBe(40 * 200);
    } finally {
      ledger.close();
    }
    expect(runCli(['verify'], env.LEDGER_DB).stdout).toMatch(/^verified 8000 events/);
  }, 180_000);
});
