/**
 * A projection's state as stored: which version built it, the last log position it has
 * seen, and which log it was folded from. `state` is JSON, in which a `Uint8Array` is kept
 * as bytes (columnar read models).
 */
export interface StoredProjection {
  readonly name: string;
  readonly version: number;
  readonly position: number;
  readonly state: unknown;
  /**
   * The log the state was folded from (`EventStore.identity`) and the chain hash of that log
   * at `position` (hex; 64 zeros at 0), which commits to every event up to it: a state is used
   * only with the same log, holding the same events up to its position. Both are '' in a state
   * stored before checkpoints recorded them.
   */
  readonly logId: string;
  readonly chain: string;
}

/** Why stored read models were not used as they were, and rebuilt from position 0. */
export type ReadModelsDiscardReason =
  /** The checkpoint names another log (LEDGER_DB changed, READ_MODELS_DB kept). */
  | 'another-log'
  /** The checkpoint is past the end of the log. */
  | 'log-truncated'
  /** The log's chain hash at the checkpoint is not the one recorded: the log was rewritten below it. */
  | 'log-rewritten'
  /** The checkpoint records no log (stored before read models were bound to their log). */
  | 'unbound'
  /** The read-models file could not be read (set aside, and a new one started). */
  | 'damaged-file';

export const READ_MODELS_DISCARD_REASONS: readonly ReadModelsDiscardReason[] = ['another-log', 'log-truncated', 'log-rewritten', 'unbound', 'damaged-file'];

/** What was found and what is done, in one line, for stderr; and why, for a metric. */
export interface ReadModelsNotice {
  readonly reason: ReadModelsDiscardReason;
  readonly message: string;
}

/**
 * The read-models file was found damaged while in use, set aside, and a new, empty one
 * started: whatever was read from it is dropped, and the work starts again (the runner does).
 */
export class ReadModelsSetAsideError extends Error {
  constructor(readonly notice: ReadModelsNotice) {
    super(notice.message);
    this.name = 'ReadModelsSetAsideError';
  }
}

/**
 * Where projections keep their states. `save` writes a state and its checkpoint in one
 * transaction, so a crash leaves them both as before or both as after: a projection is
 * never ahead of or behind its checkpoint. `save` and `saveSnapshot` serialize the state
 * before they first yield: the runtime goes on folding events into the same object.
 * A store whose file turns out damaged sets it aside, starts a new one, says so through
 * `notice`, and throws `ReadModelsSetAsideError`.
 */
export interface ProjectionStateStore {
  load(name: string): Promise<StoredProjection | undefined>;
  /** A stored state's version, position and log, without reading the state (binding checks, health, lag). */
  checkpoint(name: string): Promise<Omit<StoredProjection, 'state'> | undefined>;
  save(projection: StoredProjection): Promise<void>;
  /** Drops a projection's state and its snapshots (a rebuild starts from position 0). */
  reset(name: string): Promise<void>;
  /** Keeps a copy of a state as it was at a position: what an as-known-at question starts from. */
  saveSnapshot(snapshot: StoredProjection): Promise<void>;
  /** The latest snapshot of this version, folded from this log, at or before a position. */
  loadSnapshot(name: string, version: number, atOrBefore: number, logId: string): Promise<StoredProjection | undefined>;
  /**
   * Rewrites the store's files so that nothing dropped or replaced survives in them (free
   * pages, old page images): after an erasure, the states of before must not stay on disk.
   */
  compact?(): Promise<void>;
  /** Says that stored read models were not used as they were (stderr and a metric, in the applications). */
  notice(notice: ReadModelsNotice): void;
  close(): Promise<void>;
}
