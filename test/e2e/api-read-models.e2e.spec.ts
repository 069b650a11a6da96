import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../apps/api/src/create-app';
import type { ApiKeyStore } from '@ledger/auth';
import { API_KEY_STORE } from '@ledger/auth';
import { createApiKey } from '@ledger/auth';
import { SqliteEventStore } from '@ledger/store/sqlite';
import { ManualClock } from '../contract/event-store.contract';
import { admitted, courseStarted, learnerActive } from '../support/event-builders';

const YEAR = { from: '2020-01-01', to: '2020-12-31' };

/** One READ_MODELS_DB served by the API with one ledger, then another; then found damaged. */
describe('the API on read models of another ledger, or in a damaged file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-api-read-models-'));
  const readModelsDb = join(dir, 'read-models.db');
  const clock = new ManualClock(new Date('2021-06-01T00:00:00Z'));
  let app: INestApplication | undefined;
  let key = '';

  async function start(ledger: string): Promise<INestApplication> {
    await app?.close();
    app = await createApp({ ledgerDb: `sqlite:${join(dir, ledger)}`, readModelsDb, apiKeysDb: join(dir, 'api-keys.db'), requestLog: join(dir, 'requests.log'), clock: clock.now });
    await app.init();
    key = (await createApiKey(app.get<ApiKeyStore>(API_KEY_STORE), { name: 'auditor', role: 'auditor' }, clock.now())).key;
    return app;
  }
  const get = (path: string, query: Record<string, string> = {}) =>
    request(app?.getHttpServer()).get(path).query(query).set({ authorization: `Bearer ${key}` }).expect(200);
  async function discarded(reason: string): Promise<number> {
    const { text } = await get('/metrics');
    return Number(new RegExp(`^ledger_read_models_discarded_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
  }

  beforeAll(async () => {
    const a = new SqliteEventStore(join(dir, 'a.db'), { clock: clock.now });
    await a.append({ events: [admitted(1, 'a', 'A1'), courseStarted(2, 'a'), courseStarted(3, 'a'), learnerActive(4, 'a')] });
    await a.close();
    const b = new SqliteEventStore(join(dir, 'b.db'), { clock: clock.now });
    await b.append({ events: [courseStarted(10, 'b'), learnerActive(11, 'b')] });
    await b.close();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers ledger B as B, not from ledger A's read models, and counts the discard in /metrics", async () => {
    await start('a.db');
    const fromA = (await get('/reports', YEAR)).body;
    expect(fromA.figures['key.courses-started']).toBe(2);
    await start('b.db');
    expect(await discarded('another-log')).toBe(0);
    const fromB = (await get('/reports', YEAR)).body;
    expect(fromB.figures['key.courses-started']).toBe(1);
    expect(fromB.logPosition).toBe(2);
    expect(await discarded('another-log')).toBe(1);
    await get('/reports', YEAR); // bound to B now: nothing more to discard
    expect(await discarded('another-log')).toBe(1);
  });

  it('reports on its projection lag from checkpoints of this ledger only', async () => {
    await start('a.db');
    const { text } = await get('/metrics');
    // The read models are checkpointed on B at 2: for A they are at 0, 4 events behind.
    expect(text).toMatch(/^ledger_projection_lag_events\{projection="courses-and-certificates"\} 4$/m);
  });

  it('sets a damaged read-models file aside when it starts, counts it, and answers all the same', async () => {
    await get('/reports', YEAR);
    await app?.close();
    app = undefined;
    truncateSync(readModelsDb, Math.floor(statSync(readModelsDb).size / 2));
    await start('a.db');
    expect(await discarded('damaged-file')).toBe(1);
    expect(readdirSync(dir).filter((name) => name.startsWith('read-models.db.damaged-'))).toHaveLength(1);
    expect((await get('/reports', YEAR)).body.figures['key.courses-started']).toBe(2);
  });
});
