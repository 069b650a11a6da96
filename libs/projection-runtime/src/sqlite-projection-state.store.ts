import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { openCreatingPrivately } from '@ledger/files';
import type { ProjectionStateStore, ReadModelsNotice, StoredProjection } from './projection-state.store';
import { ReadModelsSetAsideError } from './projection-state.store';
import { decodeState, encodeState } from './state-encoding';

/**
 * A state's bytes are kept in parts of this size (`state_bytes`). SQLite hands a blob it reads
 * over in one buffer of its own, which better-sqlite3 then copies: a column set of 118 MiB read
 * whole needed 236 MiB at that moment; read in parts, it needs its size and one part.
 */
const PART_BYTES = 4 * 1024 * 1024;

export interface SqliteProjectionStateStoreOptions {
  /** Told when stored read models are not used as they were (another log, a damaged file). */
  readonly onNotice?: (notice: ReadModelsNotice) => void;
}

/**
 * Projection states in a SQLite file of their own, beside the ledger: read models are not the
 * log. A file SQLite finds damaged (truncated, "database disk image is malformed", not a
 * database), on open or later, is renamed `<file>.damaged-<UTC time>` and a new one started:
 * read models are rebuilt from the log, and the damaged file is kept for whoever wants to look.
 */
export class SqliteProjectionStateStore implements ProjectionStateStore {
  private db: Database.Database;
  private readonly onNotice: (notice: ReadModelsNotice) => void;

  constructor(
    readonly file: string,
    options: SqliteProjectionStateStoreOptions = {},
  ) {
    this.onNotice = options.onNotice ?? (() => undefined);
    try {
      this.db = openStates(file);
    } catch (error) {
      if (!isDamage(error) || file === ':memory:') throw error;
      this.notice(setAside(file, error));
      this.db = openStates(file);
    }
  }

  async load(name: string): Promise<StoredProjection | undefined> {
    // One read transaction: the row and its parts as one save left them, whoever saves meanwhile.
    const found = this.guarded(() =>
      this.db.transaction(() => {
        const row = this.db
          .prepare<[string], StateRow & { state: string; bytes: Buffer | null }>(
            'SELECT name, version, position, log_id, chain, state, bytes FROM projection_states WHERE name = ?',
          )
          .get(name);
        return row ? { row, bytes: row.bytes ?? this.readParts(stateOwner(name)) } : undefined;
      })(),
    );
    return found ? { ...checkpointOf(found.row), state: decodeState(found.row.state, found.bytes) } : undefined;
  }

  async checkpoint(name: string): Promise<Omit<StoredProjection, 'state'> | undefined> {
    const row = this.guarded(() =>
      this.db.prepare<[string], StateRow>('SELECT name, version, position, log_id, chain FROM projection_states WHERE name = ?').get(name),
    );
    return row ? checkpointOf(row) : undefined;
  }

  async save(projection: StoredProjection): Promise<void> {
    const { json, bytes } = encodeState(projection.state);
    // One transaction: the state, its bytes and its checkpoint move together.
    this.guarded(() =>
      this.db.transaction(() => {
        this.db
          .prepare(
            `INSERT INTO projection_states (name, version, position, log_id, chain, state, bytes) VALUES (?, ?, ?, ?, ?, ?, NULL)
             ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, log_id = excluded.log_id,
               chain = excluded.chain, state = excluded.state, bytes = NULL`,
          )
          .run(projection.name, projection.version, projection.position, projection.logId, projection.chain, json);
        this.writeParts(stateOwner(projection.name), bytes);
      })(),
    );
  }

  async reset(name: string): Promise<void> {
    this.guarded(() =>
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM projection_states WHERE name = ?').run(name);
        this.db.prepare('DELETE FROM projection_snapshots WHERE name = ?').run(name);
        const snapshots = snapshotOwner(name, '');
        this.db.prepare('DELETE FROM state_bytes WHERE owner = ? OR substr(owner, 1, ?) = ?').run(stateOwner(name), snapshots.length, snapshots);
      })(),
    );
  }

  async saveSnapshot(snapshot: StoredProjection): Promise<void> {
    const { json, bytes } = encodeState(snapshot.state);
    this.guarded(() =>
      this.db.transaction(() => {
        this.db
          .prepare('INSERT OR REPLACE INTO projection_snapshots (name, version, position, log_id, chain, state, bytes) VALUES (?, ?, ?, ?, ?, ?, NULL)')
          .run(snapshot.name, snapshot.version, snapshot.position, snapshot.logId, snapshot.chain, json);
        this.writeParts(snapshotOwner(snapshot.name, `${snapshot.version}/${snapshot.position}`), bytes);
      })(),
    );
  }

  /** A state's bytes, in parts of PART_BYTES (the parts it had before dropped): inside the caller's transaction. */
  private writeParts(owner: string, bytes: Buffer): void {
    this.db.prepare('DELETE FROM state_bytes WHERE owner = ?').run(owner);
    const insert = this.db.prepare('INSERT INTO state_bytes (owner, part, bytes) VALUES (?, ?, ?)');
    for (let at = 0, part = 0; at < bytes.byteLength; at += PART_BYTES, part += 1) insert.run(owner, part, bytes.subarray(at, at + PART_BYTES));
  }

  /**
   * A state's bytes put back together in one buffer of their own (offset 0: its columns are
   * read in place); null: it has none. Inside the caller's read transaction: the size and the
   * parts are of the same save.
   */
  private readParts(owner: string): Buffer | null {
    const size = this.db.prepare<[string], number>('SELECT COALESCE(SUM(length(bytes)), 0) FROM state_bytes WHERE owner = ?').pluck().get(owner) ?? 0;
    if (size === 0) return null;
    const bytes = Buffer.allocUnsafeSlow(size);
    let at = 0;
    for (const part of this.db.prepare<[string], Buffer>('SELECT bytes FROM state_bytes WHERE owner = ? ORDER BY part').pluck().iterate(owner)) {
      bytes.set(part, at);
      at += part.byteLength;
    }
    return bytes;
  }

  async loadSnapshot(name: string, version: number, atOrBefore: number, logId: string): Promise<StoredProjection | undefined> {
    const found = this.guarded(() =>
      this.db.transaction(() => {
        const row = this.db
          .prepare<[string, number, string, number], { position: number; chain: string; state: string; bytes: Buffer | null }>(
            `SELECT position, chain, state, bytes FROM projection_snapshots
             WHERE name = ? AND version = ? AND log_id = ? AND position <= ? ORDER BY position DESC LIMIT 1`,
          )
          .get(name, version, logId, atOrBefore);
        return row ? { row, bytes: row.bytes ?? this.readParts(snapshotOwner(name, `${version}/${row.position}`)) } : undefined;
      })(),
    );
    if (!found) return undefined;
    const { row, bytes } = found;
    return { name, version, position: row.position, logId, chain: row.chain, state: decodeState(row.state, bytes) };
  }

  /** VACUUM (the file rewritten: no free page keeps an old state), then the WAL emptied and truncated. */
  async compact(): Promise<void> {
    this.guarded(() => {
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    });
  }

  notice(notice: ReadModelsNotice): void {
    this.onNotice(notice);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /**
   * Runs one use of the file. When SQLite finds it damaged, the file is set aside, a new one
   * started, and `ReadModelsSetAsideError` thrown: what was read before cannot be trusted either.
   */
  private guarded<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (!isDamage(error) || this.file === ':memory:') throw error;
      try {
        this.db.close();
      } catch {
        // A damaged file may not close cleanly; it is set aside all the same.
      }
      const notice = setAside(this.file, error);
      this.db = openStates(this.file);
      this.notice(notice);
      throw new ReadModelsSetAsideError(notice);
    }
  }
}

