import type { CommitmentSet, Lever, MeasureKind } from '@ledger/events';
import { figureOfYear } from '@ledger/events';
import type { Explanation, FigureContext, FigureDefinition, Figures, FigureSource, FigureUnit, KnownFact, Labels, Period } from '@ledger/projection-kit';
import { defineProjection, figureEntry, figureSource, inPeriod, plainJson, projectionsOf } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';

/** One `CommitmentSet`, as recorded: a later one of the same id replaces it from its position on. */
interface CommitmentVersion extends KnownFact {
  readonly eventId: string;
  readonly year: number;
  readonly lever: Lever;
  readonly label: Labels;
  readonly measure: CommitmentSet['data']['measure'];
}

/**
 * KPIS.md version 2 "Commitments": every version of every commitment, in log order. As known
 * at K, a commitment is its version with the highest position at or before K (`occurredAt`
 * plays no part): a target revised later changes the figures only from its `recordedAt` on.
 */
export interface CommitmentsState {
  readonly versions: Record<string, CommitmentVersion[]>;
}

export const commitmentsProjection = defineProjection({
  name: 'commitments',
  version: 1,
  bitemporal: true,
  handles: ['CommitmentSet'],
  // Not a learner event: it cannot be retracted, only set again.
  retraction: { kind: 'none' },
  ...plainJson<CommitmentsState>(),
  initialState: (): CommitmentsState => ({ versions: {} }),
  evolve(state, event): CommitmentsState {
    const { commitmentId, year, lever, label, measure } = event.data;
    (state.versions[commitmentId] ??= []).push({ eventId: event.eventId, position: event.position, retractedAt: 0, year, lever, label, measure });
    return state;
  },
});

/** A commitment as known at K, with what it measures. */
export interface CommitmentView {
  readonly commitmentId: string;
  readonly version: CommitmentVersion;
  readonly kind: MeasureKind;
  /** The figure id for year Y, and for Y - 1 (the baseline of a growth). */
  readonly figure: string;
  readonly baselineFigure: string;
}

