/** How one outcome declaration is drawn: its evidence, when it is recorded, and the free users who make them. */
import type { Outcome } from '@ledger/events';
import { MOTIVATIONS } from '@ledger/events';
import { FREE_COUNTRY_WEIGHTS, GENDERS_PATH, GENDER_WEIGHTS_DECLARANT, MOTIVATION_WEIGHTS_DECLARANT } from './demo-plan-catalog';
import type { PlanContext } from './demo-plan-context';
import { AFTER_PUBLICATION_DAYS, LAST_DAY_BEFORE_PUBLICATION } from './demo-plan-context';
import type { Declaration, Learner, Survey } from './demo-plan-model';
import { COUNTRIES, DAY, T0, countryIndex, dayIndex, zoneOfCountry } from './demo-time';

function outcomeSurveyReference(ctx: PlanContext, year: number): string {
  return `SRV-OUT-${year}-${String(ctx.next(`out${year}`)).padStart(6, '0')}`;
}

export function declare(ctx: PlanContext, learner: Learner, ms: number, outcome: Outcome, lateAfterPublication = false): Declaration {
  const year = new Date(ms).getUTCFullYear();
  const signed = outcome !== 'promotion' && ctx.rng.chance(0.1);
  const evidence = signed
    ? ({ kind: 'signed-contract', reference: `DOC-${year}-${String(ctx.next('doc')).padStart(6, '0')}` } as const)
    : ({ kind: 'survey-response', reference: outcomeSurveyReference(ctx, year) } as const);
  // Outcomes are learnt from alumni surveys, days to months after the new job starts.
  const recordDay = lateAfterPublication
    ? ctx.rng.between(AFTER_PUBLICATION_DAYS[0], AFTER_PUBLICATION_DAYS[1])
    : Math.min(LAST_DAY_BEFORE_PUBLICATION, dayIndex(ms) + ctx.rng.between(5, 100));
  const declaration: Declaration = { ms, outcome, evidence, recordDay };
  learner.declarations.push(declaration);
  return declaration;
}

/** An outcome drawn from a mix of the catalog (NEW_JOB_MOSTLY, FREE_MIX). */
export function drawOutcome(ctx: PlanContext, weights: Float64Array): Outcome {
  const outcomes: readonly Outcome[] = ['new-job', 'promotion', 'business-created'];
  return outcomes[ctx.rng.weighted(weights)] ?? 'new-job';
}

/** A free user (never admitted) who signed up in 2019-2020 and declares an outcome at `ms`. */
export function freeDeclarant(ctx: PlanContext, ms: number): Learner {
  const rng = ctx.rng;
  const country = COUNTRIES[rng.weighted(FREE_COUNTRY_WEIGHTS)] ?? 'FR';
  const earliest = T0 + DAY;
  const latest = Math.max(earliest, ms - 20 * DAY);
  const signupDay = Math.floor((earliest + rng.next() * (latest - earliest)) / DAY) * DAY;
  const learner = ctx.newLearner(country, 0);
  learner.signup = ctx.learnerTime(signupDay, zoneOfCountry(countryIndex(country)));
  if (learner.signup > ms) learner.signup = ms - DAY;
  if (rng.chance(0.9)) {
    const survey: Survey = { ms: learner.signup, motivation: MOTIVATIONS[rng.weighted(MOTIVATION_WEIGHTS_DECLARANT)] ?? 'career-development' };
    const gender = GENDERS_PATH[rng.weighted(GENDER_WEIGHTS_DECLARANT)];
    if (gender !== undefined) survey.gender = gender;
    if (rng.chance(0.6)) survey.assessment = ctx.assessment(['job-seeker'], rng.chance(0.4) ? ['job-seeker'] : []);
    learner.survey = survey;
  }
  return learner;
}
