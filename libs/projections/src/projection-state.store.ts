/** A projection's state as stored: which version built it, and the last log position it has seen. */
export interface StoredProjection {
  readonly name: string;
  readonly version: number;
  readonly position: number;
  readonly state: unknown;
}

/**
 * Where projections keep their states. `save` writes a state and its checkpoint in one
 * transaction, so a crash leaves them both as before or both as after: a projection is
 * never ahead of or behind its checkpoint.
 */
export interface ProjectionStateStore {
  load(name: string): Promise<StoredProjection | undefined>;
  save(projection: StoredProjection): Promise<void>;
  /** Drops a projection's state (a rebuild starts from position 0). */
  reset(name: string): Promise<void>;
  close(): Promise<void>;
}