/** The commitments whose year has its 1 January in the period, as known at K, by id. */
export function commitmentsOf(state: CommitmentsState, period: Period, knownAt: number): CommitmentView[] {
  const views: CommitmentView[] = [];
  for (const [commitmentId, versions] of Object.entries(state.versions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const version = versions.filter((v) => v.position <= knownAt).reduce<CommitmentVersion | undefined>((best, v) => (!best || v.position > best.position ? v : best), undefined);
    if (!version || !inPeriod(`${String(version.year).padStart(4, '0')}-01-01`, period)) continue;
    views.push({
      commitmentId,
      version,
      kind: version.measure.kind,
      figure: figureOfYear(version.measure.figure, version.year),
      baselineFigure: figureOfYear(version.measure.figure, version.year - 1),
    });
  }
  return views;
}

const yearPeriod = (year: number): Period => {
  const y = String(year).padStart(4, '0');
  return { from: `${y}-01-01`, to: `${y}-12-31` };
};

/**
 * A measured figure for a whole year, as known at the same K (null when no family gives it).
 * Only the families whose catalogue names the figure are computed (all of them when none
 * does), each family once per year and call: a report with commitments does not compute
 * every other family twice more (the year and the year before).
 */
function yearFigures(measured: readonly FigureSource[], knownAt: number, context: FigureContext): (year: number, figure: string) => number | null {
  const cache = new Map<string, Figures>();
  return (year, figure) => {
    const named = measured.filter((source) => figureEntry(source.catalogue, figure) !== undefined);
    for (const source of named.length > 0 ? named : measured) {
      const key = `${year} ${measured.indexOf(source)}`;
      let figures = cache.get(key);
      if (!figures) {
        figures = source.figures(context.read(source.projection), yearPeriod(year), knownAt, context);
        cache.set(key, figures);
      }
      if (Object.hasOwn(figures, figure)) return figures[figure] ?? null;
    }
    return null;
  };
}

interface Measured {
  readonly target: number;
  readonly baseline: number | null;
  readonly actual: number | null;
  readonly attained: number | null;
}

function measure(view: CommitmentView, valueOf: (year: number, figure: string) => number | null): Measured {
  const value = valueOf(view.version.year, view.figure);
  const target = view.version.measure.value;
  if (view.kind === 'at-least') return { target, baseline: null, actual: value, attained: value === null ? null : value >= target ? 1 : 0 };
  const baseline = valueOf(view.version.year - 1, view.baselineFigure);
  // No baseline, a zero baseline or a null figure: no growth can be said (null, never 0).
  const actual = value === null || baseline === null || baseline === 0 ? null : value / baseline - 1;
  return { target, baseline, actual, attained: actual === null ? null : actual >= target ? 1 : 0 };
}

const PARTS = ['target', 'baseline', 'actual', 'attained'] as const;

/** The commitments family over the families it may measure (every other family of KPIS.md). */
export function commitmentsSource(measured: readonly FigureSource[]): FigureSource {
  const figures = (state: CommitmentsState, period: Period, knownAt: number, context: FigureContext): Figures => {
    const result: Figures = {};
    const ofYear = yearFigures(measured, knownAt, context);
    for (const view of commitmentsOf(state, period, knownAt)) {
      const m = measure(view, ofYear);
      for (const part of PARTS) result[`commitments.${view.commitmentId}.${part}`] = m[part];
    }
    return result;
  };
  const explain = (state: CommitmentsState, period: Period, knownAt: number, figure: string, context: FigureContext): Explanation | undefined => {
    const view = commitmentsOf(state, period, knownAt).find((v) => figure.startsWith(`commitments.${v.commitmentId}.`));
    const part = PARTS.find((p) => view && figure === `commitments.${view.commitmentId}.${p}`);
    if (!view || !part) return undefined;
    const set = { kind: 'positions' as const, positions: [view.version.position] };
    const rule = `${RULES[part].en} (commitment ${view.commitmentId}, ${view.kind} ${view.version.measure.value} on ${view.figure}, set at position ${view.version.position})`;
    if (part === 'target' || part === 'attained') return { rule, evidence: set };
    const year = part === 'baseline' ? view.version.year - 1 : view.version.year;
    const id = part === 'baseline' ? view.baselineFigure : view.figure;
    const source = measured.find((s) => id in s.figures(context.read(s.projection), yearPeriod(year), knownAt, context));
    const measuredEvidence = source?.explain?.(context.read(source.projection), yearPeriod(year), knownAt, id, context)?.evidence;
    return { rule, evidence: measuredEvidence ?? set };
  };
  const describe = (state: CommitmentsState, period: Period, knownAt: number): FigureDefinition[] =>
    commitmentsOf(state, period, knownAt).flatMap((view) =>
      PARTS.map((part): FigureDefinition => {
        const label = view.version.label;
        return {
          id: `commitments.${view.commitmentId}.${part}`,
          // The target is the commitment itself ("Objectif"): it carries the committee's label as is.
          label: part === 'target' ? { en: label.en, fr: label.fr } : { en: `${label.en}: ${PART_LABELS[part].en}`, fr: `${label.fr} : ${PART_LABELS[part].fr}` },
          unit: unitOf(view, part),
          counts: part === 'baseline' ? BASELINE_RULES[view.kind] : RULES[part],
          group: GROUPS.commitments,
        };
      }),
    );
  return figureSource(commitmentsProjection, { figures, explain, describe, catalogue: [], alsoReads: projectionsOf(measured) });
}

/**
 * How each part reads: a growth's target and actual are shares (+25 % is 0.25); a baseline is
 * the measured figure itself; an at-least target and actual are in the figure's unit.
 */
function unitOf(view: CommitmentView, part: (typeof PARTS)[number]): FigureUnit {
  const figureUnit: FigureUnit = /share$/.test(view.figure) ? 'share' : 'count';
  if (part === 'attained') return 'count';
  if (part === 'baseline') return figureUnit;
  return view.kind === 'growth-at-least' ? 'share' : figureUnit;
}

const RULES: Record<(typeof PARTS)[number], Labels> = {
  target: {
    en: "the commitment's measure.value (of its CommitmentSet with the highest position known at K)",
    fr: "la valeur (measure.value) de l'engagement, celle de son CommitmentSet de plus haute position connu à K",
  },
  baseline: {
    en: 'growth-at-least: the figure, {year} read as Y - 1, for year Y - 1 as known at K; at-least: null',
    fr: "growth-at-least : le chiffre, {year} lu comme A - 1, pour l'année A - 1 telle que connue à K ; at-least : null",
  },
  actual: {
    en: "the measure's figure for year Y as known at K (growth-at-least: that value / the baseline, minus 1; null without a baseline)",
    fr: "le chiffre mesuré pour l'année A tel que connu à K (growth-at-least : cette valeur divisée par le point de référence, moins 1 ; null sans point de référence)",
  },
  attained: { en: '1 when actual >= target, 0 when not, null when actual is null', fr: "1 si le résultat atteint l'objectif, 0 sinon, null si le résultat est null" },
};

/** A baseline's rule names the measure's kind: the table says "no baseline" only for a growth. */
export const BASELINE_RULES: Record<MeasureKind, Labels> = {
  'growth-at-least': {
    en: 'growth-at-least: the figure, {year} read as Y - 1, for year Y - 1 as known at K',
    fr: "growth-at-least : le chiffre, {year} lu comme A - 1, pour l'année A - 1 telle que connue à K",
  },
  'at-least': { en: 'at-least: none (null); the target is a level, not a growth', fr: "at-least : aucun (null) ; l'objectif est un niveau, non une croissance" },
};

const PART_LABELS: Record<(typeof PARTS)[number], Labels> = {
  target: { en: 'target', fr: 'objectif' },
  baseline: { en: 'baseline', fr: 'point de référence' },
  actual: { en: 'actual', fr: 'résultat' },
  attained: { en: 'attained', fr: 'atteint' },
};

/** A commitment as the dashboard lays it out: what the committee set, from its CommitmentSet known at K. */
export interface CommitmentEntry {
  readonly commitmentId: string;
  readonly year: number;
  readonly lever: Lever;
  readonly label: Labels;
  readonly kind: MeasureKind;
  /** The measured figure for the commitment's year. */
  readonly figure: string;
  readonly target: number;
  /** The CommitmentSet that counts at K: a revision replaces it only from its own position on. */
  readonly setAt: { readonly position: number; readonly eventId: string };
}

/** The commitments of a period as known at K (a log position), in id order: the levers' targets. */
export function commitmentEntries(state: CommitmentsState, period: Period, knownAt: number): CommitmentEntry[] {
  return commitmentsOf(state, period, knownAt).map((view) => ({
    commitmentId: view.commitmentId,
    year: view.version.year,
    lever: view.version.lever,
    label: { en: view.version.label.en, fr: view.version.label.fr },
    kind: view.kind,
    figure: view.figure,
    target: view.version.measure.value,
    setAt: { position: view.version.position, eventId: view.version.eventId },
  }));
}
