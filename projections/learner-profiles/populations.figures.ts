import type { Status } from '@ledger/events';
import { STATUSES } from '@ledger/events';
import type { Explanation } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { periodBounds } from '@ledger/projection-kit';
import type { LearnerProfilesState, Segment } from './learner-profiles.projection';
import { SEGMENTS, statusBit, statusesBefore } from './learner-profiles.projection';
import type { FigureDefinition } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';

/** The learners of each segment in a period (KPIS.md), as known at a position, as learner indexes. */
export function segmentMembers(state: LearnerProfilesState, period: Period, knownAt: number): Record<Segment, Set<number>> {
  const { startMs, endMs } = periodBounds(period);
  const members: Record<Segment, Set<number>> = { 'paid-funded': new Set(), 'employment-program': new Set(), 'employer-funded': new Set() };
  const { facts } = state;
  for (let row = 0; row < facts.length; row++) {
    const segment = state.segment.at(row);
    if (segment === 0) continue;
    const atMs = facts.atMs.at(row);
    if (atMs < startMs || atMs >= endMs || !facts.existsAt(row, knownAt)) continue;
    const name = SEGMENTS[segment - 1];
    if (name !== undefined) members[name].add(facts.learner.at(row));
  }
  return members;
}

/**
 * The populations table (KPIS.md): `populations.<segment>.total` and `.<status>` (null
 * when no learner of the segment was assessed for it: "not collected"),
 * `populations.all.<status>` (the sum of the cells; null when all three are) and
 * `populations.net-distinct`.
 */
export function populationsFigures(state: LearnerProfilesState, period: Period, knownAt: number): Record<string, number | null> {
  const members = segmentMembers(state, period, knownAt);
  const { assessed, held } = statusesBefore(state, periodBounds(period).endMs, knownAt);
  const figures: Record<string, number | null> = {};
  const all: Record<string, number | null> = Object.fromEntries(STATUSES.map((s) => [s, null]));
  const holdingAny = new Set<number>();
  for (const segment of SEGMENTS) {
    let total = 0;
    let assessedInSegment = 0;
    const holders = STATUSES.map(() => 0);
    for (const learner of members[segment]) {
      const a = (assessed[learner] ?? 0);
      const h = (held[learner] ?? 0);
      if (a !== 0) total += 1;
      if (h !== 0) holdingAny.add(learner);
      assessedInSegment |= a;
      STATUSES.forEach((status, i) => {
        if (h & statusBit(status)) holders[i] = (holders[i] ?? 0) + 1;
      });
    }
    figures[`populations.${segment}.total`] = total;
    STATUSES.forEach((status, i) => {
      const cell = assessedInSegment & statusBit(status) ? (holders[i] ?? 0) : null;
      figures[`populations.${segment}.${status}`] = cell;
      if (cell !== null) all[status] = (all[status] ?? 0) + cell;
    });
  }
  for (const status of STATUSES) figures[`populations.all.${status}`] = all[status] ?? null;
  figures['populations.net-distinct'] = holdingAny.size;
  return figures;
}

/** The positions of the existing rows before `endMs` of these learners that `keep` keeps. */
export function rowPositions(
  state: LearnerProfilesState,
  learners: ReadonlySet<number>,
  endMs: number,
  knownAt: number,
  keep: (row: number) => boolean,
): number[] {
  const positions: number[] = [];
  const { facts } = state;
  for (let row = 0; row < facts.length; row++) {
    if (!learners.has(facts.learner.at(row)) || facts.atMs.at(row) >= endMs || !facts.existsAt(row, knownAt) || !keep(row)) continue;
    positions.push(facts.position.at(row));
  }
  return positions;
}

/**
 * Provenance: for each learner counted, the events of the period that put them in the
 * segment and the events before its end that assessed (for a total) or found held (for a
 * status) what they are counted for. A "not collected" cell has no events.
 */
