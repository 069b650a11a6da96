import type { Explanation, FigureDefinition, Period } from '@ledger/projection-kit';
import { periodBounds } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';
import type { LearnerProfilesState } from '../learner-profiles/learner-profiles.projection';
import { SEGMENTS, statusesBefore } from '../learner-profiles/learner-profiles.projection';
import { rowPositions, SEGMENT_LABELS, segmentMembers } from '../learner-profiles/populations.figures';

/**
 * KPIS.md version 2 "Data coverage" ("Données disponibles"): how many learners of each segment
 * there are, whatever was assessed, and the share of them whose statuses were asked about at
 * all. A family over the learner profiles read model: the same segments, the same statuses.
 */
export function dataCoverageFigures(state: LearnerProfilesState, period: Period, knownAt: number): Record<string, number | null> {
  const members = segmentMembers(state, period, knownAt);
  const { assessed } = statusesBefore(state, periodBounds(period).endMs, knownAt);
  const figures: Record<string, number | null> = {};
  for (const segment of SEGMENTS) {
    const all = members[segment];
    let total = 0;
    for (const learner of all) if ((assessed[learner] ?? 0) !== 0) total += 1;
    figures[`populations.${segment}.members`] = all.size;
    // An exact ratio of two integers; null when the segment is empty.
    figures[`populations.${segment}.assessed-share`] = all.size === 0 ? null : total / all.size;
  }
  return figures;
}

/** Provenance: the events of the period that put each member in the segment (and, for the share, those that assessed them). */
export function explainDataCoverage(state: LearnerProfilesState, period: Period, knownAt: number, figure: string): Explanation | undefined {
  const match = /^populations\.([a-z-]+)\.(members|assessed-share)$/.exec(figure);
  const segment = SEGMENTS.find((s) => s === match?.[1]);
  const definition = dataCoverageCatalogue.find((d) => d.id === figure);
  if (!match || segment === undefined || !definition) return undefined;
  const { startMs, endMs } = periodBounds(period);
  const learners = segmentMembers(state, period, knownAt)[segment];
  const index = SEGMENTS.indexOf(segment) + 1;
  const positions = rowPositions(state, learners, endMs, knownAt, (row) =>
    (state.segment.at(row) === index && state.facts.atMs.at(row) >= startMs) || (match[2] === 'assessed-share' && state.assessed.at(row) !== 0),
  );
  return { rule: definition.counts.en, evidence: { kind: 'positions', positions } };
}

export const dataCoverageCatalogue: readonly FigureDefinition[] = SEGMENTS.flatMap((segment): FigureDefinition[] => [
  {
    id: `populations.${segment}.members`,
    label: { en: `${SEGMENT_LABELS[segment].en}, members`, fr: `${SEGMENT_LABELS[segment].fr}, effectif` },
    unit: 'count',
    counts: { en: `learners in segment ${segment} in the period (FundingGranted or LearnerAdmitted), whatever was assessed`, fr: `apprenants du segment ${segment} sur la période (FundingGranted ou LearnerAdmitted), quels que soient les statuts renseignés` },
    group: GROUPS.coverage,
  },
  {
    id: `populations.${segment}.assessed-share`,
    label: { en: `${SEGMENT_LABELS[segment].en}, statuses asked`, fr: `${SEGMENT_LABELS[segment].fr}, statuts renseignés` },
    unit: 'share',
    counts: {
      en: `populations.${segment}.total / populations.${segment}.members: members assessed for at least one status before the period's end; null when no member`,
      fr: `populations.${segment}.total / populations.${segment}.members : membres interrogés sur au moins un statut avant la fin de la période ; null sans membre`,
    },
    group: GROUPS.coverage,
  },
]);
