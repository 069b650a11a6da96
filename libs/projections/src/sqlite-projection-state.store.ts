import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openCreatingPrivately } from '../../files/src/private-file';
import type { ProjectionStateStore, StoredProjection } from './projection-state.store';
import { decodeState, encodeState } from './state-encoding';

/** Projection states in a SQLite file of their own, beside the ledger: read models are not the log. */
export class SqliteProjectionStateStore implements ProjectionStateStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = openCreatingPrivately(file, () => new Database(file));
    // Columnar states are stored as blobs of tens of megabytes: large pages make them fewer
    // overflow pages to chain through (takes effect in a new file only).
    this.db.pragma('page_size = 65536');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL'); // a lost checkpoint is rebuilt from the log: durability is the log's job
    // A state is its JSON and the byte arrays taken out of it (state-encoding.ts).
    this.db.exec(`CREATE TABLE IF NOT EXISTS projection_states (
      name TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL, state TEXT NOT NULL, bytes BLOB);
      CREATE TABLE IF NOT EXISTS projection_snapshots (
      name TEXT NOT NULL, version INTEGER NOT NULL, position INTEGER NOT NULL, state TEXT NOT NULL, bytes BLOB,
      PRIMARY KEY (name, version, position))`);
  }

  async load(name: string): Promise<StoredProjection | undefined> {
    const row = this.db
      .prepare<[string], { name: string; version: number; position: number; state: string; bytes: Buffer | null }>(
        'SELECT name, version, position, state, bytes FROM projection_states WHERE name = ?',
      )
      .get(name);
    return row ? { name: row.name, version: row.version, position: row.position, state: decodeState(row.state, row.bytes) } : undefined;
  }

  async checkpoint(name: string): Promise<Omit<StoredProjection, 'state'> | undefined> {
    return this.db
      .prepare<[string], { name: string; version: number; position: number }>('SELECT name, version, position FROM projection_states WHERE name = ?')
      .get(name);
  }

  async save(projection: StoredProjection): Promise<void> {
    const { json, bytes } = encodeState(projection.state);
    // One statement, one implicit transaction: the state and its checkpoint move together.
    this.db
      .prepare(
        `INSERT INTO projection_states (name, version, position, state, bytes) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, state = excluded.state, bytes = excluded.bytes`,
      )
      .run(projection.name, projection.version, projection.position, json, bytes);
  }

  async reset(name: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM projection_states WHERE name = ?').run(name);
      this.db.prepare('DELETE FROM projection_snapshots WHERE name = ?').run(name);
    })();
  }

  async saveSnapshot(snapshot: StoredProjection): Promise<void> {
    const { json, bytes } = encodeState(snapshot.state);
    this.db
      .prepare('INSERT OR REPLACE INTO projection_snapshots (name, version, position, state, bytes) VALUES (?, ?, ?, ?, ?)')
      .run(snapshot.name, snapshot.version, snapshot.position, json, bytes);
  }

  async loadSnapshot(name: string, version: number, atOrBefore: number): Promise<StoredProjection | undefined> {
    const row = this.db
      .prepare<[string, number, number], { position: number; state: string; bytes: Buffer | null }>(
        'SELECT position, state, bytes FROM projection_snapshots WHERE name = ? AND version = ? AND position <= ? ORDER BY position DESC LIMIT 1',
      )
      .get(name, version, atOrBefore);
    return row ? { name, version, position: row.position, state: decodeState(row.state, row.bytes) } : undefined;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