/** Whose bytes a part holds: a projection's state, or one of its snapshots (`<version>/<position>`). */
function stateOwner(name: string): string {
  return `state/${name}`;
}

function snapshotOwner(name: string, at: string): string {
  return `snapshot/${name}/${at}`;
}

interface StateRow {
  name: string;
  version: number;
  position: number;
  log_id: string;
  chain: string;
}

function checkpointOf(row: StateRow): Omit<StoredProjection, 'state'> {
  return { name: row.name, version: row.version, position: row.position, logId: row.log_id, chain: row.chain };
}

/** Opens (or creates) a states file and its tables; a file made before checkpoints named their log gets the columns. */
function openStates(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = openCreatingPrivately(file, () => new Database(file));
  try {
    // Columnar states are stored as blobs of tens of megabytes: large pages make them fewer
    // overflow pages to chain through (takes effect in a new file only).
    db.pragma('page_size = 65536');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // a lost checkpoint is rebuilt from the log: durability is the log's job
    // A state is its JSON and the byte arrays taken out of it (state-encoding.ts), kept in
    // parts (state_bytes); a file written before the parts has them in the row's `bytes`.
    db.exec(`CREATE TABLE IF NOT EXISTS projection_states (
      name TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL, state TEXT NOT NULL, bytes BLOB,
      log_id TEXT NOT NULL DEFAULT '', chain TEXT NOT NULL DEFAULT '');
      CREATE TABLE IF NOT EXISTS projection_snapshots (
      name TEXT NOT NULL, version INTEGER NOT NULL, position INTEGER NOT NULL, state TEXT NOT NULL, bytes BLOB,
      log_id TEXT NOT NULL DEFAULT '', chain TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (name, version, position));
      CREATE TABLE IF NOT EXISTS state_bytes (owner TEXT NOT NULL, part INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (owner, part))`);
    for (const table of ['projection_states', 'projection_snapshots']) {
      const columns = new Set(db.prepare<[], string>(`SELECT name FROM pragma_table_info('${table}')`).pluck().all());
      // '' names no log: such a state is never used, and is rebuilt once.
      if (!columns.has('log_id')) db.exec(`ALTER TABLE ${table} ADD COLUMN log_id TEXT NOT NULL DEFAULT ''`);
      if (!columns.has('chain')) db.exec(`ALTER TABLE ${table} ADD COLUMN chain TEXT NOT NULL DEFAULT ''`);
    }
    return db;
  } catch (error) {
    try {
      db.close();
    } catch {
      // as above: the error that matters is the one thrown
    }
    throw error;
  }
}

/**
 * SQLite's word for a file it cannot read as a database: corrupt (malformed, truncated) or not
 * a database at all. Read by shape, not `instanceof`: the native module makes its errors with
 * the class of the context that loaded it first (a test runner's sandboxes differ).
 */
function isDamage(error: unknown): error is Error {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

/** Renames a damaged file (and its write-ahead log) to `<file>.damaged-<UTC time>`; the shared-memory index is dropped. */
function setAside(file: string, error: Error): ReadModelsNotice {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let aside = `${file}.damaged-${stamp}`;
  for (let n = 2; existsSync(aside); n += 1) aside = `${file}.damaged-${stamp}-${n}`;
  renameSync(file, aside);
  if (existsSync(`${file}-wal`)) renameSync(`${file}-wal`, `${aside}-wal`);
  rmSync(`${file}-shm`, { force: true });
  return {
    reason: 'damaged-file',
    message: `read models file ${file} is damaged (${error.message}): set aside as ${aside}; the read models are rebuilt from position 0`,
  };
}