export function explainPopulations(state: LearnerProfilesState, period: Period, knownAt: number, figure: string): Explanation | undefined {
  const match = /^populations\.(?:(net-distinct)|([a-z-]+)\.([a-z-]+))$/.exec(figure);
  if (!match) return undefined;
  const members = segmentMembers(state, period, knownAt);
  const { startMs, endMs } = periodBounds(period);
  const { assessed, held } = statusesBefore(state, endMs, knownAt);
  const [, netDistinct, group, measure] = match;
  const segments: readonly Segment[] = netDistinct || group === 'all' ? SEGMENTS : SEGMENTS.filter((s) => s === group);
  const status = STATUSES.find((s) => s === measure);
  if (measure !== undefined && measure !== 'total' && status === undefined) return undefined;
  const bit = status === undefined ? 0 : statusBit(status);
  // A learner counts for a total when assessed for anything, for a status when holding it, for net-distinct when holding any.
  const counts = (learner: number) => (bit === 0 ? (netDistinct ? (held[learner] ?? 0) : (assessed[learner] ?? 0)) !== 0 : ((held[learner] ?? 0) & bit) !== 0);
  const counted = new Set<number>();
  for (const segment of segments) for (const learner of members[segment]) if (counts(learner)) counted.add(learner);
  const segmentRows = rowPositions(state, counted, endMs, knownAt, (row) => {
    const segment = state.segment.at(row);
    const name = SEGMENTS[segment - 1];
    return name !== undefined && segments.includes(name) && state.facts.atMs.at(row) >= startMs;
  });
  const statusRows = rowPositions(state, counted, endMs, knownAt, (row) =>
    bit === 0 ? (netDistinct ? state.held.at(row) : state.assessed.at(row)) !== 0 : (state.held.at(row) & bit) !== 0,
  );
  const what = bit === 0 ? (netDistinct ? 'holding at least one status' : 'assessed for at least one status') : `holding ${measure}`;
  const where = netDistinct || group === 'all' ? 'at least one segment' : `segment ${group}`;
  return {
    rule: `learners in ${where} in the period (FundingGranted or LearnerAdmitted), ${what} by the events before its end`,
    evidence: { kind: 'positions', positions: [...segmentRows, ...statusRows] },
  };
}

/** The table's words for its rows and columns (its row and column headers, in English as the CLI table prints them). */
export const SEGMENT_LABELS: Record<Segment, { en: string; fr: string }> = {
  'paid-funded': { en: 'Paid path, funded', fr: 'Parcours payant, financés' },
  'employment-program': { en: 'Employment program', fr: "Programme pour l'emploi" },
  'employer-funded': { en: 'Employer-funded', fr: "Financés par l'employeur" },
};
export const STATUS_LABELS: Record<Status, { en: string; fr: string }> = {
  'job-seeker': { en: 'Job seekers', fr: "Demandeurs d'emploi" },
  'low-qualified': { en: 'Low-qualified', fr: 'Personnes peu qualifiées' },
  'qpv-resident': { en: 'QPV residents', fr: 'Personnes vivant en QPV' },
  disability: { en: 'Disability', fr: 'En situation de handicap' },
  refugee: { en: 'Refugees', fr: 'Réfugiés' },
};
const LEARNERS = {
  en: 'learners in {where} in the period (FundingGranted or LearnerAdmitted), {what} by the events before its end',
  fr: 'apprenants {where} sur la période (FundingGranted ou LearnerAdmitted), {what} par les événements antérieurs à sa fin',
};
const rule = (where: { en: string; fr: string }, what: { en: string; fr: string }) => ({
  en: LEARNERS.en.replace('{where}', where.en).replace('{what}', what.en),
  fr: LEARNERS.fr.replace('{where}', where.fr).replace('{what}', what.fr),
});
const IN_ANY_SEGMENT = { en: 'at least one segment', fr: "d'au moins un segment" };
const inSegment = (segment: string) => ({ en: `segment ${segment}`, fr: `du segment ${segment}` });
const holding = (status: string) => ({ en: `holding ${status}`, fr: `ayant le statut ${status}` });

/** The populations table: a total and a cell per status for each segment, the totals of the cells, the net total. */
export const populationsCatalogue: readonly FigureDefinition[] = [
  ...SEGMENTS.flatMap((segment): FigureDefinition[] => [
    {
      id: `populations.${segment}.total`,
      label: { en: `${SEGMENT_LABELS[segment].en}, Total`, fr: `${SEGMENT_LABELS[segment].fr}, total` },
      unit: 'count',
      counts: rule(inSegment(segment), { en: 'assessed for at least one status', fr: 'interrogés sur au moins un statut' }),
      group: GROUPS.populations,
    },
    ...STATUSES.map(
      (status): FigureDefinition => ({
        id: `populations.${segment}.${status}`,
        label: { en: `${SEGMENT_LABELS[segment].en}, ${STATUS_LABELS[status].en}`, fr: `${SEGMENT_LABELS[segment].fr}, ${STATUS_LABELS[status].fr}` },
        unit: 'count',
        counts: rule(inSegment(segment), holding(status)),
        group: GROUPS.populations,
      }),
    ),
  ]),
  ...STATUSES.map(
    (status): FigureDefinition => ({
      id: `populations.all.${status}`,
      label: { en: `TOTAL, ${STATUS_LABELS[status].en}`, fr: `TOTAL, ${STATUS_LABELS[status].fr}` },
      unit: 'count',
      counts: rule(IN_ANY_SEGMENT, holding(status)),
      group: GROUPS.populations,
    }),
  ),
  {
    id: 'populations.net-distinct',
    label: { en: 'Net total (each learner once)', fr: 'Total net (en excluant les doublons)' },
    unit: 'count',
    counts: rule(IN_ANY_SEGMENT, { en: 'holding at least one status', fr: 'ayant au moins un statut' }),
    group: GROUPS.populations,
  },
];
