import type { Motivation } from '@ledger/events';
import { MOTIVATIONS } from '@ledger/events';
import type { DailyCounts } from '@ledger/projection-kit';
import { addToDay, sumOverPeriod } from '@ledger/projection-kit';
import type { Explanation } from '@ledger/projection-kit';
import { eventsInPeriod } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { utcDayOf } from '@ledger/projection-kit';
import type { EventOf } from '@ledger/projection-kit';
import { defineProjection, plainJson } from '@ledger/projection-kit';
import type { FigureDefinition } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';

/** Signup survey answers counted by UTC day and motivation (KPIS.md `survey.*`). */
export interface SurveyState {
  readonly byDay: DailyCounts<Motivation>;
}

function count(state: SurveyState, event: EventOf<'SignupSurveyAnswered'>, delta: 1 | -1): SurveyState {
  addToDay(state.byDay, utcDayOf(event.occurredAt), event.data.motivation, delta);
  return state;
}

export const surveyProjection = defineProjection({
  name: 'survey',
  version: 2,
  handles: ['SignupSurveyAnswered'],
  retraction: { kind: 'retract', retract: (state: SurveyState, retracted) => count(state, retracted, -1) },
  bitemporal: false,
  ...plainJson<SurveyState>(),
  initialState: (): SurveyState => ({ byDay: {} }),
  evolve: (state, event) => count(state, event, 1),
});

/** `survey.responses` and `survey.motivation.<motivation>` for a period. */
export function surveyFigures(state: SurveyState, period: Period): Record<string, number> {
  const byMotivation = sumOverPeriod(state.byDay, MOTIVATIONS, period);
  const figures: Record<string, number> = { 'survey.responses': MOTIVATIONS.reduce((sum, m) => sum + byMotivation.of(m), 0) };
  for (const m of MOTIVATIONS) figures[`survey.motivation.${m}`] = byMotivation.of(m);
  return figures;
}

/**
 * Provenance: the existing signup survey answers of the period (of one motivation for
 * `survey.motivation.*`), with their count from the read model (one per answer).
 */
export function explainSurvey(state: SurveyState, period: Period, _knownAt: number, figure: string): Explanation | undefined {
  // The count each figure has: the read model counts one per answer.
  const figures = surveyFigures(state, period);
  if (figure === 'survey.responses') {
    return { rule: 'SignupSurveyAnswered events that occurred in the period', evidence: eventsInPeriod(['SignupSurveyAnswered'], period, undefined, figures[figure]) };
  }
  const motivation = MOTIVATIONS.find((m) => figure === `survey.motivation.${m}`);
  if (motivation === undefined) return undefined;
  return {
    rule: `SignupSurveyAnswered events that occurred in the period with motivation ${motivation}`,
    evidence: eventsInPeriod(['SignupSurveyAnswered'], period, (e) => e.type === 'SignupSurveyAnswered' && e.data.motivation === motivation, figures[figure]),
  };
}

/** The survey figures: responses, and responses per motivation. */
export const surveyCatalogue: readonly FigureDefinition[] = [
  { id: 'survey.responses', label: { en: 'responses', fr: "Réponses au questionnaire d'inscription" }, unit: 'count', counts: { en: 'SignupSurveyAnswered events that occurred in the period', fr: 'événements SignupSurveyAnswered survenus sur la période' }, group: GROUPS.survey },
  ...MOTIVATIONS.map(
    (motivation): FigureDefinition => ({
      id: `survey.motivation.${motivation}`,
      label: { en: motivation, fr: `Motivation, ${motivation}` },
      unit: 'count',
      counts: { en: `SignupSurveyAnswered events that occurred in the period with motivation ${motivation}`, fr: `événements SignupSurveyAnswered survenus sur la période, motivation ${motivation}` },
      group: GROUPS.survey,
      partOf: 'survey.responses',
    }),
  ),
];
