import type { PathEndReason } from '@ledger/events';
import { PATH_END_REASONS } from '@ledger/events';
import type { DailyCounts } from '@ledger/projection-kit';
import { addToDay, sumOverPeriod } from '@ledger/projection-kit';
import type { Explanation } from '@ledger/projection-kit';
import { eventsInPeriod } from '@ledger/projection-kit';
import type { DisplayGroup, FigureDefinition } from '@ledger/projection-kit';
import type { FigureSource } from '@ledger/projection-kit';
import { figureSource } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { inPeriod, utcDayOf } from '@ledger/projection-kit';
import type { EventOf } from '@ledger/projection-kit';
import { defineProjection, plainJson } from '@ledger/projection-kit';

/*
 * The worked example of docs/adding-a-projection.md. It is not a KPI of KPIS.md, so it is
 * compiled and tested but not registered in projections/figures.ts: no report shows it.
 */

/**
 * `graduations.paths-ended.<reason>`: PathEnded events in the period per reason, and
 * `graduations.graduates`: distinct learners with a `graduated` PathEnded in the period.
 */
export interface GraduationsState {
  /** PathEnded events by UTC day and reason: days times two reasons, whatever the log. */
  readonly pathsEnded: DailyCounts<PathEndReason>;
  /**
   * The learners who graduated on each UTC day (day -> learner id -> true). A count per day
   * could not be summed over a period (a learner graduating on two days would count twice),
   * nor taken back (it cannot tell whether the learner still graduated that day).
   */
  readonly graduates: Record<string, Record<string, true>>;
}

/** Whether an event is a `graduated` PathEnded on that UTC day. */
function graduatedOn(event: EventOf<'PathEnded'>, day: string): boolean {
  return event.data.reason === 'graduated' && utcDayOf(event.occurredAt) === day;
}

export const graduationsProjection = defineProjection({
  name: 'graduations',
  // Bump on any change to evolve, retract or the state's shape: the stored state is then
  // thrown away and built again from position 0.
  version: 1,
  // Only PathEnded is read from the log, and `evolve` is given only PathEnded events (its
  // type comes from this list). EventRetracted is not listed: with `retract`, the runtime
  // resolves retractions itself.
  handles: ['PathEnded'],
  // Snapshotted, not bitemporal: the runtime hands the figures the state as known at the moment asked.
  bitemporal: false,
  // The state is plain JSON: stored as it is.
  ...plainJson<GraduationsState>(),
  initialState: (): GraduationsState => ({ pathsEnded: {}, graduates: {} }),

  evolve(state, event): GraduationsState {
    const day = utcDayOf(event.occurredAt);
    addToDay(state.pathsEnded, day, event.data.reason, 1);
    if (event.data.reason === 'graduated') (state.graduates[day] ??= {})[event.learnerId] = true;
    return state;
  },

  retraction: {
    kind: 'retract',
    // History on retract: the learner's other PathEnded events that still exist.
    history: ['PathEnded'],
    retract(state: GraduationsState, retracted, _retraction, history): GraduationsState {
      const day = utcDayOf(retracted.occurredAt);
      // A counter takes an event back by subtracting it: the retracted event says where.
      addToDay(state.pathsEnded, day, retracted.data.reason, -1);
      // A set member stays while another of its events exists: the learner may have
      // graduated twice that day (two admissions), and one retraction leaves the other.
      if (retracted.data.reason === 'graduated' && !history.some((e) => graduatedOn(e, day))) {
        delete state.graduates[day]?.[retracted.learnerId];
      }
      return state;
    },
  },
});

/**
 * The figures for a period. The state is not bitemporal: the runtime hands over the state
 * as known at the moment asked, so `knownAt` is not needed here.
 */
export function graduationsFigures(state: GraduationsState, period: Period): Record<string, number> {
  const byReason = sumOverPeriod(state.pathsEnded, PATH_END_REASONS, period);
  const graduates = new Set<string>();
  for (const [day, learners] of Object.entries(state.graduates)) {
    if (inPeriod(day, period)) for (const learner of Object.keys(learners)) graduates.add(learner);
  }
  const figures: Record<string, number> = { 'graduations.graduates': graduates.size };
  for (const reason of PATH_END_REASONS) figures[`graduations.paths-ended.${reason}`] = byReason.of(reason);
  return figures;
}

/**
 * Provenance (`ledger explain`): the existing PathEnded events of the period behind a
 * figure. The state keeps no positions, so the events are found by a scan of the log.
 */
export function explainGraduations(_state: GraduationsState, period: Period, _knownAt: number, figure: string): Explanation | undefined {
  const ended = (reason: string) => eventsInPeriod(['PathEnded'], period, (e) => e.type === 'PathEnded' && e.data.reason === reason);
  if (figure === 'graduations.graduates') return { rule: 'distinct learners with a PathEnded of reason graduated in the period', evidence: ended('graduated') };
  const reason = /^graduations\.paths-ended\.(.+)$/.exec(figure)?.[1];
  return reason === undefined ? undefined : { rule: `PathEnded events of reason ${reason} in the period`, evidence: ended(reason) };
}

/** Where the graduations figures are shown: a section of their own in the table and on the dashboard. */
const GRADUATIONS: DisplayGroup = { id: 'graduations', title: { en: 'Graduations', fr: 'Fins de parcours' } };

/**
 * The catalogue of the family: each figure id with its labels, unit, what it counts (the
 * rule `ledger explain` gives) and its display group. Reports, the table and CSV, the API
 * and the dashboard all read it: nothing else names these ids.
 */
export const graduationsCatalogue: readonly FigureDefinition[] = [
  {
    id: 'graduations.graduates',
    label: { en: 'graduates', fr: 'diplômés' },
    unit: 'count',
    counts: { en: 'distinct learners with a PathEnded of reason graduated in the period', fr: 'apprenants distincts ayant un PathEnded de motif graduated sur la période' },
    group: GRADUATIONS,
  },
  ...PATH_END_REASONS.map((reason): FigureDefinition => ({
    id: `graduations.paths-ended.${reason}`,
    label: { en: `paths ended, ${reason}`, fr: `parcours terminés, ${reason === 'graduated' ? 'diplômés' : 'abandons'}` },
    unit: 'count',
    counts: { en: `PathEnded events of reason ${reason} in the period`, fr: `événements PathEnded de motif ${reason} sur la période` },
    group: GRADUATIONS,
  })),
];

/**
 * The figure source the registration line in projections/figures.ts would build: built
 * here so the compiler checks that projection, figures and catalogue fit, and registered
 * by the test that shows a new KPI appears everywhere (test/e2e/new-kpi.e2e.spec.ts).
 */
export const graduationsSource: FigureSource = figureSource(graduationsProjection, {
  figures: graduationsFigures,
  explain: explainGraduations,
  catalogue: graduationsCatalogue,
});
