import type { ApiKeyStore } from '@ledger/auth';
import { DEFAULT_API_KEYS_DB } from '@ledger/auth';
import { createApiKey, KeyRequestError } from '@ledger/auth';
import { SqliteApiKeyStore } from '@ledger/auth';
import type { Clock } from '@ledger/store';
import { systemClock } from '@ledger/store';
import type { CliIo } from '../cli-io';

/** The keys file the API reads: API_KEYS_DB, default ./data/api-keys.db. */
export function apiKeysDb(): string {
  return process.env.API_KEYS_DB ?? DEFAULT_API_KEYS_DB;
}

async function withKeys(run: (store: ApiKeyStore) => Promise<number>): Promise<number> {
  const store = new SqliteApiKeyStore(apiKeysDb());
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

/**
 * `ledger keys create --role <role> --name <name>`: the key alone on stdout, shown this once
 * (only its hash is kept), so `KEY=$(ledger keys create ...)` takes it; what it is on stderr.
 */
export async function keysCreateCommand(options: { role: string; name: string }, io: CliIo, clock: Clock = systemClock): Promise<number> {
  return withKeys(async (store) => {
    let created;
    try {
      created = await createApiKey(store, options, clock());
    } catch (error) {
      if (!(error instanceof KeyRequestError)) throw error;
      io.err(`keys create: ${error.message}`);
      return 2;
    }
    const { apiKey } = created;
    io.err(`created key ${apiKey.id} for ${apiKey.name} (role ${apiKey.role}) in ${apiKeysDb()}: it is shown this once, only its hash is kept`);
    io.out(created.key);
    return 0;
  });
}

/** `ledger keys list`: every key, revoked ones too; never a secret. */
export async function keysListCommand(io: CliIo): Promise<number> {
  return withKeys(async (store) => {
    const keys = await store.list();
    const rows = [['id', 'role', 'created', 'revoked', 'name'], ...keys.map((k) => [k.id, k.role, k.createdAt, k.revokedAt ?? '-', k.name])];
    const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
    for (const row of rows) io.out(row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  '));
    return 0;
  });
}

/** `ledger keys revoke <id>`: refused from the next request on. Exit 1 when no key has this id. */
export async function keysRevokeCommand(id: string, io: CliIo, clock: Clock = systemClock): Promise<number> {
  return withKeys(async (store) => {
    const at = clock().toISOString();
    const key = await store.revoke(id, at);
    if (!key) {
      io.err(`keys revoke: no key with id ${JSON.stringify(id)} in ${apiKeysDb()} (see ledger keys list)`);
      return 1;
    }
    io.out(key.revokedAt === at ? `revoked key ${key.id} (${key.name}, ${key.role})` : `key ${key.id} (${key.name}, ${key.role}) was already revoked at ${key.revokedAt}`);
    return 0;
  });
}
