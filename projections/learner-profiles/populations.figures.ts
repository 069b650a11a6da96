import { STATUSES } from '../../libs/events/src/catalog';
import type { Period } from '../../libs/projections/src/period';
import { periodBounds } from '../../libs/projections/src/period';
import type { LearnerProfilesState, Segment } from './learner-profiles.projection';
import { SEGMENTS, statusBit, statusesBefore } from './learner-profiles.projection';

/** The learners of each segment in a period (KPIS.md), as known at a position, as learner indexes. */
export function segmentMembers(state: LearnerProfilesState, period: Period, knownAt: number): Record<Segment, Set<number>> {
  const { startMs, endMs } = periodBounds(period);
  const members = Object.fromEntries(SEGMENTS.map((s) => [s, new Set<number>()])) as Record<Segment, Set<number>>;
  const { facts } = state;
  for (let row = 0; row < facts.length; row++) {
    const segment = state.segment.at(row);
    if (segment === 0) continue;
    const atMs = facts.atMs.at(row);
    if (atMs < startMs || atMs >= endMs || !facts.existsAt(row, knownAt)) continue;
    members[SEGMENTS[segment - 1] as Segment].add(facts.learner.at(row));
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
      const a = assessed[learner] as number;
      const h = held[learner] as number;
      if (a !== 0) total += 1;
      if (h !== 0) holdingAny.add(learner);
      assessedInSegment |= a;
      STATUSES.forEach((status, i) => {
        if (h & statusBit(status)) holders[i] = (holders[i] as number) + 1;
      });
    }
    figures[`populations.${segment}.total`] = total;
    STATUSES.forEach((status, i) => {
      const cell = assessedInSegment & statusBit(status) ? (holders[i] as number) : null;
      figures[`populations.${segment}.${status}`] = cell;
      if (cell !== null) all[status] = (all[status] ?? 0) + cell;
    });
  }
  for (const status of STATUSES) figures[`populations.all.${status}`] = all[status] ?? null;
  figures['populations.net-distinct'] = holdingAny.size;
  return figures;
}
