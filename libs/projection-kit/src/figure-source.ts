import type { EventType } from '@ledger/events';
import type { Explanation } from './explanation';
import type { FigureDefinition } from './figure-catalogue';
import type { Period } from './period';
import type { AnyProjection, Projection } from './projection';

export type Figures = Record<string, number | null>;

/**
 * The state of another read model, as known at the same position as the family's own: what a
 * family that crosses read models (KPIS.md version 2: free users are active learners who were
 * never admitted) reads them by. Only the projections it lists in `alsoReads` are given.
 */
export type ReadState = <T>(projection: Projection<T>) => T;

/**
 * What a family may read besides its own state: other read models, and K itself as an instant
 * (epoch ms), for the figures that compare occurredAt with the moment asked (a cohort's
 * 180-day window is closed at K).
 */
export interface FigureContext {
  readonly read: ReadState;
  readonly knownAtMs: number;
}

/** A figure family's figures of a period. A bitemporal family answers as known at `knownAt` itself. */
export type FiguresOf<S> = (state: S, period: Period, knownAt: number, context: FigureContext) => Figures;
/** What one of these figures counts and the events that make it (`ledger explain`); undefined for another figure. */
export type ExplainOf<S> = (state: S, period: Period, knownAt: number, figure: string, context: FigureContext) => Explanation | undefined;

/**
 * A family of figures of KPIS.md: the projection that answers it, its figures, their
 * provenance and their catalogue (labels, unit, what each counts, display group). `figures`
 * is given the projection's state as known at `knownAt` (a log position); a bitemporal
 * projection is given its current state and answers as known at that position itself.
 */
export interface FigureSource<S = unknown> {
  readonly projection: Projection<S>;
  /** Other read models the family reads (through `read`), as known at the same position. */
  readonly alsoReads?: readonly AnyProjection[];
  figures(state: S, period: Period, knownAt: number, context: FigureContext): Figures;
  explain?(state: S, period: Period, knownAt: number, figure: string, context: FigureContext): Explanation | undefined;
  readonly catalogue: readonly FigureDefinition[];
  /**
   * Definitions only the log can give, for a period as known at K: a commitment's figures,
   * labelled by the commitment's own label. The static `catalogue` cannot name them.
   */
  describe?(state: S, period: Period, knownAt: number, context: FigureContext): readonly FigureDefinition[];
}

/**
 * A bitemporal projection's figures must read `knownAt`: its state holds every position,
 * so a function that ignores it would answer as known now. A compile error otherwise.
 */
type TakesKnownAt<B extends boolean, F> = B extends true
  ? F extends (state: never, period: Period, knownAt: number, context: FigureContext) => Figures
    ? Parameters<F>['length'] extends 3 | 4
      ? unknown
      : { readonly figures: { readonly 'a bitemporal family takes knownAt (a required third parameter)': never } }
    : unknown
  : unknown;

export function figureSource<S, B extends boolean, F extends FiguresOf<S>>(
  projection: Projection<S, EventType, unknown, B>,
  family: {
    readonly figures: F;
    readonly explain?: ExplainOf<S>;
    readonly catalogue: readonly FigureDefinition[];
    readonly alsoReads?: readonly AnyProjection[];
    readonly describe?: (state: S, period: Period, knownAt: number, context: FigureContext) => readonly FigureDefinition[];
  } & TakesKnownAt<B, F>,
): FigureSource {
  const { figures, explain, catalogue, alsoReads, describe } = family;
  const source: FigureSource<S> = {
    projection,
    figures,
    catalogue,
    ...(explain ? { explain } : {}),
    ...(alsoReads ? { alsoReads } : {}),
    ...(describe ? { describe } : {}),
  };
  return source;
}

/** `read` over the states of a report (the runtime's map of each projection to its state as known at one position). */
export function readStates(states: ReadonlyMap<AnyProjection, unknown>): ReadState {
  return <T>(projection: Projection<T>): T => {
    if (!states.has(projection)) throw new Error(`no state for projection ${projection.name}: list it in the family's alsoReads`);
    // The map is built from the same projections, each with its own state: the one cast of the crossing.
    return states.get(projection) as T;
  };
}

/** The states of a report as known at a log position (`knownAt`), K being the instant `knownAtMs`. */
export interface KnownStates {
  readonly states: ReadonlyMap<AnyProjection, unknown>;
  readonly knownAt: number;
  readonly knownAtMs: number;
}

/** A family's figures, from the states of every projection as known at one position. */
export function figuresFrom(source: FigureSource, known: KnownStates, period: Period): Figures {
  return source.figures(known.states.get(source.projection), period, known.knownAt, { read: readStates(known.states), knownAtMs: known.knownAtMs });
}

/** Every family's definitions for a period as known at K: the static catalogue, then what the log describes (`describe`). */
export function definitionsFrom(sources: readonly FigureSource[], known: KnownStates, period: Period): FigureDefinition[] {
  return sources.flatMap((source) => [
    ...source.catalogue,
    ...(source.describe?.(known.states.get(source.projection), period, known.knownAt, { read: readStates(known.states), knownAtMs: known.knownAtMs }) ?? []),
  ]);
}

/** A family's provenance of one figure, from the same states; undefined when it has none for it. */
export function explainFrom(source: FigureSource, known: KnownStates, period: Period, figure: string): Explanation | undefined {
  return source.explain?.(known.states.get(source.projection), period, known.knownAt, figure, { read: readStates(known.states), knownAtMs: known.knownAtMs });
}

/** Every definition of these families, in their order: the catalogue the formatters, the API and the dashboard read. */
export function definitionsOf(sources: readonly FigureSource[]): FigureDefinition[] {
  return sources.flatMap((s) => s.catalogue);
}

/** The projections these families read, each once, in their order: what a catch-up or a rebuild runs. */
export function projectionsOf(sources: readonly FigureSource[]): AnyProjection[] {
  return [...new Set(sources.flatMap((s) => [s.projection, ...(s.alsoReads ?? [])]))];
}
