/**
 * What changed one figure between two moments A and B (GET /figures/:figureId/changes): its
 * value at each, and the events recorded or retracted in between that changed it.
 */
import { UnknownFigureError } from '@ledger/projection-runtime';
import type { FigureSource } from '@ledger/projection-kit';
import { normalizeKnownAt, statesAsKnownAt } from '@ledger/projection-runtime';
import type { Period } from '@ledger/projection-kit';
import type { AnyProjection } from '@ledger/projection-kit';
import { explainFrom, figuresFrom, projectionsOf } from '@ledger/projection-kit';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import type { EventStore } from '@ledger/store';
import { positionAt } from '@ledger/store';
import type { EventRef } from './explain-change';
import { explainChange } from './explain-change';

/** What changed one figure between two moments A and B (A not after B), and the events that changed it. */
export interface FigureChange {
  readonly figure: string;
  readonly period: Period;
  readonly rule: string;
  readonly a: { readonly knownAt: string; readonly logPosition: number; readonly value: number | null };
  readonly b: { readonly knownAt: string; readonly logPosition: number; readonly value: number | null };
  /** Events recorded after A that the figure counts at B. */
  readonly added: readonly EventRef[];
  /** Events the figure counted at A that were retracted by B, with their retraction. */
  readonly retracted: ReadonlyArray<{ readonly event: EventRef; readonly by: EventRef | null }>;
  readonly explained: boolean;
}

/**
 * The change of a figure between two moments, from the read model that answers it: for a
 * counter, only the events recorded between the two moments are read (the tail of the
 * log), not every event it counts.
 */
export async function figureChange(
  store: EventStore,
  states: ProjectionStateStore,
  sources: readonly FigureSource[],
  request: { figure: string; period: Period; knownAtA: string; knownAtB: string; now: string; save?: boolean },
): Promise<FigureChange> {
  const knownAtA = normalizeKnownAt(request.knownAtA, request.now);
  const knownAtB = normalizeKnownAt(request.knownAtB, request.now);
  if (knownAtA > knownAtB) throw new RangeError(`knownAtA (${knownAtA}) is after knownAtB (${knownAtB})`);
  const [positionA, positionB] = [await positionAt(store, knownAtA), await positionAt(store, knownAtB)];
  const projections: AnyProjection[] = projectionsOf(sources);
  const save = request.save === false ? { save: false } : {};
  const atA = await statesAsKnownAt(store, states, projections, positionA, save);
  const atB = await statesAsKnownAt(store, states, projections, positionB, save);
  const knownA = { states: atA, knownAt: positionA, knownAtMs: Date.parse(knownAtA) };
  const knownB = { states: atB, knownAt: positionB, knownAtMs: Date.parse(knownAtB) };
  for (const source of sources) {
    const valueA = figuresFrom(source, knownA, request.period)[request.figure];
    if (valueA === undefined || !source.explain) continue;
    const valueB = figuresFrom(source, knownB, request.period)[request.figure] ?? null;
    // Log A read at instant B: the change from there is the log's; before it, time's alone (a window closing).
    const before = explainFrom(source, { ...knownA, knownAtMs: knownB.knownAtMs }, request.period, request.figure);
    const after = explainFrom(source, knownB, request.period, request.figure);
    if (!before || !after) continue;
    const change = await explainChange(store, { evidence: before.evidence, position: positionA }, { evidence: after.evidence, position: positionB });
    return {
      figure: request.figure,
      period: request.period,
      rule: after.rule,
      a: { knownAt: knownAtA, logPosition: positionA, value: valueA },
      b: { knownAt: knownAtB, logPosition: positionB, value: valueB },
      ...change,
    };
  }
  throw new UnknownFigureError(request.figure);
}
