import type { Motivation, RecordedEvent } from '@ledger/events';
import { MOTIVATIONS } from '@ledger/events';
import type { DailyCounts } from '@ledger/projection-kit';
import { addToDay, sumOverPeriod } from '@ledger/projection-kit';
import type { Explanation } from '@ledger/projection-kit';
import { eventsInPeriod } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { utcDayOf } from '@ledger/projection-kit';
import type { Projection } from '@ledger/projection-kit';

/** Signup survey answers counted by UTC day and motivation (KPIS.md `survey.*`). */
export interface SurveyState {
  readonly byDay: DailyCounts<Motivation>;
}

function count(state: SurveyState, event: RecordedEvent, delta: 1 | -1): SurveyState {
  if (event.type === 'SignupSurveyAnswered') addToDay(state.byDay, utcDayOf(event.occurredAt), event.data.motivation, delta);
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
  const byMotivation = sumOverPeriod(state.byDay, MOTIVATIONS, period);
  const figures: Record<string, number> = { 'survey.responses': MOTIVATIONS.reduce((sum, m) => sum + byMotivation[m], 0) };
  for (const m of MOTIVATIONS) figures[`survey.motivation.${m}`] = byMotivation[m];
  return figures;
}

/** Provenance: the existing signup survey answers of the period (of one motivation for `survey.motivation.*`). */
export function explainSurvey(_state: SurveyState, period: Period, _knownAt: number, figure: string): Explanation | undefined {
  if (figure === 'survey.responses') return { rule: 'SignupSurveyAnswered events that occurred in the period', evidence: eventsInPeriod(['SignupSurveyAnswered'], period) };
  const motivation = /^survey\.motivation\.(.+)$/.exec(figure)?.[1];
  if (motivation === undefined) return undefined;
  return {
    rule: `SignupSurveyAnswered events that occurred in the period with motivation ${motivation}`,
    evidence: eventsInPeriod(['SignupSurveyAnswered'], period, (e) => e.type === 'SignupSurveyAnswered' && e.data.motivation === motivation),
  };
}
