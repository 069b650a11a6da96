import type { EventType, LedgerEvent, RecordedEvent } from '@ledger/events';

/** The recorded events of these types: what `evolve` is given for a projection that handles them. */
export type EventOf<T extends EventType> = RecordedEventByType[T];
type RecordedEventByType = { readonly [E in LedgerEvent as E['type']]: RecordedEvent<E> };

/**
 * How a projection takes back an event an `EventRetracted` removed: one of three, told
 * apart by `kind` at compile time, never by which optional members happen to be set.
 *
 * - `none`: its events cannot be retracted (not learner events: EVENTS.md).
 * - `in-evolve`: `EventRetracted` is among the handled types; `evolve` sees the retraction
 *   and marks the fact it names (per-event facts kept by id, `known-facts.ts`).
 * - `retract`: the runtime looks up the event each `EventRetracted` names and, when it is
 *   of a handled type, calls `retract` with it: a counter takes it back without remembering
 *   every event it counted. With `history`, `retract` is also given the learner's earlier
 *   events of those types that still exist (the retracted one left out): a read model of
 *   distinct learners can tell whether another event still counts them.
 */
export type Retraction<S, T extends EventType> =
  | { readonly kind: 'none' }
  | { readonly kind: 'in-evolve' }
  | {
      readonly kind: 'retract';
      readonly history?: readonly T[];
      /** Takes back an event `evolve` was given, now retracted (`retraction` is the EventRetracted). */
      retract(state: S, retracted: EventOf<T>, retraction: EventOf<'EventRetracted'>, history: readonly EventOf<T>[]): S;
    };

/**
 * A projection: a small, pure unit that folds the events it handles into a read model.
 *
 * - `name` is stable: checkpoints and snapshots are stored under it.
 * - `version` changes whenever `evolve` or the state's shape changes: a stored state of
 *   another version is thrown away and the projection is built again from position 0.
 * - `evolve` is pure: no clock, no ids, no I/O. It may update the state it is given in
 *   place (the runtime owns it) and returns the state to keep. It is given only the event
 *   types of `handles` (`T`): `defineProjection` makes the two the same list at compile time.
 * - `retraction`: see `Retraction`.
 * - `bitemporal`: the state keeps, for every fact, the position it became known at and the
 *   position of the retraction that removed it, so its queries answer as known at any
 *   position up to the checkpoint from the current state. No snapshots are kept for it.
 * - `toJson`/`fromJson` turn the state into what is stored with a checkpoint (`plainJson()`
 *   when the state is plain JSON). `fromJson` is given only what `toJson` of the same name
 *   and version wrote (a stored state of another version is never read): the one place a
 *   stored value is trusted to be of its type, by name and version, not by a cast.
 *
 * Members are methods: a registry holds `Projection<unknown>` (`AnyProjection`), which
 * method parameters allow; the exact types are checked where a projection is defined.
 */
export interface Projection<S, T extends EventType = EventType, J = unknown, B extends boolean = boolean> {
  readonly name: string;
  readonly version: number;
  readonly handles: readonly T[];
  readonly retraction: Retraction<S, T>;
  readonly bitemporal: B;
  initialState(): S;
  evolve(state: S, event: EventOf<T>): S;
  toJson(state: S): J;
  fromJson(json: J): S;
}

/** The codec of a state that is plain JSON already: stored as it is. */
export function plainJson<S>(): { toJson(state: S): S; fromJson(json: S): S } {
  return { toJson: (state) => state, fromJson: (json) => json };
}

/** Any projection, whatever its state and events: what registries and runtimes hold. */
export type AnyProjection = Projection<unknown>;

/** A compile error naming what `handles` and `evolve` disagree on (an object no literal has). */
interface HandlesMismatch<Unlisted, Unread> {
  readonly 'evolve takes types handles does not list': Unlisted;
  readonly 'handles lists types evolve does not take': Unread;
}

/** `unknown` (no constraint) when `handles` lists exactly the types `evolve` takes; otherwise a member no definition has. */
export type HandlesMatchEvolve<Listed extends EventType, Taken extends EventType> = [Listed] extends [Taken]
  ? [Taken] extends [Listed]
    ? unknown
    : { readonly handles: HandlesMismatch<Exclude<Taken, Listed>, never> }
  : { readonly handles: HandlesMismatch<never, Exclude<Listed, Taken>> };

/** `in-evolve` needs `EventRetracted` among the handled types; `retract` and `none` must not list it. */
type RetractionFits<T extends EventType, K> = K extends 'in-evolve'
  ? 'EventRetracted' extends T
    ? unknown
    : { readonly retraction: { readonly 'in-evolve needs EventRetracted in handles': never } }
  : 'EventRetracted' extends T
    ? { readonly retraction: { readonly 'EventRetracted in handles needs kind in-evolve': never } }
    : unknown;

/**
 * A projection, checked: `handles` is exactly the union of the types `evolve` takes (a type
 * listed that `evolve` does not take, or one it takes that is not listed, is a compile
 * error), and the retraction strategy fits the list. Leave `evolve`'s event unannotated
 * and it is typed from `handles`; annotate it and `handles` must match.
 */
export function defineProjection<
  S,
  const H extends readonly EventType[],
  const B extends boolean,
  K extends Retraction<S, H[number]>['kind'],
  E extends EventOf<EventType> = EventOf<H[number]>,
  J = unknown,
>(
  projection: Projection<S, H[number], J, B> & {
    readonly handles: H;
    readonly retraction: { readonly kind: K };
    evolve(state: S, event: E): S;
  } & HandlesMatchEvolve<H[number], E['type']> &
    RetractionFits<H[number], K>,
): Projection<S, H[number], J, B> {
  return projection;
}

/** A list of literals of `E` (funders, segments, ...) typed as those literals, with no assertion: `literals<Funder>()('pse', 'employer')`. */
export function literals<E extends string>(): <const T extends readonly E[]>(...items: T) => T {
  return (...items) => items;
}

/** Event types as a literal list (what `handles` or `history` is built from), with no assertion. */
export function eventTypes<const T extends readonly EventType[]>(...types: T): T {
  return types;
}

/** Whether an event is of one of these types, narrowed to them (the runtime, before it hands a retracted event to `retract`). */
export function isOneOf<T extends EventType>(types: readonly T[], event: RecordedEvent): event is EventOf<T> {
  return types.some((type) => type === event.type);
}
