import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiOptions } from '../../apps/api/src/app.module';
import { createApp } from '../../apps/api/src/create-app';
import type { ApiKeyStore, Role } from '@ledger/auth';
import { API_KEY_STORE, ROLES } from '@ledger/auth';
import { createApiKey } from '@ledger/auth';
import { validateEnvironment } from '@ledger/config';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import { openEventStore } from '@ledger/store';
import { KurrentDbEventStore } from '@ledger/store/kurrentdb';
import { ManualClock } from '../contract/event-store.contract';
import { InMemoryKurrentDb } from './in-memory-kurrentdb';
import { dropSchema, freshSchema, POSTGRES_URL } from './postgres';

/** The API as main.ts serves it, on files of a fresh temporary folder (and a fresh store), with one key of each role. */
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

/**
 * The stores the API can run on here: a SQLite file, a fresh PostgreSQL schema (named by its
 * LEDGER_DB string, `?schema=`), or the KurrentDB adapter on the in-memory stand-in for its client.
 */
export type StoreKind = 'sqlite' | 'postgres' | 'kurrentdb-stand-in';

function ledgerOf(kind: StoreKind, dir: string): { options: ApiOptions; drop: () => Promise<void> } {
  switch (kind) {
    case 'sqlite':
      return { options: { ledgerDb: `sqlite:${join(dir, 'ledger.db')}` }, drop: async () => undefined };
    case 'postgres': {
      const schema = freshSchema();
      const ledgerDb = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
      return { options: { ledgerDb }, drop: () => dropSchema(schema) };
    }
    case 'kurrentdb-stand-in':
      return { options: { openStore: (clock) => KurrentDbEventStore.withClient(new InMemoryKurrentDb(), { clock }) }, drop: async () => undefined };
  }
}

/** `environment`: variables set for this API only (CHROMIUM_PATH, LEDGER_WITNESS_KEYS, ...), over the test process's. */
export async function startApi(clock = new ManualClock(), store: StoreKind = 'sqlite', environment: Readonly<Record<string, string>> = {}): Promise<ApiUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-api-'));
  const files = { dir, apiKeysDb: join(dir, 'api-keys.db'), requestLog: join(dir, 'api-requests.log'), readModelsDb: join(dir, 'read-models.db') };
  const ledger = ledgerOf(store, dir);
  // The API serves a ledger that exists: an empty one, made as `ledger import` would make it.
  if (ledger.options.ledgerDb !== undefined) await (await openEventStore(ledger.options.ledgerDb, { create: true })).close();
  // The signing key (made by the first proof or checkpoint) in the test's folder, not ./data.
  const validated = validateEnvironment({ ...process.env, LEDGER_SIGNING_KEY: join(dir, 'signing-key.pem'), ...environment });
  const app = await createApp({ ...ledger.options, clock: clock.now, ...files, environment: validated });
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
      await ledger.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The header a key goes in. */
export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}
