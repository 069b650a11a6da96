/** Corporate partnerships: the employers who fund apprentices, PSE learners and the employees trained abroad. */
import type { PlanContext } from './demo-plan-context';
import type { Learner } from './demo-plan-model';

function partnerEmployerId(n: number): string {
  return `EMP-${String(100000 + ((n * 7919 + 4211) % 900000))}`;
}

/** Every employer of a pool funds at least one learner; the rest go mostly to the first (bigger) ones. */
function spreadEmployers(ctx: PlanContext, learners: readonly Learner[], pool: readonly string[], set: (learner: Learner, employerId: string) => void): void {
  const order = ctx.rng.shuffle(learners.slice());
  order.forEach((learner, i) => {
    const slot = i < pool.length ? i : Math.floor(pool.length * ctx.rng.next() ** 1.6);
    set(learner, pool[slot] ?? pool[0] ?? 'EMP-000000');
  });
}

export function assignEmployers(ctx: PlanContext): void {
  const e = ctx.design.partnerEmployers;
  let n = 0;
  const fresh = (count: number) => Array.from({ length: count }, () => partnerEmployerId((n += 1)));
  const pool2019 = fresh(e.y2019);
  const pool2020 = [...ctx.rng.shuffle(pool2019.slice()).slice(0, e.repeatFrom2019), ...fresh(e.y2020Apprenticeship - e.repeatFrom2019)];
  const apprentice = (learner: Learner, employerId: string) => {
    const funding = learner.fundings.find((f) => f.funder === 'apprenticeship');
    if (funding) funding.employerId = employerId;
    if (learner.contract) learner.contract.employerId = employerId;
  };
  const of = (prefix: string) => [...ctx.byCohort.entries()].filter(([key]) => key.startsWith(prefix)).flatMap(([, list]) => list);
  spreadEmployers(ctx, of('app-2018'), pool2019, apprentice);
  spreadEmployers(ctx, of('app-2019'), pool2019, apprentice);
  spreadEmployers(ctx, of('app-2020'), pool2020, apprentice);
  const pse = fresh(e.pse);
  spreadEmployers(ctx, of('pse-2020'), pse, (learner, id) => learner.fundings.forEach((f) => (f.employerId = id)));
  // The US logistics operator and its UK subsidiary: the employee's country follows the entity.
  const abroad = fresh(e.abroad);
  spreadEmployers(ctx, of('abroad-2020'), abroad, (learner, id) => {
    learner.fundings.forEach((f) => (f.employerId = id));
    learner.country = id === abroad[1] ? 'GB' : 'US';
    learner.spells.forEach((spell, i) => {
      if (spell.country !== undefined) learner.spells[i] = { ...spell, country: learner.country };
    });
  });
}
