import type { Motivation, RecordedEvent } from '../../libs/events/src/catalog';
import { MOTIVATIONS } from '../../libs/events/src/catalog';
import type { Period } from '../../libs/projections/src/period';
import { inPeriod, utcDayOf } from '../../libs/projections/src/period';
import type { Projection } from '../../libs/projections/src/projection';

/** Signup survey answers counted by UTC day and motivation (KPIS.md `survey.*`). */
export interface SurveyState {
  readonly byDay: Record<string, Partial<Record<Motivation, number>>>;
  /** Each counted answer, by event id, with where it was counted: what a retraction takes back. */
  readonly counted: Record<string, readonly [day: string, motivation: Motivation]>;
}

export const surveyProjection: Projection<SurveyState> = {
  name: 'survey',
  version: 1,
  handles: ['SignupSurveyAnswered', 'EventRetracted'],
  initialState: () => ({ byDay: {}, counted: {} }),
  evolve(state, event: RecordedEvent): SurveyState {
    switch (event.type) {
      case 'SignupSurveyAnswered': {
        const day = utcDayOf(event.occurredAt);
        const counts = (state.byDay[day] ??= {});
        counts[event.data.motivation] = (counts[event.data.motivation] ?? 0) + 1;
        state.counted[event.eventId] = [day, event.data.motivation];
        return state;
      }
      case 'EventRetracted': {
        const counted = state.counted[event.data.retractedEventId];
        if (!counted) return state;
        const [day, motivation] = counted;
        const counts = state.byDay[day];
        if (counts) counts[motivation] = (counts[motivation] ?? 1) - 1;
        delete state.counted[event.data.retractedEventId];
        return state;
      }
      default:
        return state;
    }
  },
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
