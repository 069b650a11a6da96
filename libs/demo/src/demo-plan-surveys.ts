/** Signup surveys of the planned learners: motivation, gender and, for some, their job-seeker status. */
import { MOTIVATIONS } from '@ledger/events';
import { GENDERS_PATH, GENDER_WEIGHTS_PATH, MOTIVATION_WEIGHTS_PATH } from './demo-plan-catalog';
import type { PlanContext } from './demo-plan-context';
import type { EnglishPathLearners } from './demo-plan-english-paths';
import type { Learner, Survey } from './demo-plan-model';
import { DAY, countryIndex, zoneOfCountry } from './demo-time';

/**
 * Signup surveys, weeks to a year before admission. A learner in a 2020 segment only states
 * job-seeker status there, and only as the back office knows it; learners who were never
 * assessed answer without the status question, so no survey can change the populations table.
 */
export function addSignupSurveys(ctx: PlanContext, english: EnglishPathLearners, womenRefugees: ReadonlySet<Learner>): void {
  const selfEnglishJobSeekers = new Set(english.self.slice(0, ctx.design.english.selfJobSeekers));
  const selfEnglish = new Set(english.self);
  const segmentYear = (learner: Learner) =>
    learner.spells.some((s) => /^(pa-2020|pse-2020|ep-2020|app-2020|abroad-2020)/.test(s.cohort.key));
  for (const learner of ctx.learners) {
    const first = learner.spells[0];
    if (!first) continue;
    const abroad = first.cohort.kind === 'employer-abroad';
    learner.signup = first.admit - ctx.rng.between(abroad ? 5 : 20, abroad ? 60 : 420) * DAY;
    const mustAnswer = selfEnglishJobSeekers.has(learner);
    if (!mustAnswer && !ctx.rng.chance(abroad ? 0.6 : 0.85)) continue;
    const zone = zoneOfCountry(countryIndex(learner.country));
    const ms = ctx.learnerTime(Math.floor(learner.signup / DAY) * DAY, zone);
    learner.signup = ms;
    const survey: Survey = {
      ms,
      motivation: MOTIVATIONS[ctx.rng.weighted(MOTIVATION_WEIGHTS_PATH)] ?? 'career-change',
    };
    const gender = womenRefugees.has(learner) ? 'female' : GENDERS_PATH[ctx.rng.weighted(GENDER_WEIGHTS_PATH)];
    if (gender !== undefined) survey.gender = gender;
    if (selfEnglish.has(learner)) {
      if (mustAnswer) survey.assessment = ctx.assessment(['job-seeker'], ['job-seeker']);
      else if (ctx.rng.chance(0.5)) survey.assessment = ctx.assessment(['job-seeker'], []);
    } else if (segmentYear(learner)) {
      if (learner.jobSeeker === 'held' && ctx.rng.chance(0.4)) survey.assessment = ctx.assessment(['job-seeker'], ['job-seeker']);
      else if (learner.jobSeeker === 'not-held' && ctx.rng.chance(0.3)) survey.assessment = ctx.assessment(['job-seeker'], []);
    } else if (ctx.rng.chance(0.6)) {
      survey.assessment = ctx.assessment(['job-seeker'], ctx.rng.chance(0.45) ? ['job-seeker'] : []);
    }
    learner.survey = survey;
  }
}
