import type { Theme } from '@ledger/events';
import { THEMES } from '@ledger/events';
import type { DailyCounts } from '@ledger/projection-kit';
import { addToDay, sumOverPeriod } from '@ledger/projection-kit';
import type { Explanation } from '@ledger/projection-kit';
import { eventsInPeriod } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { monthsOf, utcDayOf } from '@ledger/projection-kit';
import type { EventOf } from '@ledger/projection-kit';
import { defineProjection, plainJson } from '@ledger/projection-kit';
import type { FigureDefinition } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';

type Counted = Theme | 'certificates';
const KEYS: readonly Counted[] = [...THEMES, 'certificates'];

/** Courses started by theme and certificates earned, by UTC day (KPIS.md key figures). */
export interface CoursesAndCertificatesState {
  readonly byDay: DailyCounts<Counted>;
}

function count(state: CoursesAndCertificatesState, event: EventOf<'CourseStarted' | 'CertificateEarned'>, delta: 1 | -1): CoursesAndCertificatesState {
  if (event.type === 'CourseStarted') addToDay(state.byDay, utcDayOf(event.occurredAt), event.data.theme, delta);
  else if (event.type === 'CertificateEarned') addToDay(state.byDay, utcDayOf(event.occurredAt), 'certificates', delta);
  return state;
}

export const coursesAndCertificatesProjection = defineProjection({
  name: 'courses-and-certificates',
  version: 1,
  handles: ['CourseStarted', 'CertificateEarned'],
  retraction: { kind: 'retract', retract: (state: CoursesAndCertificatesState, retracted) => count(state, retracted, -1) },
  bitemporal: false,
  ...plainJson<CoursesAndCertificatesState>(),
  initialState: (): CoursesAndCertificatesState => ({ byDay: {} }),
  evolve: (state, event) => count(state, event, 1),
});

/**
 * `key.certificates`, `key.courses-started`, `key.courses-started.<theme>` and
 * `key.courses-started.monthly-avg` (the total over the number of months of the period,
 * exact; null when the period holds no first day of a month).
 */
export function coursesAndCertificatesFigures(state: CoursesAndCertificatesState, period: Period): Record<string, number | null> {
  const totals = sumOverPeriod(state.byDay, KEYS, period);
  const started = THEMES.reduce((sum, theme) => sum + totals.of(theme), 0);
  const months = monthsOf(period).length;
  const figures: Record<string, number | null> = {
    'key.certificates': totals.of('certificates'),
    'key.courses-started': started,
    'key.courses-started.monthly-avg': months === 0 ? null : started / months,
  };
  for (const theme of THEMES) figures[`key.courses-started.${theme}`] = totals.of(theme);
  return figures;
}

/**
 * Provenance: the existing certificates or course starts of the period (of one theme for
 * `key.courses-started.<theme>`), with their count from the read model (one per event).
 */
export function explainCoursesAndCertificates(state: CoursesAndCertificatesState, period: Period, _knownAt: number, figure: string): Explanation | undefined {
  // The count of the events each figure stands on: the read model counts one per event.
  const figures = coursesAndCertificatesFigures(state, period);
  const started = figures['key.courses-started'] ?? 0;
  if (figure === 'key.certificates') {
    return { rule: 'CertificateEarned events that occurred in the period', evidence: eventsInPeriod(['CertificateEarned'], period, undefined, figures[figure] ?? 0) };
  }
  if (figure === 'key.courses-started') return { rule: 'CourseStarted events that occurred in the period', evidence: eventsInPeriod(['CourseStarted'], period, undefined, started) };
  if (figure === 'key.courses-started.monthly-avg') {
    return { rule: 'CourseStarted events that occurred in the period, divided by its number of months', evidence: eventsInPeriod(['CourseStarted'], period, undefined, started) };
  }
  const theme = THEMES.find((t) => figure === `key.courses-started.${t}`);
  if (theme === undefined) return undefined;
  return {
    rule: `CourseStarted events that occurred in the period with theme ${theme}`,
    evidence: eventsInPeriod(['CourseStarted'], period, (e) => e.type === 'CourseStarted' && e.data.theme === theme, figures[figure] ?? 0),
  };
}

/** The key figures of courses and certificates. */
export const coursesAndCertificatesCatalogue: readonly FigureDefinition[] = [
  { id: 'key.certificates', label: { en: 'certificates', fr: 'Certificats obtenus' }, unit: 'count', counts: { en: 'CertificateEarned events that occurred in the period', fr: 'événements CertificateEarned survenus sur la période' }, group: GROUPS.key },
  { id: 'key.courses-started', label: { en: 'courses started', fr: 'Cours débutés' }, unit: 'count', counts: { en: 'CourseStarted events that occurred in the period', fr: 'événements CourseStarted survenus sur la période' }, group: GROUPS.key },
  {
    id: 'key.courses-started.monthly-avg',
    label: { en: 'courses started, monthly average', fr: 'Cours débutés chaque mois (moyenne)' },
    unit: 'average',
    counts: { en: 'CourseStarted events that occurred in the period, divided by its number of months', fr: 'événements CourseStarted survenus sur la période, divisés par son nombre de mois' },
    group: GROUPS.key,
  },
  ...THEMES.map(
    (theme): FigureDefinition => ({
      id: `key.courses-started.${theme}`,
      label: { en: theme, fr: `Cours débutés, ${theme}` },
      unit: 'count',
      counts: { en: `CourseStarted events that occurred in the period with theme ${theme}`, fr: `événements CourseStarted survenus sur la période, thème ${theme}` },
      group: GROUPS.key,
      partOf: 'key.courses-started',
    }),
  ),
];
