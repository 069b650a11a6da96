/** The international side: some 2020 self-funded and public-aid learners follow an English path. */
import { ENGLISH_COUNTRIES, ENGLISH_COUNTRY_WEIGHTS, EN_PATHS, EN_PATH_WEIGHTS } from './demo-plan-catalog';
import type { PlanContext } from './demo-plan-context';
import type { Learner } from './demo-plan-model';

/** The learners moved to an English path; the populations and surveys phases give them their statuses. */
export interface EnglishPathLearners {
  /** Self-funded, from English-speaking countries; the first `english.selfJobSeekers` declare themselves job seekers. */
  readonly self: readonly Learner[];
  /** Public-aid; the first `english.publicAidJobSeekers` are job seekers. */
  readonly publicAid: readonly Learner[];
}

export function assignEnglishPaths(ctx: PlanContext): EnglishPathLearners {
  const rng = ctx.rng;
  const en = ctx.design.english;
  const selfPool = [...ctx.cohortLearners('self-2020-jan'), ...ctx.cohortLearners('self-2020')];
  const paPool = ctx.cohortLearners('pa-2020').filter((l) => l.spells.length === 1);
  if (selfPool.length < en.self || paPool.length < en.publicAid) throw new Error('demo plan: too few 2020 learners for the English paths');
  const self = rng.choose(selfPool.length, en.self).map((i) => selfPool[i] as Learner);
  const publicAid = rng.choose(paPool.length, en.publicAid).map((i) => paPool[i] as Learner);
  const toEnglish = (learner: Learner, country: string | undefined) => {
    const spell = learner.spells[0];
    if (!spell) return;
    learner.spells[0] = {
      ...spell,
      language: 'en',
      pathId: `path-${EN_PATHS[rng.weighted(EN_PATH_WEIGHTS)] ?? 'web-developer'}`,
      ...(spell.country !== undefined && country ? { country } : {}),
    };
  };
  for (const learner of self) {
    const country = ENGLISH_COUNTRIES[rng.weighted(ENGLISH_COUNTRY_WEIGHTS)] ?? 'IN';
    learner.country = country;
    toEnglish(learner, country);
  }
  for (const learner of publicAid) toEnglish(learner, undefined);
  return { self, publicAid };
}
