import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ProjectionStateStore, StoredProjection } from './projection-state.store';

/** Projection states in a SQLite file of their own, beside the ledger: read models are not the log. */
export class SqliteProjectionStateStore implements ProjectionStateStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL'); // a lost checkpoint is rebuilt from the log: durability is the log's job
    this.db.exec(`CREATE TABLE IF NOT EXISTS projections (
      name TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL, state TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS snapshots (
      name TEXT NOT NULL, version INTEGER NOT NULL, position INTEGER NOT NULL, state TEXT NOT NULL,
      PRIMARY KEY (name, version, position))`);
  }

  async load(name: string): Promise<StoredProjection | undefined> {
    const row = this.db
      .prepare<[string], { name: string; version: number; position: number; state: string }>(
        'SELECT name, version, position, state FROM projections WHERE name = ?',
      )
      .get(name);
    return row ? { name: row.name, version: row.version, position: row.position, state: JSON.parse(row.state) } : undefined;
  }

  async save(projection: StoredProjection): Promise<void> {
    // One statement, one implicit transaction: the state and its checkpoint move together.
    this.db
      .prepare(
        `INSERT INTO projections (name, version, position, state) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, state = excluded.state`,
      )
      .run(projection.name, projection.version, projection.position, JSON.stringify(projection.state));
  }

  async reset(name: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM projections WHERE name = ?').run(name);
      this.db.prepare('DELETE FROM snapshots WHERE name = ?').run(name);
    })();
  }

  async saveSnapshot(snapshot: StoredProjection): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO snapshots (name, version, position, state) VALUES (?, ?, ?, ?)')
      .run(snapshot.name, snapshot.version, snapshot.position, JSON.stringify(snapshot.state));
  }

  async loadSnapshot(name: string, version: number, atOrBefore: number): Promise<StoredProjection | undefined> {
    const row = this.db
      .prepare<[string, number, number], { position: number; state: string }>(
        'SELECT position, state FROM snapshots WHERE name = ? AND version = ? AND position <= ? ORDER BY position DESC LIMIT 1',
      )
      .get(name, version, atOrBefore);
    return row ? { name, version, position: row.position, state: JSON.parse(row.state) } : undefined;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
