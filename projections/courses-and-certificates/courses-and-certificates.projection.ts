import type { RecordedEvent, Theme } from '@ledger/events';
import { THEMES } from '@ledger/events';
import type { DailyCounts } from '@ledger/projection-kit';
import { addToDay, sumOverPeriod } from '@ledger/projection-kit';
import type { Explanation } from '@ledger/projection-kit';
import { eventsInPeriod } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { monthsOf, utcDayOf } from '@ledger/projection-kit';
import type { Projection } from '@ledger/projection-kit';

type Counted = Theme | 'certificates';
const KEYS: readonly Counted[] = [...THEMES, 'certificates'];

/** Courses started by theme and certificates earned, by UTC day (KPIS.md key figures). */
export interface CoursesAndCertificatesState {
  readonly byDay: DailyCounts<Counted>;
}

function count(state: CoursesAndCertificatesState, event: RecordedEvent, delta: 1 | -1): CoursesAndCertificatesState {
  if (event.type === 'CourseStarted') addToDay(state.byDay, utcDayOf(event.occurredAt), event.data.theme, delta);
  else if (event.type === 'CertificateEarned') addToDay(state.byDay, utcDayOf(event.occurredAt), 'certificates', delta);
  return state;
}

export const coursesAndCertificatesProjection: Projection<CoursesAndCertificatesState> = {
  name: 'courses-and-certificates',
  version: 1,
  handles: ['CourseStarted', 'CertificateEarned'],
  initialState: () => ({ byDay: {} }),
  evolve: (state, event) => count(state, event, 1),
  retract: (state, retracted) => count(state, retracted, -1),
};

/**
 * `key.certificates`, `key.courses-started`, `key.courses-started.<theme>` and
 * `key.courses-started.monthly-avg` (the total over the number of months of the period,
 * exact; null when the period holds no first day of a month).
 */
export function coursesAndCertificatesFigures(state: CoursesAndCertificatesState, period: Period): Record<string, number | null> {
  const totals = sumOverPeriod(state.byDay, KEYS, period);
  const started = THEMES.reduce((sum, theme) => sum + totals[theme], 0);
  const months = monthsOf(period).length;
  const figures: Record<string, number | null> = {
    'key.certificates': totals.certificates,
    'key.courses-started': started,
    'key.courses-started.monthly-avg': months === 0 ? null : started / months,
  };
  for (const theme of THEMES) figures[`key.courses-started.${theme}`] = totals[theme];
  return figures;
}

/** Provenance: the existing certificates or course starts of the period (of one theme for `key.courses-started.<theme>`). */
export function explainCoursesAndCertificates(_state: CoursesAndCertificatesState, period: Period, _knownAt: number, figure: string): Explanation | undefined {
  if (figure === 'key.certificates') return { rule: 'CertificateEarned events that occurred in the period', evidence: eventsInPeriod(['CertificateEarned'], period) };
  if (figure === 'key.courses-started') return { rule: 'CourseStarted events that occurred in the period', evidence: eventsInPeriod(['CourseStarted'], period) };
  if (figure === 'key.courses-started.monthly-avg') {
    return { rule: 'CourseStarted events that occurred in the period, divided by its number of months', evidence: eventsInPeriod(['CourseStarted'], period) };
  }
  const theme = /^key\.courses-started\.(.+)$/.exec(figure)?.[1];
  if (theme === undefined) return undefined;
  return {
    rule: `CourseStarted events that occurred in the period with theme ${theme}`,
    evidence: eventsInPeriod(['CourseStarted'], period, (e) => e.type === 'CourseStarted' && e.data.theme === theme),
  };
}
