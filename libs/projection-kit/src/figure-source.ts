import type { EventType } from '@ledger/events';
import type { Explanation } from './explanation';
import type { FigureDefinition } from './figure-catalogue';
import type { Period } from './period';
import type { AnyProjection, Projection } from './projection';

export type Figures = Record<string, number | null>;

/** A figure family's figures of a period. A bitemporal family answers as known at `knownAt` itself. */
export type FiguresOf<S> = (state: S, period: Period, knownAt: number) => Figures;
/** What one of these figures counts and the events that make it (`ledger explain`); undefined for another figure. */
export type ExplainOf<S> = (state: S, period: Period, knownAt: number, figure: string) => Explanation | undefined;

/**
 * A family of figures of KPIS.md: the projection that answers it, its figures, their
 * provenance and their catalogue (labels, unit, what each counts, display group). `figures`
 * is given the projection's state as known at `knownAt` (a log position); a bitemporal
 * projection is given its current state and answers as known at that position itself.
 */
export interface FigureSource<S = unknown> {
  readonly projection: Projection<S>;
  figures(state: S, period: Period, knownAt: number): Figures;
  explain?(state: S, period: Period, knownAt: number, figure: string): Explanation | undefined;
  readonly catalogue: readonly FigureDefinition[];
}

/**
 * A bitemporal projection's figures must read `knownAt`: its state holds every position,
 * so a function that ignores it would answer as known now. A compile error otherwise.
 */
type TakesKnownAt<B extends boolean, F> = B extends true
  ? F extends (state: never, period: Period, knownAt: number) => Figures
    ? Parameters<F>['length'] extends 3
      ? unknown
      : { readonly figures: { readonly 'a bitemporal family takes knownAt (a required third parameter)': never } }
    : unknown
  : unknown;

export function figureSource<S, B extends boolean, F extends FiguresOf<S>>(
  projection: Projection<S, EventType, unknown, B>,
  family: { readonly figures: F; readonly explain?: ExplainOf<S>; readonly catalogue: readonly FigureDefinition[] } & TakesKnownAt<B, F>,
): FigureSource {
  const { figures, explain, catalogue } = family;
  const source: FigureSource<S> = explain ? { projection, figures, explain, catalogue } : { projection, figures, catalogue };
  return source;
}

/** Every definition of these families, in their order: the catalogue the formatters, the API and the dashboard read. */
export function definitionsOf(sources: readonly FigureSource[]): FigureDefinition[] {
  return sources.flatMap((s) => s.catalogue);
}

/** The projections these families read, each once, in their order: what a catch-up or a rebuild runs. */
export function projectionsOf(sources: readonly FigureSource[]): AnyProjection[] {
  return [...new Set(sources.map((s) => s.projection))];
}
