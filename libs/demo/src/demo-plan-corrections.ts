/**
 * Corrections, the reason the demo has a restatement: declarations retracted before or after
 * publication, declarations entered twice, late 2020 answers recorded after publication, and
 * course starts duplicated by the activity engine and retracted after publication.
 */
import { FREE_MIX } from './demo-plan-catalog';
import type { PlanContext } from './demo-plan-context';
import { LAST_DAY_BEFORE_PUBLICATION } from './demo-plan-context';
import { declare, drawOutcome, freeDeclarant } from './demo-plan-declarations';
import type { Declaration, PlannedDuplicate } from './demo-plan-model';
import type { Declarants2020 } from './demo-plan-outcomes';
import { Y2020 } from './demo-plan-outcomes';
import { DAY, T0, T_END } from './demo-time';

/** Corrections among and around the 2020 declarations. */
export function addCorrections(ctx: PlanContext, { counted, freeDeclarants }: Declarants2020): void {
  const d = ctx.design.declarations;
  // A few counted declarations are retracted only after publication (still counted at publication).
  const postK = ctx.pickExactly(freeDeclarants, Math.min(d.postKRetracted, freeDeclarants.length));
  const postKSet = new Set(postK);
  for (const learner of postK) {
    const declaration = learner.declarations[0];
    const reason = 'outcome entered from a test survey response; found by the Q2 2021 data-quality audit';
    if (declaration) declaration.retraction = { day: ctx.afterPublicationDay(), reason };
  }
  // Some learners declare twice (a new job, then a promotion); a few of those were entered twice by mistake.
  const early = counted.filter((l) => !postKSet.has(l) && (l.declarations[0]?.ms ?? T_END) < Date.UTC(2020, 9, 10));
  const doubles = ctx.pickExactly(early, Math.min(d.doubles, early.length));
  doubles.forEach((learner, i) => {
    const first = learner.declarations[0];
    if (!first) return;
    const ms = ctx.learnerInstant(learner, first.ms + 20 * DAY, Math.min(first.ms + 80 * DAY, Y2020[1]));
    const second = declare(ctx, learner, ms, i % 3 === 0 ? 'business-created' : 'promotion');
    if (i < d.doublesWithRetraction) retractBeforePublication(ctx, i % 2 === 0 ? first : second, 'same survey response entered twice');
  });
  // Declarations that never count: entered on the wrong learner file and retracted before publication...
  for (let i = 0; i < d.preKRetracted; i += 1) {
    const ms = Y2020[0] + ctx.rng.int(330) * DAY + ctx.rng.int(DAY);
    const learner = freeDeclarant(ctx, ms);
    const declaration = declare(ctx, learner, Math.max(ms, learner.signup + DAY), drawOutcome(ctx, FREE_MIX));
    retractBeforePublication(ctx, declaration, 'outcome declaration entered on the wrong learner file');
  }
  // ...and late answers to the spring 2021 alumni survey: 2020 outcomes recorded after publication.
  for (let i = 0; i < d.postKLate; i += 1) {
    const ms = Date.UTC(2020, 8, 1) + ctx.rng.int(120) * DAY + ctx.rng.int(DAY);
    const learner = freeDeclarant(ctx, ms);
    declare(ctx, learner, Math.max(ms, learner.signup + DAY), drawOutcome(ctx, FREE_MIX), true);
  }
}

function retractBeforePublication(ctx: PlanContext, declaration: Declaration, reason: string): void {
  declaration.retraction = { day: Math.min(LAST_DAY_BEFORE_PUBLICATION, declaration.recordDay + ctx.rng.between(3, 40)), reason };
}

/** 2020 course starts the activity engine duplicates, each retracted after publication. */
export function planDuplicates(ctx: PlanContext): PlannedDuplicate[] {
  const duplicates: PlannedDuplicate[] = [];
  for (let i = 0; i < ctx.design.postKDuplicates; i += 1) {
    const retractionDay = ctx.afterPublicationDay();
    duplicates.push({
      month: 12 + ctx.rng.int(12),
      eventId: ctx.idRng.uuid(),
      retractionId: ctx.idRng.uuid(),
      retractionDay,
      retractionMs: ctx.businessTime(T0 + retractionDay * DAY),
    });
  }
  return duplicates;
}
