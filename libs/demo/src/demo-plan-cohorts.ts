/**
 * The cohorts' learners and their paths: each cohort of the design gets its count of learners
 * per pattern of open-ness at the three funding checkpoints, each admitted and ended at
 * dates drawn so that the pattern holds, on a path, with its funding.
 */
import type { PathEndReason, PathLanguage, Track } from '@ledger/events';
import type { CohortDesign, CohortKind, Pattern } from './demo-calibration';
import {
  ADMISSION_MONTHS,
  EN_PATHS,
  EN_PATH_WEIGHTS,
  FRANCE_COUNTRIES,
  FRANCE_COUNTRY_WEIGHTS,
  FR_PATHS,
  FR_PATH_WEIGHTS,
  PROGRAM_PATHS,
  PROGRAM_PATH_WEIGHTS,
  SELF_COUNTRIES,
  SELF_COUNTRY_WEIGHTS,
} from './demo-plan-catalog';
import type { PlanContext } from './demo-plan-context';
import { ISO_DAY } from './demo-plan-context';
import { addFunding } from './demo-plan-fundings';
import type { Learner, Spell } from './demo-plan-model';
import { CHECKPOINTS, DAY, T0, T_END } from './demo-time';

type SpellDates = { admit: number; end?: number; reason?: PathEndReason };

export function createPathLearners(ctx: PlanContext): void {
  new CohortPlanner(ctx).createPathLearners();
}

class CohortPlanner {
  /** Cumulative day weights by range and seasonality: the same few are drawn from thousands of times. */
  private readonly dayWeights = new Map<string, Float64Array>();

  constructor(private readonly ctx: PlanContext) {}

  createPathLearners(): void {
    const design = this.ctx.design;
    const overlap = design.twoSegmentLearners;
    const h2 = design.cohorts.find((c) => c.key === 'app-2020-h2');
    for (const cohort of design.cohorts) {
      for (const [patternText, count] of Object.entries(cohort.patterns)) {
        const pattern = Number(patternText) as Pattern;
        let n = count ?? 0;
        // The two-segment learners' apprenticeship admissions are made with their public-aid ones.
        if (cohort.key === 'app-2020-h2' && pattern === 4) n -= overlap;
        for (let i = 0; i < n; i += 1) {
          const twoSegment = cohort.key === 'pa-2020' && pattern === 0 && i < overlap;
          const learner = this.ctx.newLearner(this.countryFor(cohort.kind), 0);
          if (twoSegment && h2) {
            this.addSpell(learner, cohort, this.earlyWithdrawal());
            this.addSpell(learner, h2, this.sampleSpell(h2, 4));
          } else {
            this.addSpell(learner, cohort, this.sampleSpell(cohort, pattern));
          }
        }
      }
    }
  }

  private countryFor(kind: CohortKind): string {
    const rng = this.ctx.rng;
    if (kind === 'self') return SELF_COUNTRIES[rng.weighted(SELF_COUNTRY_WEIGHTS)] ?? 'FR';
    if (kind === 'employer-abroad') return 'US'; // set with the employer entity
    return FRANCE_COUNTRIES[rng.weighted(FRANCE_COUNTRY_WEIGHTS)] ?? 'FR';
  }

  /** Public-aid path of a two-segment learner: admitted February to April 2020, withdrew before mid-June. */
  private earlyWithdrawal(): { admit: number; end: number; reason: PathEndReason } {
    const { ctx } = this;
    const day = ISO_DAY('2020-02-03') + ctx.rng.int(90) * DAY;
    const admit = ctx.businessTime(day);
    return { admit, end: ctx.businessTime(day + ctx.rng.between(20, 45) * DAY), reason: 'withdrew' };
  }

  private addSpell(learner: Learner, cohort: CohortDesign, when: SpellDates): void {
    const { ctx } = this;
    const rng = ctx.rng;
    const kind = cohort.kind;
    const track: Track = kind === 'apprenticeship' ? 'apprenticeship' : kind === 'employment-program' ? 'employment-program' : 'paid-path';
    const language: PathLanguage = kind === 'employer-abroad' ? 'en' : 'fr';
    const pathId =
      language === 'en'
        ? `path-${EN_PATHS[rng.weighted(EN_PATH_WEIGHTS)] ?? 'web-developer'}`
        : kind === 'employment-program'
          ? `path-${PROGRAM_PATHS[rng.weighted(PROGRAM_PATH_WEIGHTS)] ?? 'developpeur-web'}`
          : `path-${FR_PATHS[rng.weighted(FR_PATH_WEIGHTS)] ?? 'developpeur-web'}`;
    const year = new Date(when.admit).getUTCFullYear();
    const spell: Spell = {
      cohort,
      admissionId: `ADM-${year}-${String(ctx.next(`adm${year}`)).padStart(6, '0')}`,
      admit: when.admit,
      ...(when.end !== undefined ? { end: when.end } : {}),
      ...(when.reason !== undefined ? { reason: when.reason } : {}),
      pathId,
      language,
      track,
      ...(rng.chance(0.8) ? { country: learner.country } : {}),
    };
    learner.spells.push(spell);
    ctx.cohortLearners(cohort.key).push(learner);
    addFunding(ctx, learner, spell);
  }

