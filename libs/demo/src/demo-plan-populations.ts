/**
 * Disadvantaged populations: the status assessments (job seeker, low-qualified, QPV resident,
 * disability, refugee) placed on admissions and fundings so that the populations table
 * comes out exactly.
 */
import type { Status } from '@ledger/events';
import type { PlanContext } from './demo-plan-context';
import type { EnglishPathLearners } from './demo-plan-english-paths';
import type { Learner } from './demo-plan-model';

/**
 * Status assessments that give the populations table exactly. Paid-funded and employer-funded
 * learners are never asked about low qualification or QPV residence (the published nulls).
 * Returns the refugee apprentices, who are women (the surveys phase gives them that answer).
 */
export function assignPopulations(ctx: PlanContext, english: EnglishPathLearners): ReadonlySet<Learner> {
  const womenRefugees = new Set<Learner>();
  const p = ctx.design.populations;
  const program = [...ctx.cohortLearners('ep-2020-jan'), ...ctx.cohortLearners('ep-2020')];
  const lowQualified = new Set(ctx.pickExactly(program, p.programLowQualified));
  const qpvAssessed = ctx.pickExactly(program, p.programQpvAssessed);
  const qpv = new Set(ctx.pickExactly(qpvAssessed, p.programQpv));
  const qpvAsked = new Set(qpvAssessed);
  const disabled = new Set(ctx.pickExactly(program, p.programDisability));
  for (const learner of program) {
    const spell = learner.spells[0];
    if (!spell) continue;
    const assessed: Status[] = ['job-seeker', 'low-qualified', 'refugee', 'disability'];
    if (qpvAsked.has(learner)) assessed.push('qpv-resident');
    const held: Status[] = ['job-seeker'];
    if (lowQualified.has(learner)) held.push('low-qualified');
    if (qpv.has(learner)) held.push('qpv-resident');
    if (disabled.has(learner)) held.push('disability');
    spell.assessment = ctx.assessment(assessed, held);
    learner.jobSeeker = 'held';
    // Pole emploi's funding notice repeats the job-seeker status for some.
    const funding = learner.fundings[0];
    if (funding && ctx.rng.chance(0.5)) funding.assessment = ctx.assessment(['job-seeker'], ['job-seeker']);
  }
  // The 2019 program learners were assessed too (not in the 2020 table).
  for (const learner of ctx.cohortLearners('ep-2019')) {
    const spell = learner.spells[0];
    if (!spell) continue;
    const held: Status[] = ['job-seeker'];
    if (ctx.rng.chance(0.25)) held.push('low-qualified');
    if (ctx.rng.chance(0.08)) held.push('disability');
    spell.assessment = ctx.assessment(['job-seeker', 'low-qualified', 'disability'], held);
    learner.jobSeeker = 'held';
  }

  // Paid-funded: public-aid and PSE fundings of 2020. Statuses sit on the funding.
  const pse = ctx.cohortLearners('pse-2020');
  const paid = ctx.cohortLearners('pa-2020').concat(ctx.cohortLearners('pa-2020-jan'));
  const twoSegment = paid.filter((l) => l.spells.length > 1);
  const englishJobSeekers = english.publicAid.slice(0, ctx.design.english.publicAidJobSeekers);
  const englishPublicAid = new Set(english.publicAid);
  const fixedSet = new Set([...twoSegment, ...englishPublicAid]);
  const unassessed = new Set(ctx.pickExactly(paid, p.paidUnassessed, new Set([...twoSegment, ...englishJobSeekers])));
  const others = paid.filter((l) => !fixedSet.has(l) && !unassessed.has(l));
  const otherJobSeekers = ctx.pickExactly(others, p.paidJobSeekers - pse.length - twoSegment.length - englishJobSeekers.length);
  const jobSeekers = new Set([...pse, ...twoSegment, ...englishJobSeekers, ...otherJobSeekers]);
  const disabledJobSeekers = ctx.pickExactly(otherJobSeekers, p.paidDisabilityJobSeekers);
  const disabledOnly = ctx.pickExactly(others, p.paidDisability - p.paidDisabilityJobSeekers, jobSeekers);
  const paidDisabled = new Set([...disabledJobSeekers, ...disabledOnly]);
  const assessedPaid = [...pse, ...paid.filter((l) => !unassessed.has(l))];
  const moreAsked = Math.max(0, Math.min(p.paidDisabilityAssessed, assessedPaid.length) - paidDisabled.size);
  const disabilityAsked = new Set([...paidDisabled, ...ctx.pickExactly(assessedPaid, moreAsked, paidDisabled)]);
  const refugeeAsked = new Set(ctx.pickExactly(assessedPaid, Math.min(p.paidRefugeeAssessed, assessedPaid.length)));
  for (const learner of assessedPaid) {
    const funding = learner.fundings.find((f) => f.funder === 'public-aid' || f.funder === 'pse');
    if (!funding) continue;
    const assessed: Status[] = ['job-seeker'];
    if (disabilityAsked.has(learner)) assessed.push('disability');
    if (refugeeAsked.has(learner)) assessed.push('refugee');
    const held: Status[] = [];
    if (jobSeekers.has(learner)) held.push('job-seeker');
    if (paidDisabled.has(learner)) held.push('disability');
    funding.assessment = ctx.assessment(assessed, held);
    learner.jobSeeker = jobSeekers.has(learner) ? 'held' : 'not-held';
  }

  // Employer-funded: the US operator's employees are all underemployed; apprentices hired from July 2020 were assessed.
  for (const learner of ctx.cohortLearners('abroad-2020')) {
    const funding = learner.fundings[0];
    if (funding) funding.assessment = ctx.assessment(['job-seeker'], ['job-seeker']);
    learner.jobSeeker = 'held';
  }
  const h2 = ctx.cohortLearners('app-2020-h2');
  const h2Others = h2.filter((l) => l.spells.length === 1);
  const h2JobSeekersOthers = ctx.pickExactly(h2Others, p.apprenticeJobSeekers - twoSegment.length);
  const h2JobSeekers = new Set([...twoSegment, ...h2JobSeekersOthers]);
  const h2DisabledJobSeekers = ctx.pickExactly(h2JobSeekersOthers, p.apprenticeDisabilityJobSeekers);
  const h2RefugeeJobSeekers = ctx.pickExactly(h2JobSeekersOthers, p.apprenticeRefugeeJobSeekers, new Set(h2DisabledJobSeekers));
  const h2DisabledOnly = ctx.pickExactly(h2Others, p.apprenticeDisability - p.apprenticeDisabilityJobSeekers, h2JobSeekers);
  const h2RefugeeOnly = ctx.pickExactly(
    h2Others,
    p.apprenticeRefugees - p.apprenticeRefugeeJobSeekers,
    new Set([...h2JobSeekers, ...h2DisabledOnly]),
  );
  const h2Disabled = new Set([...h2DisabledJobSeekers, ...h2DisabledOnly]);
  const h2Refugees = new Set([...h2RefugeeJobSeekers, ...h2RefugeeOnly]);
  for (const learner of h2) {
    const spell = learner.spells.find((s) => s.cohort.key === 'app-2020-h2');
    if (!spell) continue;
    const held: Status[] = [];
    if (h2JobSeekers.has(learner)) held.push('job-seeker');
    if (h2Disabled.has(learner)) held.push('disability');
    if (h2Refugees.has(learner)) held.push('refugee');
    spell.assessment = ctx.assessment(['job-seeker', 'refugee', 'disability'], held);
    learner.jobSeeker = h2JobSeekers.has(learner) ? 'held' : 'not-held';
    // Techfugees' three apprentices in data management are women.
    if (h2Refugees.has(learner)) womenRefugees.add(learner);
  }
  return womenRefugees;
}
