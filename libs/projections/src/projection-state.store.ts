/**
 * A projection's state as stored: which version built it, and the last log position it has
 * seen. `state` is JSON, in which a `Uint8Array` is kept as bytes (columnar read models).
 */
export interface StoredProjection {
  readonly name: string;
  readonly version: number;
  readonly position: number;
  readonly state: unknown;
}

/**
 * Where projections keep their states. `save` writes a state and its checkpoint in one
 * transaction, so a crash leaves them both as before or both as after: a projection is
 * never ahead of or behind its checkpoint. `save` and `saveSnapshot` serialize the state
 * before they first yield: the runtime goes on folding events into the same object.
 */
export interface ProjectionStateStore {
  load(name: string): Promise<StoredProjection | undefined>;
  /** Which version a stored state is of and the position it has reached, without reading the state (health, lag). */
  checkpoint(name: string): Promise<Omit<StoredProjection, 'state'> | undefined>;
  save(projection: StoredProjection): Promise<void>;
  /** Drops a projection's state and its snapshots (a rebuild starts from position 0). */
  reset(name: string): Promise<void>;
  /** Keeps a copy of a state as it was at a position: what an as-known-at question starts from. */
  saveSnapshot(snapshot: StoredProjection): Promise<void>;
  /** The latest snapshot of this version at or before a position. */
  loadSnapshot(name: string, version: number, atOrBefore: number): Promise<StoredProjection | undefined>;
  close(): Promise<void>;
}
