import type { Motivation, RecordedEvent } from '../../libs/events/src/catalog';
import { MOTIVATIONS } from '../../libs/events/src/catalog';
import type { Period } from '../../libs/projections/src/period';
import { inPeriod, utcDayOf } from '../../libs/projections/src/period';
import type { Projection } from '../../libs/projections/src/projection';

/** Signup survey answers counted by UTC day and motivation (KPIS.md `survey.*`). */
export interface SurveyState {
  readonly byDay: Record<string, Partial<Record<Motivation, number>>>;
}

function count(state: SurveyState, event: RecordedEvent, delta: 1 | -1): SurveyState {
  if (event.type !== 'SignupSurveyAnswered') return state;
  const counts = (state.byDay[utcDayOf(event.occurredAt)] ??= {});
  counts[event.data.motivation] = (counts[event.data.motivation] ?? 0) + delta;
  return state;
}

export const surveyProjection: Projection<SurveyState> = {
  name: 'survey',
  version: 2,
  handles: ['SignupSurveyAnswered'],
  initialState: () => ({ byDay: {} }),
  evolve: (state, event) => count(state, event, 1),
  retract: (state, retracted) => count(state, retracted, -1),
};

/** `survey.responses` and `survey.motivation.<motivation>` for a period. */
export function surveyFigures(state: SurveyState, period: Period): Record<string, number> {
  const byMotivation = Object.fromEntries(MOTIVATIONS.map((m) => [m, 0])) as Record<Motivation, number>;
  for (const [day, counts] of Object.entries(state.byDay)) {
    if (!inPeriod(day, period)) continue;
    for (const m of MOTIVATIONS) byMotivation[m] += counts[m] ?? 0;
  }
  const figures: Record<string, number> = { 'survey.responses': MOTIVATIONS.reduce((sum, m) => sum + byMotivation[m], 0) };
  for (const m of MOTIVATIONS) figures[`survey.motivation.${m}`] = byMotivation[m];
  return figures;
}
