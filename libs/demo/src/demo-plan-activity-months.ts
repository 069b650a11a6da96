/**
 * Activity: the months in which the activity engine makes each planned learner active, and
 * what the engine must know of the plan to keep the activity figures on target.
 */
import { MOTIVATIONS } from '@ledger/events';
import type { PlanContext } from './demo-plan-context';
import type { Learner } from './demo-plan-model';
import { MONTHS, T0, T_END, monthOf } from './demo-time';

/** Months the activity engine makes each planned learner active: around signup, through training, now and then after. */
export function addActivityMonths(ctx: PlanContext): void {
  for (const learner of ctx.learners) {
    let bits = 0;
    const set = (m: number) => {
      if (m >= 0 && m < MONTHS) bits |= 1 << m;
    };
    const signupMonth = monthOf(learner.signup);
    set(signupMonth);
    const first = learner.spells[0];
    const declared = learner.declarations.map((x) => x.ms);
    const until = first ? monthOf(first.admit) : declared.length > 0 ? monthOf(Math.min(...declared)) : signupMonth;
    for (let m = signupMonth + 1; m < until; m += 1) if (ctx.rng.chance(0.4)) set(m);
    for (const spell of learner.spells) {
      const from = monthOf(spell.admit);
      const to = spell.end === undefined ? MONTHS - 1 : monthOf(spell.end);
      set(from);
      for (let m = from + 1; m <= to; m += 1) if (ctx.rng.chance(0.93)) set(m);
      const after = spell.reason === 'graduated' ? 0.25 : 0.08;
      for (let m = to + 1; m < MONTHS; m += 1) if (ctx.rng.chance(after)) set(m);
    }
    if (!first) {
      const last = declared.length > 0 ? monthOf(Math.max(...declared)) : signupMonth;
      for (let m = until; m < MONTHS; m += 1) if (ctx.rng.chance(m <= last ? 0.55 : 0.3)) set(m);
    }
    for (const declaration of learner.declarations) if (ctx.rng.chance(0.5)) set(monthOf(declaration.ms));
    learner.activeMonths = bits;
  }
}

/** Per month, the planned learners active that month. */
export function forcedByMonth(learners: readonly Learner[]): Int32Array[] {
  return Array.from({ length: MONTHS }, (_, m) => Int32Array.from(learners.filter((l) => (l.activeMonths >> m) & 1).map((l) => l.index)));
}

/** Women-share contributions: free users of the year (no admission before its end) with a gendered survey before its end. */
export function freeUserGender(learners: readonly Learner[], year: 0 | 1): Uint8Array {
  const end = Date.UTC(2020 + year, 0, 1);
  const yearBits = 0xfff << (12 * year);
  return Uint8Array.from(
    learners.map((l) => {
      if (l.spells.some((s) => s.admit < end) || (l.activeMonths & yearBits) === 0) return 0;
      const survey = l.survey;
      if (!survey || survey.ms >= end || survey.gender === undefined || survey.gender === 'undisclosed') return 0;
      return survey.gender === 'female' ? 1 : 2;
    }),
  );
}

/** Per month, planned survey answers per motivation. */
export function surveyMotivations(learners: readonly Learner[]): Int32Array[] {
  const out = Array.from({ length: MONTHS }, () => new Int32Array(MOTIVATIONS.length));
  for (const learner of learners) {
    const survey = learner.survey;
    if (!survey || survey.ms < T0 || survey.ms >= T_END) continue;
    const counts = out[monthOf(survey.ms)];
    const k = MOTIVATIONS.indexOf(survey.motivation);
    if (counts) counts[k] = (counts[k] ?? 0) + 1;
  }
  return out;
}
