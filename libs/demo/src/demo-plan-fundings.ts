/** The funding of each path, drawn with its admission: who pays, when, and how late the funder's record arrives. */
import type { PlanContext } from './demo-plan-context';
import { ISO_DAY } from './demo-plan-context';
import type { Learner, Spell } from './demo-plan-model';
import { DAY, MINUTE, PARIS, US_EASTERN } from './demo-time';

const YEAR_START = (ms: number) => Date.UTC(new Date(ms).getUTCFullYear(), 0, 1);

/** Funding precedes the admission (an approved funding opens the path) and falls in the same year. */
export function addFunding(ctx: PlanContext, learner: Learner, spell: Spell): void {
  const rng = ctx.rng;
  const kind = spell.cohort.kind;
  const floor = kind === 'employer-abroad' ? ISO_DAY('2020-05-15') : YEAR_START(spell.admit);
  const before = (maxDays: number) => Math.max(floor + 2 * 3_600_000, spell.admit - MINUTE * rng.between(60, maxDays * 24 * 60));
  switch (kind) {
    case 'self':
      if (rng.chance(0.55)) learner.fundings.push({ ms: before(7), funder: 'self', zone: PARIS, lagDays: 0 });
      return;
    case 'public-aid':
    case 'pse': {
      // Pole emploi confirms many public fundings weeks after the fact.
      const lagDays = rng.chance(0.35) ? rng.between(7, 60) : 0;
      learner.fundings.push({ ms: before(25), funder: kind, zone: 'utc', lagDays });
      return;
    }
    case 'employment-program':
      learner.fundings.push({ ms: before(10), funder: 'employment-program', zone: PARIS, lagDays: lag(ctx, 0.1, 5) });
      return;
    case 'employer-abroad':
      learner.fundings.push({ ms: before(20), funder: 'employer-abroad', zone: US_EASTERN, lagDays: lag(ctx, 0.2, 10) });
      return;
    case 'apprenticeship': {
      const signed = before(40);
      learner.contract = { ms: signed, contractId: `CTR-${String(ctx.next('ctr')).padStart(6, '0')}`, employerId: '' };
      const funded = Math.min(signed + rng.between(0, 5) * DAY, spell.admit - 30 * MINUTE);
      learner.fundings.push({ ms: Math.max(signed, funded), funder: 'apprenticeship', zone: PARIS, lagDays: lag(ctx, 0.15, 14) });
      return;
    }
  }
}

/** Recording delay in days: none, or 1 to `max` days with probability `p`. */
function lag(ctx: PlanContext, p: number, max: number): number {
  return ctx.rng.chance(p) ? ctx.rng.between(1, max) : 0;
}
