import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../apps/api/src/create-app';
import type { ApiKeyStore } from '@ledger/auth';
import { API_KEY_STORE } from '@ledger/auth';
import { createApiKey } from '@ledger/auth';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { ManualClock } from '../contract/event-store.contract';
import { bearer } from '../support/api-under-test';
import { learnerActive } from '../support/event-builders';
import { CLI } from '../support/run-cli';

const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);

/**
 * What the ledger keeps is readable by its owner only, whatever the umask of the process
 * that created it: the ledger and its -wal/-shm, the read models, the API keys, the request log.
 */
describe.each(['022', '000'])('files created 0600 under umask %s', (umask) => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `ledger-modes-${umask}-`));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('by the API', async () => {
    const files = {
      ledger: join(dir, 'ledger.db'),
      readModelsDb: join(dir, 'read-models.db'),
      apiKeysDb: join(dir, 'api-keys.db'),
      requestLog: join(dir, 'api-requests.log'),
    };
    const saved = process.umask(parseInt(umask, 8));
    const clock = new ManualClock();
    // The API serves a ledger that exists: made here under the same umask, as `ledger import` would make it.
    await new SqliteEventStore(files.ledger).close();
    const app = await createApp({ ledgerDb: `sqlite:${files.ledger}`, clock: clock.now, ...files }).finally(() => process.umask(saved));
    try {
      // The files are opened when the application is built: later writes come from open files.
      await app.init();
      const key = (await createApiKey(app.get<ApiKeyStore>(API_KEY_STORE), { name: 'ingest', role: 'ingest' }, clock.now())).key;
      const reader = (await createApiKey(app.get<ApiKeyStore>(API_KEY_STORE), { name: 'committee', role: 'committee' }, clock.now())).key;
      await request(app.getHttpServer()).post('/events').set(bearer(key)).send(learnerActive(1)).expect(201);
      await request(app.getHttpServer()).get('/reports').query({ from: '2020-01-01', to: '2020-12-31' }).set(bearer(reader)).expect(200);
      const made = [files.ledger, `${files.ledger}-wal`, `${files.ledger}-shm`, files.readModelsDb, `${files.readModelsDb}-wal`, files.apiKeysDb, `${files.apiKeysDb}-wal`, files.requestLog];
      expect(made.filter((file) => !existsSync(file))).toEqual([]);
      expect(Object.fromEntries(made.map((file) => [file, modeOf(file)]))).toEqual(Object.fromEntries(made.map((file) => [file, '600'])));
    } finally {
      await app.close();
    }
  });

  it('by the CLI (import, keys create, report)', () => {
    const ledger = join(dir, 'cli', 'ledger.db');
    const env = { ...process.env, LEDGER_DB: `sqlite:${ledger}`, READ_MODELS_DB: join(dir, 'cli', 'read-models.db'), API_KEYS_DB: join(dir, 'cli', 'api-keys.db') };
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, `${JSON.stringify(learnerActive(1))}\n`);
    const run = (...args: string[]) => {
      // The shell sets the umask, then becomes the CLI.
      const result = spawnSync('sh', ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, CLI, ...args], { env, encoding: 'utf8' });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    };
    run('import', file);
    run('keys', 'create', '--role', 'auditor', '--name', 'modes');
    run('report', '--from', '2020-01-01', '--to', '2020-12-31');
    for (const made of [ledger, env.READ_MODELS_DB, env.API_KEYS_DB]) expect([made, modeOf(made)]).toEqual([made, '600']);
  });
});
