/**
 * Professional outcomes: who declares a new job, a promotion, a business or an apprenticeship,
 * and when. The 2020 declarations are counted by the impact figure; 2019's are history only.
 */
import { FREE_MIX, NEW_JOB_MOSTLY } from './demo-plan-catalog';
import type { PlanContext } from './demo-plan-context';
import { declare, drawOutcome, freeDeclarant } from './demo-plan-declarations';
import type { Learner } from './demo-plan-model';
import { DAY, T0, T_END, dayIndex } from './demo-time';

/** A graduate declares within this many days of graduating (the CIRR window is 180). */
export const GRADUATE_DECLARATION_DAYS = 240;

/** 2020 in UTC milliseconds, [start, end). */
export const Y2020 = [Date.UTC(2020, 0, 1), T_END] as const;

/** The 2020 declarants; the corrections phase draws from them, the 2019 outcomes phase avoids `chosen`. */
export interface Declarants2020 {
  /** Learners whose declaration counts for 2020 (apprentices' contracts apart). */
  readonly counted: readonly Learner[];
  /** The free users among them. */
  readonly freeDeclarants: readonly Learner[];
  /** Graduates and former apprentices given a 2020 declaration. */
  readonly chosen: ReadonlySet<Learner>;
}

export function addOutcomes2020(ctx: PlanContext): Declarants2020 {
  const d = ctx.design.declarations;
  const counted: Learner[] = [];

  // Apprentices' contracts are declarations already; some also come back as a signed-contract outcome.
  const apprentices2020 = [...ctx.cohortLearners('app-2020-jan'), ...ctx.cohortLearners('app-2020-h1'), ...ctx.cohortLearners('app-2020-h2')];
  for (const learner of ctx.pickExactly(apprentices2020, Math.min(d.apprenticeOutcomes, apprentices2020.length))) {
    const contract = learner.contract;
    if (!contract) continue;
    const ms = Math.min(contract.ms + ctx.rng.between(0, 3) * DAY, T_END - DAY);
    const evidence = { kind: 'signed-contract', reference: contract.contractId } as const;
    learner.declarations.push({ ms, outcome: 'apprenticeship', evidence, recordDay: dayIndex(ms) });
  }

  // Graduates of 2019-2020 paths (never the 2020 apprentices, already counted) declaring a new job in 2020.
  const graduates = ctx.learners.filter((l) => {
    const spell = l.spells[l.spells.length - 1];
    return (
      l.spells.length === 1 &&
      spell?.reason === 'graduated' &&
      spell.end !== undefined &&
      spell.cohort.kind !== 'apprenticeship' &&
      spell.end >= Date.UTC(2019, 6, 10) &&
      spell.end < Date.UTC(2020, 11, 20)
    );
  });
  const chosenGraduates = ctx.pickExactly(graduates, Math.min(d.graduates, graduates.length));
  const chosen = new Set(chosenGraduates);
  for (const learner of chosenGraduates) {
    const end = learner.spells[0]?.end ?? Y2020[0];
    const lo = Math.max(end + 7 * DAY, Y2020[0]);
    // A week to eight months after graduating: about a quarter fall outside the 180-day window of the outcomes cohort figures (KPIS.md v2).
    const hi = Math.min(end + GRADUATE_DECLARATION_DAYS * DAY, Y2020[1]);
    declare(ctx, learner, ctx.learnerInstant(learner, lo, hi), drawOutcome(ctx, NEW_JOB_MOSTLY));
    counted.push(learner);
  }
  // Former apprentices hired at the end of their contract.
  const formerApprentices = ctx.learners.filter((l) => {
    const spell = l.spells[0];
    return (
      l.spells.length === 1 &&
      (spell?.cohort.key === 'app-2018' || spell?.cohort.key === 'app-2019') &&
      spell.reason === 'graduated' &&
      spell.end !== undefined &&
      spell.end >= Date.UTC(2019, 11, 20) &&
      spell.end < Date.UTC(2020, 11, 1)
    );
  });
  for (const learner of ctx.pickExactly(formerApprentices, Math.min(d.formerApprentices, formerApprentices.length))) {
    const end = learner.spells[0]?.end ?? Y2020[0];
    declare(ctx, learner, ctx.learnerInstant(learner, Math.max(end, Y2020[0]), Math.min(end + 30 * DAY, Y2020[1])), 'new-job');
    counted.push(learner);
    chosen.add(learner);
  }
  // Free users make up the rest: the platform's alumni survey reaches some of them.
  const freeCount = d.nonApprentice - counted.length;
  const freeDeclarants: Learner[] = [];
  for (let i = 0; i < freeCount; i += 1) {
    const ms = Y2020[0] + Math.floor(ctx.rng.next() ** 0.8 * (Y2020[1] - Y2020[0] - DAY));
    const learner = freeDeclarant(ctx, ms);
    declare(ctx, learner, Math.max(ms, learner.signup + DAY), drawOutcome(ctx, FREE_MIX));
    counted.push(learner);
    freeDeclarants.push(learner);
  }
  return { counted, freeDeclarants, chosen };
}

/** 2019 outcomes (not published for 2019, but the history has them). */
export function addOutcomes2019(ctx: PlanContext, chosen: ReadonlySet<Learner>): void {
  const d = ctx.design.declarations;
  const graduates2019 = ctx.learners.filter((l) => {
    const spell = l.spells[0];
    return (
      !chosen.has(l) &&
      l.spells.length === 1 &&
      l.declarations.length === 0 &&
      spell?.reason === 'graduated' &&
      spell.end !== undefined &&
      spell.end >= T0 &&
      spell.end < Date.UTC(2019, 10, 1)
    );
  });
  for (const learner of ctx.pickExactly(graduates2019, Math.min(d.graduates2019, graduates2019.length))) {
    const end = learner.spells[0]?.end ?? T0;
    const ms = ctx.learnerInstant(learner, end + 7 * DAY, Math.min(end + 120 * DAY, Date.UTC(2020, 0, 1)));
    declare(ctx, learner, ms, drawOutcome(ctx, NEW_JOB_MOSTLY));
  }
  for (let i = 0; i < d.freeUsers2019; i += 1) {
    const ms = T0 + 30 * DAY + ctx.rng.int(330) * DAY + ctx.rng.int(DAY);
    const learner = freeDeclarant(ctx, ms);
    declare(ctx, learner, Math.max(ms, learner.signup + DAY), drawOutcome(ctx, FREE_MIX));
  }
}
