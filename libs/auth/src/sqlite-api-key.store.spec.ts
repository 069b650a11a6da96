import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticate, createApiKey } from './api-keys';
import { SqliteApiKeyStore } from './sqlite-api-key.store';

describe('SqliteApiKeyStore: keys kept in memory, a revocation still holds from the next look-up on', () => {
  let dir: string;
  let file: string;
  const now = new Date('2021-03-15T00:00:00Z');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
    file = join(dir, 'api-keys.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a key revoked by another connection (the CLI) is refused at the next look-up, though it was cached', async () => {
    const api = new SqliteApiKeyStore(file);
    const cli = new SqliteApiKeyStore(file);
    try {
      const { key, apiKey } = await createApiKey(cli, { name: 'sender', role: 'ingest' }, now);
      expect(await authenticate(api, key)).toEqual(apiKey);
      expect(await authenticate(api, key)).toEqual(apiKey);
      await cli.revoke(apiKey.id, '2021-03-16T00:00:00Z');
      expect(await authenticate(api, key)).toBeUndefined();
    } finally {
      await api.close();
      await cli.close();
    }
  });

  it('an id looked up before it existed is found once another connection adds it', async () => {
    const api = new SqliteApiKeyStore(file);
    const cli = new SqliteApiKeyStore(file);
    try {
      expect(await api.find('0123456789abcdef')).toBeUndefined();
      const { key, apiKey } = await createApiKey(cli, { name: 'late', role: 'auditor' }, now);
      expect(await authenticate(api, key)).toEqual(apiKey);
    } finally {
      await api.close();
      await cli.close();
    }
  });

  it('its own revocation holds at once', async () => {
    const store = new SqliteApiKeyStore(file);
    try {
      const { key, apiKey } = await createApiKey(store, { name: 'board', role: 'committee' }, now);
      expect(await authenticate(store, key)).toEqual(apiKey);
      await store.revoke(apiKey.id, '2021-03-16T00:00:00Z');
      expect(await authenticate(store, key)).toBeUndefined();
      expect((await store.find(apiKey.id))?.revokedAt).toBe('2021-03-16T00:00:00Z');
    } finally {
      await store.close();
    }
  });
});
