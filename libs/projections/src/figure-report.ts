import { parseRfc3339 } from '@ledger/events';
import type { EventStore } from '@ledger/store';
import { positionAt } from '@ledger/store';
import type { EventType } from '@ledger/events';
import type { Explanation } from './explain';
import type { FigureDefinition } from './figure-catalogue';
import type { Period } from './period';
import type { AnyProjection, Projection } from './projection';
import { catchUpAll, stateAsKnownAt } from './projection-runner';
import type { ProjectionStateStore } from './projection-state.store';

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

/** The report document of KPIS.md: what `report` prints and what publications and audits compare. */
export interface ReportDocument {
  readonly period: Period;
  readonly knownAt: string;
  /** The last log position that existed at `knownAt`. */
  readonly logPosition: number;
  readonly figures: Figures;
}

/** `knownAt` as the document shows it: the instant in UTC, to the millisecond. */
export function normalizeKnownAt(knownAt: string, now: string): string {
  const instant = parseRfc3339(knownAt);
  if (!instant) throw new RangeError(`known-at must be an RFC 3339 timestamp with an offset, like 2021-03-15T00:00:00Z: ${JSON.stringify(knownAt)}`);
  const normalized = new Date(instant.epochMs).toISOString();
  // A moment still to come is not known yet: its figures could still change.
  if (normalized > now) throw new RangeError(`known-at ${knownAt} is in the future (now is ${now})`);
  return normalized;
}

/**
 * The states of the projections as known at a log position: the projections are first
 * brought up to the head (and saved), then a bitemporal one is used as it is, and another
 * one, when the position is behind its checkpoint, from its latest snapshot at or before
 * the position with the events after it folded in.
 */
export async function statesAsKnownAt(
  store: EventStore,
  states: ProjectionStateStore,
  projections: readonly AnyProjection[],
  position: number,
  options: { readonly save?: boolean } = {},
): Promise<Map<AnyProjection, unknown>> {
  const current = await catchUpAll(store, states, projections, options);
  const result = new Map<AnyProjection, unknown>();
  for (const [i, projection] of projections.entries()) {
    const caughtUp = current[i];
    if (!caughtUp) throw new Error(`no state for projection ${projection.name}`);
    const usable = projection.bitemporal || caughtUp.position === position;
    result.set(projection, usable ? caughtUp.state : await stateAsKnownAt(store, states, projection, position));
  }
  return result;
}

/**
 * Every figure of the sources for a period, as known at a moment (RFC 3339; `now` when
 * left out): the report document of KPIS.md.
 */
export async function computeReport(
  store: EventStore,
  states: ProjectionStateStore,
  sources: readonly FigureSource[],
  request: { period: Period; knownAt?: string; now: string; save?: boolean },
): Promise<ReportDocument> {
  const knownAt = normalizeKnownAt(request.knownAt ?? request.now, request.now);
  const logPosition = await positionAt(store, knownAt);
  const projections = [...new Set(sources.map((s) => s.projection))];
  const known = await statesAsKnownAt(store, states, projections, logPosition, request.save === false ? { save: false } : {});
  const figures: Figures = {};
  for (const source of sources) Object.assign(figures, source.figures(known.get(source.projection), request.period, logPosition));
  return { period: { from: request.period.from, to: request.period.to }, knownAt, logPosition, figures };
}
