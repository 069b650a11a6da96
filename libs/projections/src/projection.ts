import type { EventType, RecordedEvent } from '@ledger/events';

/**
 * A projection: a small, pure unit that folds the events it handles into a read model.
 *
 * - `name` is stable: checkpoints and snapshots are stored under it.
 * - `version` changes whenever `evolve` or the state's shape changes: a stored state of
 *   another version is thrown away and the projection is built again from position 0.
 * - `evolve` is pure: no clock, no ids, no I/O. It may update the state it is given in
 *   place (the runtime owns it) and returns the state to keep.
 * - `handles` lists the event types `evolve` reads; the runtime does not even parse the
 *   others.
 * - Retractions: with `retract`, the runtime looks up the event an `EventRetracted` names
 *   and, when it is of a type the projection handles, calls `retract` with it: a counter
 *   takes it back without remembering every event it counted. A projection without
 *   `retract` that must see retractions lists `EventRetracted` in `handles` instead.
 *   With `historyOnRetract`, `retract` is also given the learner's earlier events of those
 *   types that still exist (before the retraction, the retracted one left out): a read
 *   model of distinct learners can tell whether another event still counts them.
 * - `bitemporal`: the state keeps, for every fact, the position it became known at and the
 *   position of the retraction that removed it, so its queries answer as known at any
 *   position up to the checkpoint from the current state. No snapshots are kept for it.
 * - `toJson`/`fromJson` turn the state into what is stored with a checkpoint (default:
 *   the state itself, when it is plain JSON).
 */
export interface Projection<S> {
  readonly name: string;
  readonly version: number;
  readonly handles: readonly EventType[];
  initialState(): S;
  evolve(state: S, event: RecordedEvent): S;
  /** Takes back an event `evolve` was given, now retracted (`retraction` is the EventRetracted). */
  retract?(state: S, retracted: RecordedEvent, retraction: RecordedEvent, history: readonly RecordedEvent[]): S;
  readonly historyOnRetract?: readonly EventType[];
  readonly bitemporal?: boolean;
  toJson?(state: S): unknown;
  fromJson?(json: unknown): S;
}

/** Any projection, whatever its state: what registries and runtimes hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProjection = Projection<any>;
