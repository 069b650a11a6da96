/**
 * What every phase of the demo plan shares: the random streams, drawn in a fixed order (so
 * the phases must run in buildPlan's order for a seed to give the same data), the learners
 * so far, the id sequences, and the hours at which the back office and learners act.
 */
import type { Status, StatusAssessment } from '@ledger/events';
import { STATUSES } from '@ledger/events';
import type { DemoDesign } from './demo-calibration';
import { PUBLICATION_KNOWN_AT } from './demo-calibration';
import type { Learner } from './demo-plan-model';
import { DAY, MINUTE, PARIS, type Zone, countryIndex, dayIndex, lastRecordingDayAt, localToUtc, zoneOfCountry } from './demo-time';
import { Prng } from './prng';

const KNOWN_AT_MS = Date.parse(PUBLICATION_KNOWN_AT);
/** The last recording day that exists as known at publication (2021-03-13, recorded 2021-03-14T01:00Z). */
export const LAST_DAY_BEFORE_PUBLICATION = lastRecordingDayAt(KNOWN_AT_MS);
/** Post-publication corrections are recorded in spring 2021. */
export const AFTER_PUBLICATION_DAYS: readonly [number, number] = [dayIndex(Date.UTC(2021, 3, 6)), dayIndex(Date.UTC(2021, 5, 25))];

export const ISO_DAY = (text: string) => Date.parse(`${text}T00:00:00Z`);

export class PlanContext {
  readonly rng: Prng;
  /** Event ids come from their own stream, drawn only when the plan is turned into events. */
  readonly idRng: Prng;
  readonly learners: Learner[] = [];
  /** Learners by cohort key, in the order their admissions were drawn. */
  readonly byCohort = new Map<string, Learner[]>();
  private readonly sequences = new Map<string, number>();

  constructor(
    readonly seed: number,
    readonly design: DemoDesign,
  ) {
    this.rng = new Prng(seed, 'plan');
    this.idRng = new Prng(seed, 'plan-event-ids');
  }

  newLearner(country: string, signup: number): Learner {
    const learner: Learner = { index: this.learners.length, country, spells: [], fundings: [], signup, declarations: [], activeMonths: 0 };
    this.learners.push(learner);
    return learner;
  }

  next(prefix: string): number {
    const n = (this.sequences.get(prefix) ?? 0) + 1;
    this.sequences.set(prefix, n);
    return n;
  }

  cohortLearners(key: string): Learner[] {
    let list = this.byCohort.get(key);
    if (!list) {
      list = [];
      this.byCohort.set(key, list);
    }
    return list;
  }

  assessment(assessed: Iterable<Status>, held: Iterable<Status>): StatusAssessment {
    const a = new Set(assessed);
    const h = new Set(held);
    return { assessed: STATUSES.filter((s) => a.has(s)), held: STATUSES.filter((s) => h.has(s) && a.has(s)) };
  }

  /** Picks `k` of `from` (excluding `not`), exactly. */
  pickExactly(from: readonly Learner[], k: number, not: ReadonlySet<Learner> = new Set()): Learner[] {
    const pool = from.filter((l) => !not.has(l));
    if (pool.length < k) throw new Error(`demo plan: cannot pick ${k} of ${pool.length} learners`);
    return this.rng.choose(pool.length, k).map((i) => pool[i] as Learner);
  }

  /** Back-office hours in Paris (08:30-18:30), within the UTC day `day` starts. */
  businessTime(day: number): number {
    return localToUtc(PARIS, day, 510 + this.rng.int(600)) + this.rng.int(60) * 1000;
  }

  /** A learner's own hours (07:00-23:59 local), within the UTC day `day` starts when possible. */
  learnerTime(day: number, zone: Zone): number {
    for (let i = 0; i < 8; i += 1) {
      const ms = localToUtc(zone, day, 420 + this.rng.int(1020)) + this.rng.int(60) * 1000;
      if (ms >= day && ms < day + DAY) return ms;
    }
    return day + this.rng.int(DAY / 1000) * 1000;
  }

  /** An instant in [lo, hi) on a learner's hours, in their zone. */
  learnerInstant(learner: Learner, lo: number, hi: number): number {
    const zone = zoneOfCountry(countryIndex(learner.country));
    const days = Math.max(1, Math.floor((hi - lo) / DAY));
    const ms = this.learnerTime(Math.floor(lo / DAY) * DAY + this.rng.int(days) * DAY, zone);
    return Math.min(Math.max(ms, lo), hi - MINUTE);
  }

  afterPublicationDay(): number {
    return this.rng.between(AFTER_PUBLICATION_DAYS[0], AFTER_PUBLICATION_DAYS[1]);
  }
}
