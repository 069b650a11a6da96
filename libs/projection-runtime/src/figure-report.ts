import { parseRfc3339 } from '@ledger/events';
import type { EventStore } from '@ledger/store';
import { positionAt } from '@ledger/store';
import type { AnyProjection, FigureDefinition, Figures, FigureSource, KnownStates, Period } from '@ledger/projection-kit';
import { definitionsFrom, figuresFrom, projectionsOf } from '@ledger/projection-kit';
import { catchUpAll, statesAsKnownAtPosition } from './projection-runner';
import type { ProjectionStateStore } from './projection-state.store';

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
  const behind: AnyProjection[] = [];
  for (const [i, projection] of projections.entries()) {
    const caughtUp = current[i];
    if (!caughtUp) throw new Error(`no state for projection ${projection.name}`);
    const usable = projection.bitemporal || caughtUp.position === position;
    result.set(projection, usable ? caughtUp.state : undefined);
    if (!usable) behind.push(projection);
  }
  // Those behind: from their snapshots, the events after them folded in one read of the log for all.
  const past = await statesAsKnownAtPosition(store, states, behind, position);
  behind.forEach((projection, i) => result.set(projection, past[i]));
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
  const { report } = await reportAndStates(store, states, sources, request);
  return report;
}

/**
 * The report and, from the same states in the same pass, the definitions of its figures: the
 * catalogue's and those only the log gives (a commitment's, labelled by the committee). What
 * the table and the CSV lay out; the document itself is KPIS.md's, unchanged.
 */
export async function computeDescribedReport(
  store: EventStore,
  states: ProjectionStateStore,
  sources: readonly FigureSource[],
  request: { period: Period; knownAt?: string; now: string; save?: boolean },
): Promise<DescribedReport> {
  const { report, known } = await reportAndStates(store, states, sources, request);
  return { report, definitions: definitionsFrom(sources, known, request.period) };
}

/** A report with the definitions of its figures for its period, as known at its K. */
export interface DescribedReport {
  readonly report: ReportDocument;
  readonly definitions: readonly FigureDefinition[];
}

async function reportAndStates(
  store: EventStore,
  states: ProjectionStateStore,
  sources: readonly FigureSource[],
  request: { period: Period; knownAt?: string; now: string; save?: boolean },
): Promise<{ report: ReportDocument; known: KnownStates }> {
  const knownAt = normalizeKnownAt(request.knownAt ?? request.now, request.now);
  const logPosition = await positionAt(store, knownAt);
  const projections = projectionsOf(sources);
  const at = await statesAsKnownAt(store, states, projections, logPosition, request.save === false ? { save: false } : {});
  const known: KnownStates = { states: at, knownAt: logPosition, knownAtMs: Date.parse(knownAt) };
  const figures: Figures = {};
  for (const source of sources) Object.assign(figures, figuresFrom(source, known, request.period));
  return { report: { period: { from: request.period.from, to: request.period.to }, knownAt, logPosition, figures }, known };
}
