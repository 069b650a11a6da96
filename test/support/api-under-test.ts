import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../apps/api/src/create-app';
import type { ApiKeyStore, Role } from '../../libs/auth/src/api-key.store';
import { API_KEY_STORE, ROLES } from '../../libs/auth/src/api-key.store';
import { createApiKey } from '../../libs/auth/src/api-keys';
import type { EventStore } from '../../libs/store/src/event-store.port';
import { EVENT_STORE } from '../../libs/store/src/event-store.module';
import { SqliteEventStore } from '../../libs/store/src/sqlite/sqlite-event-store';
import { ManualClock } from '../contract/event-store.contract';

/** The API as main.ts serves it, on files of a fresh temporary folder, with one key of each role. */
export interface ApiUnderTest {
  readonly app: INestApplication;
  readonly store: EventStore;
  readonly clock: ManualClock;
  readonly files: { readonly dir: string; readonly apiKeysDb: string; readonly requestLog: string; readonly readModelsDb: string };
  /** A valid key of each role, as `Authorization: Bearer` takes it. */
  readonly keys: Readonly<Record<Role, string>>;
  readonly keyStore: ApiKeyStore;
  /** Closes the app and removes the folder. */
  close(): Promise<void>;
}

export async function startApi(clock = new ManualClock()): Promise<ApiUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-api-'));
  const files = { dir, apiKeysDb: join(dir, 'api-keys.db'), requestLog: join(dir, 'api-requests.log'), readModelsDb: join(dir, 'read-models.db') };
  // The API serves a ledger that exists: an empty one, made as `ledger import` would make it.
  await new SqliteEventStore(join(dir, 'ledger.db')).close();
  const app = await createApp({ ledgerDb: `sqlite:${join(dir, 'ledger.db')}`, clock: clock.now, ...files });
  await app.init();
  const keyStore = app.get<ApiKeyStore>(API_KEY_STORE);
  const keys = {} as Record<Role, string>;
  for (const role of ROLES) keys[role] = (await createApiKey(keyStore, { name: `${role} tester`, role }, clock.now())).key;
  return {
    app,
    store: app.get<EventStore>(EVENT_STORE),
    clock,
    files,
    keys,
    keyStore,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The header a key goes in. */
export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}
