import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openCreatingPrivately } from '@ledger/files';
import type { ApiKey, ApiKeyStore, Role, StoredApiKey } from './api-key.store';
import { ROLES } from './api-key.store';

interface Row {
  id: string;
  name: string;
  role: Role;
  secret_sha256: Buffer;
  created_at: string;
  revoked_at: string | null;
}

/** At most this many ids in the cache (keys are few; unknown ids are what could be many). */
const MAX_CACHED = 10_000;

const toKey = (row: Row): ApiKey => ({ id: row.id, name: row.name, role: row.role, createdAt: row.created_at, revokedAt: row.revoked_at });

/**
 * API keys in a SQLite file of their own (API_KEYS_DB), apart from the ledger: keys are not
 * facts of the log. The CLI (`ledger keys`) and the API open the same file; WAL lets the API
 * read while the CLI creates or revokes, and a revocation holds from the next request on.
 *
 * `find` runs at every request: the keys read are kept in memory, and the cache is dropped
 * whenever the file changed. This connection's own writes (`add`, `revoke`) drop it
 * themselves; another process's (`ledger keys revoke`) show in `PRAGMA data_version`, which
 * SQLite changes when another connection commits, and which is read before every look-up.
 * So a revocation still holds from the next request on, whoever made it.
 */
export class SqliteApiKeyStore implements ApiKeyStore {
  private readonly db: Database.Database;
  /** Read at every request: prepared once. */
  private readonly byId: Database.Statement<[string], Row>;
  private readonly dataVersion: Database.Statement<[], number>;
  /** The keys found (and the ids found to be no key) since the file last changed. */
  private readonly cache = new Map<string, StoredApiKey | undefined>();
  private cachedVersion: number | undefined;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = openCreatingPrivately(file, () => new Database(file));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL'); // a revocation that was acknowledged must not come back
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN (${ROLES.map((r) => `'${r}'`).join(', ')})),
      secret_sha256 BLOB NOT NULL,
      created_at TEXT NOT NULL,
      revoked_at TEXT)`);
    this.byId = this.db.prepare<[string], Row>('SELECT * FROM api_keys WHERE id = ?');
    this.dataVersion = this.db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** Drops the cached keys if another connection committed since they were read. */
  private current(): void {
    const version = this.dataVersion.get();
    if (version === this.cachedVersion) return;
    this.cache.clear();
    this.cachedVersion = version;
  }

  async add(key: StoredApiKey): Promise<void> {
    this.db
      .prepare('INSERT INTO api_keys (id, name, role, secret_sha256, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key.id, key.name, key.role, key.secretHash, key.createdAt, key.revokedAt);
    this.cache.clear();
  }

  async find(id: string): Promise<StoredApiKey | undefined> {
    this.current();
    if (this.cache.has(id)) return this.cache.get(id);
    const row = this.byId.get(id);
    const key = row ? { ...toKey(row), secretHash: row.secret_sha256 } : undefined;
    // Unknown ids are remembered too, a bounded number of them: a client sending random ids must not grow the map without end.
    if (key !== undefined || this.cache.size < MAX_CACHED) this.cache.set(id, key);
    return key;
  }

  async list(): Promise<ApiKey[]> {
    return this.db.prepare<[], Row>('SELECT * FROM api_keys ORDER BY created_at, id').all().map(toKey);
  }

  async revoke(id: string, at: string): Promise<ApiKey | undefined> {
    this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
    this.cache.clear();
    const row = this.byId.get(id);
    return row ? toKey(row) : undefined;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
