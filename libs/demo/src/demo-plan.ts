/**
 * The planned part of the demo data set: every learner who is admitted to a path or declares
 * an outcome, with their surveys, admissions, fundings, contracts, path ends, declarations
 * and corrections, plus the outreach campaigns. About 22,600 learners and 73,000 events at
 * scale 1, held in memory; the millions of activity events are streamed by the activity
 * engine, which makes these learners active in the months listed here.
 *
 * Every count comes from the design (demo-calibration.ts); chance only decides who, when
 * and where. Admission and path-end dates are drawn conditionally on the design's pattern of
 * open-ness at the three funding checkpoints, so the in-training counts hold for any seed.
 *
 * Each phase lives in its own demo-plan-*.ts file; they share the random streams
 * (demo-plan-context.ts), so their order below is part of what a seed means.
 */
import type { DemoDesign } from './demo-calibration';
import { addActivityMonths } from './demo-plan-activity-months';
import { createPathLearners } from './demo-plan-cohorts';
import { PlanContext } from './demo-plan-context';
import { addCorrections } from './demo-plan-corrections';
import { assignEmployers } from './demo-plan-employers';
import { assignEnglishPaths } from './demo-plan-english-paths';
import { emitPlan } from './demo-plan-events';
import type { DemoPlan } from './demo-plan-model';
import { assignPlannedMonths } from './demo-plan-mission';
import { addOutcomes2019, addOutcomes2020 } from './demo-plan-outcomes';
import { assignPopulations } from './demo-plan-populations';
import { addSignupSurveys } from './demo-plan-surveys';
import { Prng } from './prng';

export { LAST_DAY_BEFORE_PUBLICATION } from './demo-plan-context';
export type { DemoCorrections, DemoPlan, PlannedDuplicate, TimedEvent } from './demo-plan-model';

export function buildPlan(seed: number, design: DemoDesign): DemoPlan {
  const ctx = new PlanContext(seed, design);
  createPathLearners(ctx);
  assignEmployers(ctx);
  const english = assignEnglishPaths(ctx);
  const womenRefugees = assignPopulations(ctx, english);
  addSignupSurveys(ctx, english, womenRefugees);
  const declarants2020 = addOutcomes2020(ctx);
  addCorrections(ctx, declarants2020);
  addOutcomes2019(ctx, declarants2020.chosen);
  addActivityMonths(ctx);
  // v1.1 (the 2021 mission scope), on streams of its own: the version 1 draws above are unchanged.
  assignPlannedMonths(ctx, new Prng(seed, 'plan-v1-1'));
  return emitPlan(ctx);
}