  /** Admission and end drawn so that the admission is open exactly at the checkpoints of `pattern`. */
  private sampleSpell(cohort: CohortDesign, pattern: Pattern): SpellDates {
    const { ctx } = this;
    const from = ISO_DAY(cohort.from);
    const to = ISO_DAY(cohort.to);
    const bits = [0, 1, 2].filter((t) => (pattern >> t) & 1);
    const first = bits[0];
    const last = bits[bits.length - 1];
    const admitLo = first === undefined || first === 0 ? from : Math.max(from, CHECKPOINTS[first - 1] ?? from);
    const admitHi = first === undefined ? to : Math.min(to, CHECKPOINTS[first] ?? to);
    const endBounds = (admit: number): [number, number | undefined] => {
      if (last === undefined) {
        if (cohort.carry) return [T0, CHECKPOINTS[0]];
        return [admit, CHECKPOINTS.find((t) => t > admit) ?? T_END];
      }
      const lo = Math.max(CHECKPOINTS[last] ?? T_END, cohort.carry ? T0 : 0);
      return [lo, last < 2 ? CHECKPOINTS[last + 1] : undefined];
    };
    const weights = ADMISSION_MONTHS[cohort.kind];
    const growth = cohort.kind === 'public-aid' || cohort.kind === 'pse';
    let result: SpellDates | undefined;
    for (let attempt = 0; attempt < 400 && result === undefined; attempt += 1) {
      const day = this.sampleDay(admitLo, admitHi, weights, growth);
      const admit = ctx.businessTime(day);
      const [lo, hi] = endBounds(admit);
      if (hi === undefined) {
        result = { admit };
        break;
      }
      const { days, reason } = this.duration(cohort.kind);
      const end = ctx.businessTime(day + days * DAY);
      if (end >= lo && end < hi && end > admit) result = { admit, end, reason };
    }
    if (result === undefined) {
      // Rare: the usual durations do not fit the pattern; end uniformly where it must.
      const day = this.sampleDay(admitLo, admitHi, weights, growth);
      const admit = ctx.businessTime(day);
      const [lo, hi] = endBounds(admit);
      const firstDay = Math.max(lo, day + DAY);
      const lastDay = (hi ?? T_END) - DAY;
      if (lastDay < firstDay) throw new Error(`demo plan: no end fits pattern ${pattern} of ${cohort.key}`);
      const end = ctx.businessTime(firstDay + ctx.rng.int((lastDay - firstDay) / DAY + 1) * DAY);
      result = { admit, end, reason: end - admit >= 150 * DAY ? 'graduated' : 'withdrew' };
    }
    const open = CHECKPOINTS.map((t, i) => (result.admit < t && (result.end === undefined || result.end >= t) ? 1 << i : 0));
    if (open.reduce((a, b) => a | b, 0) !== pattern) throw new Error(`demo plan: ${cohort.key} admission misses pattern ${pattern}`);
    if (cohort.carry && result.end !== undefined && result.end < T0) {
      throw new Error(`demo plan: carry-over admission of ${cohort.key} ended before 2019`);
    }
    return result;
  }

  private duration(kind: CohortKind): { days: number; reason: PathEndReason } {
    const rng = this.ctx.rng;
    switch (kind) {
      case 'apprenticeship':
        return rng.chance(0.85)
          ? { days: (rng.chance(0.45) ? 365 : 730) + rng.between(-20, 20), reason: 'graduated' }
          : { days: rng.between(20, 300), reason: 'withdrew' };
      case 'employment-program':
        return rng.chance(0.72) ? { days: rng.between(180, 300), reason: 'graduated' } : { days: rng.between(15, 200), reason: 'withdrew' };
      case 'employer-abroad':
        return rng.chance(0.8) ? { days: rng.between(240, 400), reason: 'graduated' } : { days: rng.between(30, 200), reason: 'withdrew' };
      case 'self':
        return rng.chance(0.6) ? { days: rng.between(150, 420), reason: 'graduated' } : { days: rng.between(15, 300), reason: 'withdrew' };
      default:
        return rng.chance(0.7) ? { days: rng.between(180, 365), reason: 'graduated' } : { days: rng.between(15, 240), reason: 'withdrew' };
    }
  }

  /** A UTC day in [lo, hi) weighted by month (and growth through the year), few at weekends. */
  private sampleDay(lo: number, hi: number, monthWeights: readonly number[], growth: boolean): number {
    const key = `${lo}/${hi}/${monthWeights.join()}/${growth}`;
    let weights = this.dayWeights.get(key);
    if (!weights) {
      const days = Math.max(1, Math.round((hi - lo) / DAY));
      weights = new Float64Array(days);
      let sum = 0;
      for (let i = 0; i < days; i += 1) {
        const date = new Date(lo + i * DAY);
        const weekday = date.getUTCDay();
        const month = date.getUTCMonth();
        sum += (monthWeights[month] ?? 1) * (weekday === 0 || weekday === 6 ? 0.08 : 1) * (growth ? 1 + 0.06 * month : 1);
        weights[i] = sum;
      }
      this.dayWeights.set(key, weights);
    }
    return lo + this.ctx.rng.weighted(weights) * DAY;
  }
}
