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
 */
import type {
  Gender,
  LedgerEvent,
  Motivation,
  Outcome,
  PathEndReason,
  PathLanguage,
  Status,
  StatusAssessment,
  Track,
} from '../../events/src/catalog';
import { MOTIVATIONS, STATUSES } from '../../events/src/catalog';
import type { CohortDesign, CohortKind, DemoDesign, Pattern } from './demo-calibration';
import { PUBLICATION_KNOWN_AT } from './demo-calibration';
import { LearnerIds } from './demo-ids';
import {
  CHECKPOINTS,
  COUNTRIES,
  COUNTRY_WEIGHTS,
  DAY,
  MINUTE,
  MONTHS,
  PARIS,
  T0,
  T_END,
  US_EASTERN,
  type Zone,
  countryIndex,
  dayIndex,
  formatInstant,
  lastRecordingDayAt,
  localToUtc,
  monthOf,
  zoneOfCountry,
} from './demo-time';
import { Prng, cumulative } from './prng';

export interface TimedEvent {
  /** occurredAt in UTC milliseconds: the order of events within a recording batch. */
  readonly ms: number;
  readonly event: LedgerEvent;
}

/** A 2020 course start that the activity engine duplicates; the duplicate is retracted after publication. */
export interface PlannedDuplicate {
  readonly month: number;
  readonly eventId: string;
  readonly retractionId: string;
  readonly retractionDay: number;
  readonly retractionMs: number;
}

export interface DemoCorrections {
  /** Events that exist as known at publication and are retracted after it. */
  readonly retractedAfterPublication: readonly string[];
  /** Every event recorded after the publication moment: those retractions and late 2020 declarations. */
  readonly recordedAfterPublication: readonly string[];
}

export interface DemoPlan {
  /** Planned learners have indices 0..learnerCount-1; the activity engine numbers its own after them. */
  readonly learnerCount: number;
  readonly countryOf: Uint8Array;
  /** Per month 0..23, the planned learners active that month. */
  readonly forcedByMonth: readonly Int32Array[];
  /** Per year (0 = 2019, 1 = 2020) and planned learner: 1 female, 2 male or non-binary, 0 not a gendered free user of that year. */
  readonly freeUserGender: readonly [Uint8Array, Uint8Array];
  /** Per month, planned survey answers per motivation (MOTIVATIONS order). */
  readonly surveyMotivations: readonly Int32Array[];
  /** Planned events by recording day (-1: the migration of pre-2019 history). */
  readonly eventsByDay: ReadonlyMap<number, readonly TimedEvent[]>;
  readonly duplicates: readonly PlannedDuplicate[];
  readonly corrections: DemoCorrections;
}

const KNOWN_AT_MS = Date.parse(PUBLICATION_KNOWN_AT);
/** The last recording day that exists as known at publication (2021-03-13, recorded 2021-03-14T01:00Z). */
export const LAST_DAY_BEFORE_PUBLICATION = lastRecordingDayAt(KNOWN_AT_MS);
/** Post-publication corrections are recorded in spring 2021. */
const AFTER_PUBLICATION_DAYS: readonly [number, number] = [dayIndex(Date.UTC(2021, 3, 6)), dayIndex(Date.UTC(2021, 5, 25))];

const ISO_DAY = (text: string) => Date.parse(`${text}T00:00:00Z`);
const YEAR_START = (ms: number) => Date.UTC(new Date(ms).getUTCFullYear(), 0, 1);

// ---------------------------------------------------------------------------------------
// Paths, countries, seasonality

const FR_PATHS = [
  'developpeur-web',
  'developpeur-d-application-python',
  'data-analyst',
  'chef-de-projet-digital',
  'designer-ux-ui',
  'technicien-informatique',
  'administrateur-infrastructure-et-cloud',
  'expert-en-strategie-marketing-et-communication',
  'developpeur-front-end',
  'developpeur-d-application-java',
  'gestionnaire-de-paie',
  'assistant-ressources-humaines',
  'data-scientist',
  'product-manager',
];
const FR_PATH_WEIGHTS = cumulative([22, 10, 12, 9, 8, 7, 6, 6, 6, 4, 3, 3, 2, 2]);
/** Employment programs add the digital-literacy path (Passeport numerique) to the usual ones. */
const PROGRAM_PATHS = [...FR_PATHS, 'passeport-numerique'];
const PROGRAM_PATH_WEIGHTS = cumulative([22, 10, 12, 9, 8, 9, 6, 6, 6, 4, 3, 3, 2, 2, 14]);
const EN_PATHS = [
  'web-developer',
  'data-analyst-en',
  'business-developer',
  'it-support-technician',
  'project-manager',
  'front-end-developer',
  'python-developer',
];
const EN_PATH_WEIGHTS = cumulative([25, 20, 10, 15, 12, 10, 8]);

const SELF_COUNTRIES = ['FR', 'BE', 'CH', 'CA', 'MA', 'SN', 'CI', 'CM', 'TN', 'DZ', 'LU', 'RE'];
const SELF_COUNTRY_WEIGHTS = cumulative([70, 5, 3, 4, 5, 3, 3, 2, 2, 3, 1, 1]);
const ENGLISH_COUNTRIES = ['IN', 'NG', 'GB', 'US', 'CA', 'KE', 'GH', 'ZA', 'PK', 'PH', 'EG', 'CM', 'RW', 'MU', 'FR'];
const ENGLISH_COUNTRY_WEIGHTS = cumulative([15, 12, 10, 12, 8, 6, 6, 6, 5, 5, 5, 3, 2, 2, 3]);
const FRANCE_COUNTRIES = ['FR', 'RE', 'GP', 'MQ'];
const FRANCE_COUNTRY_WEIGHTS = cumulative([95, 2, 1.5, 1.5]);
const FREE_COUNTRY_WEIGHTS = cumulative(COUNTRY_WEIGHTS);

/** Admissions per calendar month (Jan..Dec) by kind: September starts, apprenticeships above all. */
const ADMISSION_MONTHS: Readonly<Record<CohortKind, readonly number[]>> = {
  apprenticeship: [0.8, 0.5, 0.5, 0.4, 0.4, 0.5, 0.7, 0.6, 3.0, 2.2, 1.0, 0.5],
  'employer-abroad': [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  pse: [1, 1, 1, 1, 1, 1.2, 1.2, 0.8, 1.5, 1.6, 1.6, 1.0],
  'public-aid': [1.2, 1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.5, 1.4, 1.3, 1.3, 0.8],
  'employment-program': [1, 1, 0.6, 0.8, 0.9, 1.0, 0.8, 0.4, 1.6, 1.6, 1.4, 0.6],
  self: [1.4, 1.1, 1.0, 0.9, 0.9, 0.8, 0.7, 0.5, 1.3, 1.2, 1.0, 0.7],
};

const MOTIVATION_WEIGHTS_PATH = cumulative([20, 20, 45, 5, 3, 7]);
const MOTIVATION_WEIGHTS_DECLARANT = cumulative([20, 35, 30, 5, 5, 5]);
const GENDERS_PATH: readonly (Gender | undefined)[] = ['female', 'male', 'non-binary', 'undisclosed', undefined];
const GENDER_WEIGHTS_PATH = cumulative([30, 62, 1, 4, 3]);
const GENDER_WEIGHTS_DECLARANT = cumulative([19, 73, 1, 4, 3]);

// ---------------------------------------------------------------------------------------
// Plan records

interface Spell {
  readonly cohort: CohortDesign;
  readonly admissionId: string;
  readonly admit: number;
  readonly end?: number;
  readonly reason?: PathEndReason;
  readonly pathId: string;
  readonly language: PathLanguage;
  readonly track: Track;
  readonly country?: string;
  assessment?: StatusAssessment;
}

interface Funding {
  readonly ms: number;
  readonly funder: 'self' | 'public-aid' | 'pse' | 'employment-program' | 'apprenticeship' | 'employer-abroad';
  readonly zone: Zone | 'utc';
  employerId?: string;
  assessment?: StatusAssessment;
  readonly lagDays: number;
}

interface Contract {
  readonly ms: number;
  readonly contractId: string;
  employerId: string;
}

interface Declaration {
  readonly ms: number;
  readonly outcome: Outcome;
  readonly evidence: { readonly kind: 'survey-response' | 'signed-contract'; readonly reference: string };
  readonly recordDay: number;
  retraction?: { readonly day: number; readonly reason: string };
}

interface Survey {
  readonly ms: number;
  readonly motivation: Motivation;
  gender?: Gender;
  assessment?: StatusAssessment;
}

interface Learner {
  readonly index: number;
  country: string;
  readonly spells: Spell[];
  readonly fundings: Funding[];
  contract?: Contract;
  survey?: Survey;
  /** Signup instant: the survey's when there is one. */
  signup: number;
  readonly declarations: Declaration[];
  /** Statuses as the admissions or funding back office know them (placed on those events). */
  jobSeeker?: 'held' | 'not-held';
  activeMonths: number;
}

// ---------------------------------------------------------------------------------------

export function buildPlan(seed: number, design: DemoDesign): DemoPlan {
  return new PlanBuilder(seed, design).build();
}

class PlanBuilder {
  private readonly rng: Prng;
  private readonly idRng: Prng;
  private readonly learners: Learner[] = [];
  private readonly byCohort = new Map<string, Learner[]>();
  private readonly sequences = new Map<string, number>();

  constructor(
    private readonly seed: number,
    private readonly design: DemoDesign,
  ) {
    this.rng = new Prng(seed, 'plan');
    this.idRng = new Prng(seed, 'plan-event-ids');
  }

  build(): DemoPlan {
    this.createPathLearners();
    this.assignEmployers();
    this.assignEnglishPaths();
    this.assignPopulations();
    this.addSignupSurveys();
    this.addDeclarations();
    this.addActivityMonths();
    return this.emit();
  }

  // ---- learners and their paths

  private newLearner(country: string, signup: number): Learner {
    const learner: Learner = { index: this.learners.length, country, spells: [], fundings: [], signup, declarations: [], activeMonths: 0 };
    this.learners.push(learner);
    return learner;
  }

  private next(prefix: string): number {
    const n = (this.sequences.get(prefix) ?? 0) + 1;
    this.sequences.set(prefix, n);
    return n;
  }

  private cohortLearners(key: string): Learner[] {
    let list = this.byCohort.get(key);
    if (!list) {
      list = [];
      this.byCohort.set(key, list);
    }
    return list;
  }

  private createPathLearners(): void {
    const overlap = this.design.twoSegmentLearners;
    const h2 = this.design.cohorts.find((c) => c.key === 'app-2020-h2');
    for (const cohort of this.design.cohorts) {
      for (const [patternText, count] of Object.entries(cohort.patterns)) {
        const pattern = Number(patternText) as Pattern;
        let n = count ?? 0;
        // The two-segment learners' apprenticeship admissions are made with their public-aid ones.
        if (cohort.key === 'app-2020-h2' && pattern === 4) n -= overlap;
        for (let i = 0; i < n; i += 1) {
          const twoSegment = cohort.key === 'pa-2020' && pattern === 0 && i < overlap;
          const learner = this.newLearner(this.countryFor(cohort.kind), 0);
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
    if (kind === 'self') return SELF_COUNTRIES[this.rng.weighted(SELF_COUNTRY_WEIGHTS)] ?? 'FR';
    if (kind === 'employer-abroad') return 'US'; // set with the employer entity
    return FRANCE_COUNTRIES[this.rng.weighted(FRANCE_COUNTRY_WEIGHTS)] ?? 'FR';
  }

  /** Public-aid path of a two-segment learner: admitted February to April 2020, withdrew before mid-June. */
  private earlyWithdrawal(): { admit: number; end: number; reason: PathEndReason } {
    const day = ISO_DAY('2020-02-03') + this.rng.int(90) * DAY;
    const admit = this.businessTime(day);
    return { admit, end: this.businessTime(day + this.rng.between(20, 45) * DAY), reason: 'withdrew' };
  }

  private addSpell(learner: Learner, cohort: CohortDesign, when: { admit: number; end?: number; reason?: PathEndReason }): void {
    const kind = cohort.kind;
    const track: Track = kind === 'apprenticeship' ? 'apprenticeship' : kind === 'employment-program' ? 'employment-program' : 'paid-path';
    const language: PathLanguage = kind === 'employer-abroad' ? 'en' : 'fr';
    const pathId =
      language === 'en'
        ? `path-${EN_PATHS[this.rng.weighted(EN_PATH_WEIGHTS)] ?? 'web-developer'}`
        : kind === 'employment-program'
          ? `path-${PROGRAM_PATHS[this.rng.weighted(PROGRAM_PATH_WEIGHTS)] ?? 'developpeur-web'}`
          : `path-${FR_PATHS[this.rng.weighted(FR_PATH_WEIGHTS)] ?? 'developpeur-web'}`;
    const year = new Date(when.admit).getUTCFullYear();
    const spell: Spell = {
      cohort,
      admissionId: `ADM-${year}-${String(this.next(`adm${year}`)).padStart(6, '0')}`,
      admit: when.admit,
      ...(when.end !== undefined ? { end: when.end } : {}),
      ...(when.reason !== undefined ? { reason: when.reason } : {}),
      pathId,
      language,
      track,
      ...(this.rng.chance(0.8) ? { country: learner.country } : {}),
    };
    learner.spells.push(spell);
    this.cohortLearners(cohort.key).push(learner);
    this.addFunding(learner, spell);
  }

  /** Funding precedes the admission (an approved funding opens the path) and falls in the same year. */
  private addFunding(learner: Learner, spell: Spell): void {
    const kind = spell.cohort.kind;
    const floor = kind === 'employer-abroad' ? ISO_DAY('2020-05-15') : YEAR_START(spell.admit);
    const before = (maxDays: number) => Math.max(floor + 2 * 3_600_000, spell.admit - MINUTE * this.rng.between(60, maxDays * 24 * 60));
    switch (kind) {
      case 'self':
        if (this.rng.chance(0.55)) learner.fundings.push({ ms: before(7), funder: 'self', zone: PARIS, lagDays: 0 });
        return;
      case 'public-aid':
      case 'pse': {
        // Pole emploi confirms many public fundings weeks after the fact.
        const lagDays = this.rng.chance(0.35) ? this.rng.between(7, 60) : 0;
        learner.fundings.push({ ms: before(25), funder: kind, zone: 'utc', lagDays });
        return;
      }
      case 'employment-program':
        learner.fundings.push({ ms: before(10), funder: 'employment-program', zone: PARIS, lagDays: this.lag(0.1, 5) });
        return;
      case 'employer-abroad':
        learner.fundings.push({ ms: before(20), funder: 'employer-abroad', zone: US_EASTERN, lagDays: this.lag(0.2, 10) });
        return;
      case 'apprenticeship': {
        const signed = before(40);
        learner.contract = { ms: signed, contractId: `CTR-${String(this.next('ctr')).padStart(6, '0')}`, employerId: '' };
        const funded = Math.min(signed + this.rng.between(0, 5) * DAY, spell.admit - 30 * MINUTE);
        learner.fundings.push({ ms: Math.max(signed, funded), funder: 'apprenticeship', zone: PARIS, lagDays: this.lag(0.15, 14) });
        return;
      }
    }
  }

  /** Recording delay in days: none, or 1 to `max` days with probability `p`. */
  private lag(p: number, max: number): number {
    return this.rng.chance(p) ? this.rng.between(1, max) : 0;
  }

  /** Admission and end drawn so that the admission is open exactly at the checkpoints of `pattern`. */
  private sampleSpell(cohort: CohortDesign, pattern: Pattern): { admit: number; end?: number; reason?: PathEndReason } {
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
    let result: { admit: number; end?: number; reason?: PathEndReason } | undefined;
    for (let attempt = 0; attempt < 400 && result === undefined; attempt += 1) {
      const day = this.sampleDay(admitLo, admitHi, weights, growth);
      const admit = this.businessTime(day);
      const [lo, hi] = endBounds(admit);
      if (hi === undefined) {
        result = { admit };
        break;
      }
      const { days, reason } = this.duration(cohort.kind);
      const end = this.businessTime(day + days * DAY);
      if (end >= lo && end < hi && end > admit) result = { admit, end, reason };
    }
    if (result === undefined) {
      // Rare: the usual durations do not fit the pattern; end uniformly where it must.
      const day = this.sampleDay(admitLo, admitHi, weights, growth);
      const admit = this.businessTime(day);
      const [lo, hi] = endBounds(admit);
      const firstDay = Math.max(lo, day + DAY);
      const lastDay = (hi ?? T_END) - DAY;
      if (lastDay < firstDay) throw new Error(`demo plan: no end fits pattern ${pattern} of ${cohort.key}`);
      const end = this.businessTime(firstDay + this.rng.int((lastDay - firstDay) / DAY + 1) * DAY);
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
    const rng = this.rng;
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

  private readonly dayWeights = new Map<string, Float64Array>();

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
    return lo + this.rng.weighted(weights) * DAY;
  }

  /** Back-office hours in Paris (08:30-18:30), within the UTC day `day` starts. */
  private businessTime(day: number): number {
    return localToUtc(PARIS, day, 510 + this.rng.int(600)) + this.rng.int(60) * 1000;
  }

  /** A learner's own hours (07:00-23:59 local), within the UTC day `day` starts when possible. */
  private learnerTime(day: number, zone: Zone): number {
    for (let i = 0; i < 8; i += 1) {
      const ms = localToUtc(zone, day, 420 + this.rng.int(1020)) + this.rng.int(60) * 1000;
      if (ms >= day && ms < day + DAY) return ms;
    }
    return day + this.rng.int(DAY / 1000) * 1000;
  }

  // ---- employers, English paths, statuses

  private employerId(n: number): string {
    return `EMP-${String(100000 + ((n * 7919 + 4211) % 900000))}`;
  }

  /** Every employer of a pool funds at least one learner; the rest go mostly to the first (bigger) ones. */
  private spreadEmployers(learners: readonly Learner[], pool: readonly string[], set: (learner: Learner, employerId: string) => void): void {
    const order = this.rng.shuffle(learners.slice());
    order.forEach((learner, i) => {
      const slot = i < pool.length ? i : Math.floor(pool.length * this.rng.next() ** 1.6);
      set(learner, pool[slot] ?? pool[0] ?? 'EMP-000000');
    });
  }

  private assignEmployers(): void {
    const e = this.design.partnerEmployers;
    let n = 0;
    const fresh = (count: number) => Array.from({ length: count }, () => this.employerId((n += 1)));
    const pool2019 = fresh(e.y2019);
    const pool2020 = [...this.rng.shuffle(pool2019.slice()).slice(0, e.repeatFrom2019), ...fresh(e.y2020Apprenticeship - e.repeatFrom2019)];
    const apprentice = (learner: Learner, employerId: string) => {
      const funding = learner.fundings.find((f) => f.funder === 'apprenticeship');
      if (funding) funding.employerId = employerId;
      if (learner.contract) learner.contract.employerId = employerId;
    };
    const of = (prefix: string) => [...this.byCohort.entries()].filter(([key]) => key.startsWith(prefix)).flatMap(([, list]) => list);
    this.spreadEmployers(of('app-2018'), pool2019, apprentice);
    this.spreadEmployers(of('app-2019'), pool2019, apprentice);
    this.spreadEmployers(of('app-2020'), pool2020, apprentice);
    const pse = fresh(e.pse);
    this.spreadEmployers(of('pse-2020'), pse, (learner, id) => learner.fundings.forEach((f) => (f.employerId = id)));
    // The US logistics operator and its UK subsidiary: the employee's country follows the entity.
    const abroad = fresh(e.abroad);
    this.spreadEmployers(of('abroad-2020'), abroad, (learner, id) => {
      learner.fundings.forEach((f) => (f.employerId = id));
      learner.country = id === abroad[1] ? 'GB' : 'US';
      learner.spells.forEach((spell, i) => {
        if (spell.country !== undefined) learner.spells[i] = { ...spell, country: learner.country };
      });
    });
  }

  private selfEnglish: Learner[] = [];
  private publicAidEnglish: Learner[] = [];

  private assignEnglishPaths(): void {
    const en = this.design.english;
    const selfPool = [...this.cohortLearners('self-2020-jan'), ...this.cohortLearners('self-2020')];
    const paPool = this.cohortLearners('pa-2020').filter((l) => l.spells.length === 1);
    if (selfPool.length < en.self || paPool.length < en.publicAid) throw new Error('demo plan: too few 2020 learners for the English paths');
    this.selfEnglish = this.rng.choose(selfPool.length, en.self).map((i) => selfPool[i] as Learner);
    this.publicAidEnglish = this.rng.choose(paPool.length, en.publicAid).map((i) => paPool[i] as Learner);
    const toEnglish = (learner: Learner, country: string | undefined) => {
      const spell = learner.spells[0];
      if (!spell) return;
      learner.spells[0] = {
        ...spell,
        language: 'en',
        pathId: `path-${EN_PATHS[this.rng.weighted(EN_PATH_WEIGHTS)] ?? 'web-developer'}`,
        ...(spell.country !== undefined && country ? { country } : {}),
      };
    };
    for (const learner of this.selfEnglish) {
      const country = ENGLISH_COUNTRIES[this.rng.weighted(ENGLISH_COUNTRY_WEIGHTS)] ?? 'IN';
      learner.country = country;
      toEnglish(learner, country);
    }
    for (const learner of this.publicAidEnglish) toEnglish(learner, undefined);
  }

  private assessment(assessed: Iterable<Status>, held: Iterable<Status>): StatusAssessment {
    const a = new Set(assessed);
    const h = new Set(held);
    return { assessed: STATUSES.filter((s) => a.has(s)), held: STATUSES.filter((s) => h.has(s) && a.has(s)) };
  }

  /** Picks `k` of `from` (excluding `not`), exactly. */
  private pickExactly(from: readonly Learner[], k: number, not: ReadonlySet<Learner> = new Set()): Learner[] {
    const pool = from.filter((l) => !not.has(l));
    if (pool.length < k) throw new Error(`demo plan: cannot pick ${k} of ${pool.length} learners`);
    return this.rng.choose(pool.length, k).map((i) => pool[i] as Learner);
  }

  /**
   * Status assessments that give the populations table exactly. Paid-funded and employer-funded
   * learners are never asked about low qualification or QPV residence (the published nulls).
   */
  private assignPopulations(): void {
    const p = this.design.populations;
    const program = [...this.cohortLearners('ep-2020-jan'), ...this.cohortLearners('ep-2020')];
    const lowQualified = new Set(this.pickExactly(program, p.programLowQualified));
    const qpvAssessed = this.pickExactly(program, p.programQpvAssessed);
    const qpv = new Set(this.pickExactly(qpvAssessed, p.programQpv));
    const qpvAsked = new Set(qpvAssessed);
    const disabled = new Set(this.pickExactly(program, p.programDisability));
    for (const learner of program) {
      const spell = learner.spells[0];
      if (!spell) continue;
      const assessed: Status[] = ['job-seeker', 'low-qualified', 'refugee', 'disability'];
      if (qpvAsked.has(learner)) assessed.push('qpv-resident');
      const held: Status[] = ['job-seeker'];
      if (lowQualified.has(learner)) held.push('low-qualified');
      if (qpv.has(learner)) held.push('qpv-resident');
      if (disabled.has(learner)) held.push('disability');
      spell.assessment = this.assessment(assessed, held);
      learner.jobSeeker = 'held';
      // Pole emploi's funding notice repeats the job-seeker status for some.
      const funding = learner.fundings[0];
      if (funding && this.rng.chance(0.5)) funding.assessment = this.assessment(['job-seeker'], ['job-seeker']);
    }
    // The 2019 program learners were assessed too (not in the 2020 table).
    for (const learner of this.cohortLearners('ep-2019')) {
      const spell = learner.spells[0];
      if (!spell) continue;
      const held: Status[] = ['job-seeker'];
      if (this.rng.chance(0.25)) held.push('low-qualified');
      if (this.rng.chance(0.08)) held.push('disability');
      spell.assessment = this.assessment(['job-seeker', 'low-qualified', 'disability'], held);
      learner.jobSeeker = 'held';
    }

    // Paid-funded: public-aid and PSE fundings of 2020. Statuses sit on the funding.
    const pse = this.cohortLearners('pse-2020');
    const paid = this.cohortLearners('pa-2020').concat(this.cohortLearners('pa-2020-jan'));
    const twoSegment = paid.filter((l) => l.spells.length > 1);
    const englishJobSeekers = this.publicAidEnglish.slice(0, this.design.english.publicAidJobSeekers);
    const english = new Set(this.publicAidEnglish);
    const fixedSet = new Set([...twoSegment, ...english]);
    const unassessed = new Set(this.pickExactly(paid, p.paidUnassessed, new Set([...twoSegment, ...englishJobSeekers])));
    const others = paid.filter((l) => !fixedSet.has(l) && !unassessed.has(l));
    const otherJobSeekers = this.pickExactly(others, p.paidJobSeekers - pse.length - twoSegment.length - englishJobSeekers.length);
    const jobSeekers = new Set([...pse, ...twoSegment, ...englishJobSeekers, ...otherJobSeekers]);
    const disabledJobSeekers = this.pickExactly(otherJobSeekers, p.paidDisabilityJobSeekers);
    const disabledOnly = this.pickExactly(others, p.paidDisability - p.paidDisabilityJobSeekers, jobSeekers);
    const paidDisabled = new Set([...disabledJobSeekers, ...disabledOnly]);
    const assessedPaid = [...pse, ...paid.filter((l) => !unassessed.has(l))];
    const moreAsked = Math.max(0, Math.min(p.paidDisabilityAssessed, assessedPaid.length) - paidDisabled.size);
    const disabilityAsked = new Set([...paidDisabled, ...this.pickExactly(assessedPaid, moreAsked, paidDisabled)]);
    const refugeeAsked = new Set(this.pickExactly(assessedPaid, Math.min(p.paidRefugeeAssessed, assessedPaid.length)));
    for (const learner of assessedPaid) {
      const funding = learner.fundings.find((f) => f.funder === 'public-aid' || f.funder === 'pse');
      if (!funding) continue;
      const assessed: Status[] = ['job-seeker'];
      if (disabilityAsked.has(learner)) assessed.push('disability');
      if (refugeeAsked.has(learner)) assessed.push('refugee');
      const held: Status[] = [];
      if (jobSeekers.has(learner)) held.push('job-seeker');
      if (paidDisabled.has(learner)) held.push('disability');
      funding.assessment = this.assessment(assessed, held);
      learner.jobSeeker = jobSeekers.has(learner) ? 'held' : 'not-held';
    }

    // Employer-funded: the US operator's employees are all underemployed; apprentices hired from July 2020 were assessed.
    for (const learner of this.cohortLearners('abroad-2020')) {
      const funding = learner.fundings[0];
      if (funding) funding.assessment = this.assessment(['job-seeker'], ['job-seeker']);
      learner.jobSeeker = 'held';
    }
    const h2 = this.cohortLearners('app-2020-h2');
    const h2Others = h2.filter((l) => l.spells.length === 1);
    const h2JobSeekersOthers = this.pickExactly(h2Others, p.apprenticeJobSeekers - twoSegment.length);
    const h2JobSeekers = new Set([...twoSegment, ...h2JobSeekersOthers]);
    const h2DisabledJobSeekers = this.pickExactly(h2JobSeekersOthers, p.apprenticeDisabilityJobSeekers);
    const h2RefugeeJobSeekers = this.pickExactly(h2JobSeekersOthers, p.apprenticeRefugeeJobSeekers, new Set(h2DisabledJobSeekers));
    const h2DisabledOnly = this.pickExactly(h2Others, p.apprenticeDisability - p.apprenticeDisabilityJobSeekers, h2JobSeekers);
    const h2RefugeeOnly = this.pickExactly(
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
      spell.assessment = this.assessment(['job-seeker', 'refugee', 'disability'], held);
      learner.jobSeeker = h2JobSeekers.has(learner) ? 'held' : 'not-held';
      // Techfugees' three apprentices in data management are women.
      if (h2Refugees.has(learner)) this.womenRefugees.add(learner);
    }
  }

  private readonly womenRefugees = new Set<Learner>();

  // ---- surveys

  /**
   * Signup surveys, weeks to a year before admission. A learner in a 2020 segment only states
   * job-seeker status there, and only as the back office knows it; learners who were never
   * assessed answer without the status question, so no survey can change the populations table.
   */
  private addSignupSurveys(): void {
    const selfEnglishJobSeekers = new Set(this.selfEnglish.slice(0, this.design.english.selfJobSeekers));
    const selfEnglish = new Set(this.selfEnglish);
    const segmentYear = (learner: Learner) =>
      learner.spells.some((s) => /^(pa-2020|pse-2020|ep-2020|app-2020|abroad-2020)/.test(s.cohort.key));
    for (const learner of this.learners) {
      const first = learner.spells[0];
      if (!first) continue;
      const abroad = first.cohort.kind === 'employer-abroad';
      learner.signup = first.admit - this.rng.between(abroad ? 5 : 20, abroad ? 60 : 420) * DAY;
      const mustAnswer = selfEnglishJobSeekers.has(learner);
      if (!mustAnswer && !this.rng.chance(abroad ? 0.6 : 0.85)) continue;
      const zone = zoneOfCountry(countryIndex(learner.country));
      const ms = this.learnerTime(Math.floor(learner.signup / DAY) * DAY, zone);
      learner.signup = ms;
      const survey: Survey = {
        ms,
        motivation: MOTIVATIONS[this.rng.weighted(MOTIVATION_WEIGHTS_PATH)] ?? 'career-change',
      };
      const gender = this.womenRefugees.has(learner) ? 'female' : GENDERS_PATH[this.rng.weighted(GENDER_WEIGHTS_PATH)];
      if (gender !== undefined) survey.gender = gender;
      if (selfEnglish.has(learner)) {
        if (mustAnswer) survey.assessment = this.assessment(['job-seeker'], ['job-seeker']);
        else if (this.rng.chance(0.5)) survey.assessment = this.assessment(['job-seeker'], []);
      } else if (segmentYear(learner)) {
        if (learner.jobSeeker === 'held' && this.rng.chance(0.4)) survey.assessment = this.assessment(['job-seeker'], ['job-seeker']);
        else if (learner.jobSeeker === 'not-held' && this.rng.chance(0.3)) survey.assessment = this.assessment(['job-seeker'], []);
      } else if (this.rng.chance(0.6)) {
        survey.assessment = this.assessment(['job-seeker'], this.rng.chance(0.45) ? ['job-seeker'] : []);
      }
      learner.survey = survey;
    }
  }

  // ---- declarations

  private survey(year: number): string {
    return `SRV-OUT-${year}-${String(this.next(`out${year}`)).padStart(6, '0')}`;
  }

  private declaration(learner: Learner, ms: number, outcome: Outcome, lateAfterPublication = false): Declaration {
    const year = new Date(ms).getUTCFullYear();
    const signed = outcome !== 'promotion' && this.rng.chance(0.1);
    const evidence = signed
      ? ({ kind: 'signed-contract', reference: `DOC-${year}-${String(this.next('doc')).padStart(6, '0')}` } as const)
      : ({ kind: 'survey-response', reference: this.survey(year) } as const);
    // Outcomes are learnt from alumni surveys, days to months after the new job starts.
    const recordDay = lateAfterPublication
      ? this.rng.between(AFTER_PUBLICATION_DAYS[0], AFTER_PUBLICATION_DAYS[1])
      : Math.min(LAST_DAY_BEFORE_PUBLICATION, dayIndex(ms) + this.rng.between(5, 100));
    const declaration: Declaration = { ms, outcome, evidence, recordDay };
    learner.declarations.push(declaration);
    return declaration;
  }

  private outcome(weights: Float64Array): Outcome {
    const outcomes: readonly Outcome[] = ['new-job', 'promotion', 'business-created'];
    return outcomes[this.rng.weighted(weights)] ?? 'new-job';
  }

  /** A free user (never admitted) who signed up in 2019-2020 and declares an outcome at `ms`. */
  private freeDeclarant(ms: number): Learner {
    const country = COUNTRIES[this.rng.weighted(FREE_COUNTRY_WEIGHTS)] ?? 'FR';
    const earliest = T0 + DAY;
    const latest = Math.max(earliest, ms - 20 * DAY);
    const signupDay = Math.floor((earliest + this.rng.next() * (latest - earliest)) / DAY) * DAY;
    const learner = this.newLearner(country, 0);
    learner.signup = this.learnerTime(signupDay, zoneOfCountry(countryIndex(country)));
    if (learner.signup > ms) learner.signup = ms - DAY;
    if (this.rng.chance(0.9)) {
      const survey: Survey = { ms: learner.signup, motivation: MOTIVATIONS[this.rng.weighted(MOTIVATION_WEIGHTS_DECLARANT)] ?? 'career-development' };
      const gender = GENDERS_PATH[this.rng.weighted(GENDER_WEIGHTS_DECLARANT)];
      if (gender !== undefined) survey.gender = gender;
      if (this.rng.chance(0.6)) survey.assessment = this.assessment(['job-seeker'], this.rng.chance(0.4) ? ['job-seeker'] : []);
      learner.survey = survey;
    }
    return learner;
  }

  /** An instant in [lo, hi) on a learner's hours, in their zone. */
  private learnerInstant(learner: Learner, lo: number, hi: number): number {
    const zone = zoneOfCountry(countryIndex(learner.country));
    const days = Math.max(1, Math.floor((hi - lo) / DAY));
    const ms = this.learnerTime(Math.floor(lo / DAY) * DAY + this.rng.int(days) * DAY, zone);
    return Math.min(Math.max(ms, lo), hi - MINUTE);
  }

  private addDeclarations(): void {
    const d = this.design.declarations;
    const y2020 = [Date.UTC(2020, 0, 1), T_END] as const;
    const counted: Learner[] = [];
    const NEW_JOB_MOSTLY = cumulative([74, 18, 8]);
    const FREE_MIX = cumulative([50, 40, 10]);

    // Apprentices' contracts are declarations already; some also come back as a signed-contract outcome.
    const apprentices2020 = [...this.cohortLearners('app-2020-jan'), ...this.cohortLearners('app-2020-h1'), ...this.cohortLearners('app-2020-h2')];
    for (const learner of this.pickExactly(apprentices2020, Math.min(d.apprenticeOutcomes, apprentices2020.length))) {
      const contract = learner.contract;
      if (!contract) continue;
      const ms = Math.min(contract.ms + this.rng.between(0, 3) * DAY, T_END - DAY);
      const evidence = { kind: 'signed-contract', reference: contract.contractId } as const;
      learner.declarations.push({ ms, outcome: 'apprenticeship', evidence, recordDay: dayIndex(ms) });
    }

    // Graduates of 2019-2020 paths (never the 2020 apprentices, already counted) declaring a new job in 2020.
    const graduates = this.learners.filter((l) => {
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
    const chosenGraduates = this.pickExactly(graduates, Math.min(d.graduates, graduates.length));
    const chosen = new Set(chosenGraduates);
    for (const learner of chosenGraduates) {
      const end = learner.spells[0]?.end ?? y2020[0];
      const lo = Math.max(end + 7 * DAY, y2020[0]);
      const hi = Math.min(end + 180 * DAY, y2020[1]);
      this.declaration(learner, this.learnerInstant(learner, lo, hi), this.outcome(NEW_JOB_MOSTLY));
      counted.push(learner);
    }
    // Former apprentices hired at the end of their contract.
    const formerApprentices = this.learners.filter((l) => {
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
    for (const learner of this.pickExactly(formerApprentices, Math.min(d.formerApprentices, formerApprentices.length))) {
      const end = learner.spells[0]?.end ?? y2020[0];
      this.declaration(learner, this.learnerInstant(learner, Math.max(end, y2020[0]), Math.min(end + 30 * DAY, y2020[1])), 'new-job');
      counted.push(learner);
      chosen.add(learner);
    }
    // Free users make up the rest: the platform's alumni survey reaches some of them.
    const freeCount = d.nonApprentice - counted.length;
    const freeDeclarants: Learner[] = [];
    for (let i = 0; i < freeCount; i += 1) {
      const ms = y2020[0] + Math.floor(this.rng.next() ** 0.8 * (y2020[1] - y2020[0] - DAY));
      const learner = this.freeDeclarant(ms);
      this.declaration(learner, Math.max(ms, learner.signup + DAY), this.outcome(FREE_MIX));
      counted.push(learner);
      freeDeclarants.push(learner);
    }

    // Corrections. A few counted declarations are retracted only after publication (still counted at publication).
    const postK = this.pickExactly(freeDeclarants, Math.min(d.postKRetracted, freeDeclarants.length));
    const postKSet = new Set(postK);
    for (const learner of postK) {
      const declaration = learner.declarations[0];
      const reason = 'outcome entered from a test survey response; found by the Q2 2021 data-quality audit';
      if (declaration) declaration.retraction = { day: this.afterPublicationDay(), reason };
    }
    // Some learners declare twice (a new job, then a promotion); a few of those were entered twice by mistake.
    const early = counted.filter((l) => !postKSet.has(l) && (l.declarations[0]?.ms ?? T_END) < Date.UTC(2020, 9, 10));
    const doubles = this.pickExactly(early, Math.min(d.doubles, early.length));
    doubles.forEach((learner, i) => {
      const first = learner.declarations[0];
      if (!first) return;
      const ms = this.learnerInstant(learner, first.ms + 20 * DAY, Math.min(first.ms + 80 * DAY, y2020[1]));
      const second = this.declaration(learner, ms, i % 3 === 0 ? 'business-created' : 'promotion');
      if (i < d.doublesWithRetraction) this.retractBeforePublication(i % 2 === 0 ? first : second, 'same survey response entered twice');
    });
    // Declarations that never count: entered on the wrong learner file and retracted before publication...
    for (let i = 0; i < d.preKRetracted; i += 1) {
      const ms = y2020[0] + this.rng.int(330) * DAY + this.rng.int(DAY);
      const learner = this.freeDeclarant(ms);
      const declaration = this.declaration(learner, Math.max(ms, learner.signup + DAY), this.outcome(FREE_MIX));
      this.retractBeforePublication(declaration, 'outcome declaration entered on the wrong learner file');
    }
    // ...and late answers to the spring 2021 alumni survey: 2020 outcomes recorded after publication.
    for (let i = 0; i < d.postKLate; i += 1) {
      const ms = Date.UTC(2020, 8, 1) + this.rng.int(120) * DAY + this.rng.int(DAY);
      const learner = this.freeDeclarant(ms);
      this.declaration(learner, Math.max(ms, learner.signup + DAY), this.outcome(FREE_MIX), true);
    }

    // 2019 outcomes (not published for 2019, but the history has them).
    const graduates2019 = this.learners.filter((l) => {
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
    for (const learner of this.pickExactly(graduates2019, Math.min(d.graduates2019, graduates2019.length))) {
      const end = learner.spells[0]?.end ?? T0;
      const ms = this.learnerInstant(learner, end + 7 * DAY, Math.min(end + 120 * DAY, Date.UTC(2020, 0, 1)));
      this.declaration(learner, ms, this.outcome(NEW_JOB_MOSTLY));
    }
    for (let i = 0; i < d.freeUsers2019; i += 1) {
      const ms = T0 + 30 * DAY + this.rng.int(330) * DAY + this.rng.int(DAY);
      const learner = this.freeDeclarant(ms);
      this.declaration(learner, Math.max(ms, learner.signup + DAY), this.outcome(FREE_MIX));
    }
  }

  private afterPublicationDay(): number {
    return this.rng.between(AFTER_PUBLICATION_DAYS[0], AFTER_PUBLICATION_DAYS[1]);
  }

  private retractBeforePublication(declaration: Declaration, reason: string): void {
    declaration.retraction = { day: Math.min(LAST_DAY_BEFORE_PUBLICATION, declaration.recordDay + this.rng.between(3, 40)), reason };
  }

  // ---- activity months

  /** Months the activity engine makes each planned learner active: around signup, through training, now and then after. */
  private addActivityMonths(): void {
    for (const learner of this.learners) {
      let bits = 0;
      const set = (m: number) => {
        if (m >= 0 && m < MONTHS) bits |= 1 << m;
      };
      const signupMonth = monthOf(learner.signup);
      set(signupMonth);
      const first = learner.spells[0];
      const declared = learner.declarations.map((x) => x.ms);
      const until = first ? monthOf(first.admit) : declared.length > 0 ? monthOf(Math.min(...declared)) : signupMonth;
      for (let m = signupMonth + 1; m < until; m += 1) if (this.rng.chance(0.4)) set(m);
      for (const spell of learner.spells) {
        const from = monthOf(spell.admit);
        const to = spell.end === undefined ? MONTHS - 1 : monthOf(spell.end);
        set(from);
        for (let m = from + 1; m <= to; m += 1) if (this.rng.chance(0.93)) set(m);
        const after = spell.reason === 'graduated' ? 0.25 : 0.08;
        for (let m = to + 1; m < MONTHS; m += 1) if (this.rng.chance(after)) set(m);
      }
      if (!first) {
        const last = declared.length > 0 ? monthOf(Math.max(...declared)) : signupMonth;
        for (let m = until; m < MONTHS; m += 1) if (this.rng.chance(m <= last ? 0.55 : 0.3)) set(m);
      }
      for (const declaration of learner.declarations) if (this.rng.chance(0.5)) set(monthOf(declaration.ms));
      learner.activeMonths = bits;
    }
  }

  // ---- events

  private emit(): DemoPlan {
    const eventsByDay = new Map<number, TimedEvent[]>();
    const retractedAfterPublication: string[] = [];
    const recordedAfterPublication: string[] = [];
    const ids = new LearnerIds(this.seed);
    const add = (day: number, ms: number, event: LedgerEvent) => {
      const recordDay = ms < T0 ? -1 : day;
      if (recordDay < dayIndex(ms)) throw new Error('demo plan: an event recorded before it occurred');
      let list = eventsByDay.get(recordDay);
      if (!list) {
        list = [];
        eventsByDay.set(recordDay, list);
      }
      list.push({ ms, event });
      if (recordDay > LAST_DAY_BEFORE_PUBLICATION) recordedAfterPublication.push(event.eventId);
    };
    const onTime = (ms: number, lagDays = 0) => Math.min(Math.max(dayIndex(ms), -1) + lagDays, Math.max(dayIndex(ms), LAST_DAY_BEFORE_PUBLICATION));

    for (const learner of this.learners) {
      const learnerId = ids.of(learner.index);
      const zone = zoneOfCountry(countryIndex(learner.country));
      const survey = learner.survey;
      if (survey) {
        add(onTime(survey.ms), survey.ms, {
          eventId: this.idRng.uuid(),
          type: 'SignupSurveyAnswered',
          learnerId,
          occurredAt: formatInstant(survey.ms, zone),
          data: {
            surveyResponseId: `SRV-${String(this.next('srv')).padStart(7, '0')}`,
            country: learner.country,
            motivation: survey.motivation,
            ...(survey.gender !== undefined ? { gender: survey.gender } : {}),
            ...(survey.assessment ? { statusAssessment: survey.assessment } : {}),
          },
        });
      }
      const contract = learner.contract;
      if (contract) {
        add(onTime(contract.ms), contract.ms, {
          eventId: this.idRng.uuid(),
          type: 'ApprenticeshipContractSigned',
          learnerId,
          occurredAt: formatInstant(contract.ms, PARIS),
          data: { contractId: contract.contractId, employerId: contract.employerId },
        });
      }
      learner.spells.forEach((spell, i) => {
        const funding = learner.fundings[i];
        if (funding && funding.funder !== 'self' && funding.ms > spell.admit) throw new Error('demo plan: a funding after its admission');
        if (funding) {
          add(onTime(funding.ms, funding.lagDays), funding.ms, {
            eventId: this.idRng.uuid(),
            type: 'FundingGranted',
            learnerId,
            occurredAt: formatInstant(funding.ms, funding.zone),
            data: {
              fundingId: `FND-${String(this.next('fnd')).padStart(6, '0')}`,
              funder: funding.funder,
              ...(funding.employerId !== undefined ? { employerId: funding.employerId } : {}),
              ...(funding.assessment ? { statusAssessment: funding.assessment } : {}),
            },
          });
        }
        const admittedDay = onTime(spell.admit, this.rng.chance(0.1) ? this.rng.between(1, 4) : 0);
        add(admittedDay, spell.admit, {
          eventId: this.idRng.uuid(),
          type: 'LearnerAdmitted',
          learnerId,
          occurredAt: formatInstant(spell.admit, PARIS),
          data: {
            admissionId: spell.admissionId,
            pathId: spell.pathId,
            pathLanguage: spell.language,
            track: spell.track,
            ...(spell.country !== undefined ? { country: spell.country } : {}),
            ...(spell.assessment ? { statusAssessment: spell.assessment } : {}),
          },
        });
        if (spell.end !== undefined && spell.reason !== undefined) {
          // Recorded after its admission whatever the lags: a PathEnded names an earlier admission.
          const endedDay = Math.max(admittedDay, onTime(spell.end, this.rng.chance(0.15) ? this.rng.between(1, 20) : 0));
          add(endedDay, spell.end, {
            eventId: this.idRng.uuid(),
            type: 'PathEnded',
            learnerId,
            occurredAt: formatInstant(spell.end, PARIS),
            data: { admissionId: spell.admissionId, reason: spell.reason },
          });
        }
      });
      for (const declaration of learner.declarations) {
        const eventId = this.idRng.uuid();
        add(declaration.recordDay, declaration.ms, {
          eventId,
          type: 'ProfessionalOutcomeReported',
          learnerId,
          occurredAt: formatInstant(declaration.ms, zone),
          data: { outcome: declaration.outcome, evidence: declaration.evidence },
        });
        const retraction = declaration.retraction;
        if (retraction) {
          const ms = this.businessTime(T0 + retraction.day * DAY);
          const retractionId = this.idRng.uuid();
          add(retraction.day, ms, {
            eventId: retractionId,
            type: 'EventRetracted',
            learnerId,
            occurredAt: formatInstant(ms, PARIS),
            data: { retractedEventId: eventId, reason: retraction.reason },
          });
          const afterPublication = retraction.day > LAST_DAY_BEFORE_PUBLICATION;
          if (afterPublication && declaration.recordDay <= LAST_DAY_BEFORE_PUBLICATION) retractedAfterPublication.push(eventId);
        }
      }
    }
    this.emitCampaigns(add);

    const duplicates: PlannedDuplicate[] = [];
    for (let i = 0; i < this.design.postKDuplicates; i += 1) {
      const retractionDay = this.afterPublicationDay();
      const duplicate: PlannedDuplicate = {
        month: 12 + this.rng.int(12),
        eventId: this.idRng.uuid(),
        retractionId: this.idRng.uuid(),
        retractionDay,
        retractionMs: this.businessTime(T0 + retractionDay * DAY),
      };
      duplicates.push(duplicate);
      retractedAfterPublication.push(duplicate.eventId);
      recordedAfterPublication.push(duplicate.retractionId);
    }

    return {
      learnerCount: this.learners.length,
      countryOf: Uint8Array.from(this.learners.map((l) => countryIndex(l.country))),
      forcedByMonth: this.forcedByMonth(),
      freeUserGender: [this.freeUserGender(0), this.freeUserGender(1)],
      surveyMotivations: this.surveyMotivations(),
      eventsByDay,
      duplicates,
      corrections: { retractedAfterPublication, recordedAfterPublication },
    };
  }

  /**
   * Outreach: Pole emploi's sourcing e-mails to job seekers from April 2020 (170,000 in all),
   * monthly newsletters, partner campaigns with disability, QPV and refugee associations.
   */
  private emitCampaigns(add: (day: number, ms: number, event: LedgerEvent) => void): void {
    const s = this.design.scale;
    const campaign = (ms: number, audience: 'all' | Status, channel: 'email' | 'ads' | 'partner', recipients: number) => {
      const year = new Date(ms).getUTCFullYear();
      add(dayIndex(ms), ms, {
        eventId: this.idRng.uuid(),
        type: 'OutreachCampaignSent',
        occurredAt: formatInstant(ms, PARIS),
        data: { campaignId: `CMP-${year}-${String(this.next(`cmp${year}`)).padStart(3, '0')}`, audience, channel, recipients },
      });
    };
    const mondays: number[] = [];
    for (let day = Date.UTC(2020, 3, 6); day < Date.UTC(2020, 11, 15); day += 7 * DAY) mondays.push(day);
    const weights = mondays.map(() => 0.5 + this.rng.next());
    const total = weights.reduce((a, b) => a + b, 0);
    let left = this.design.jobSeekerRecipients2020;
    mondays.forEach((day, i) => {
      const share = Math.round((this.design.jobSeekerRecipients2020 * (weights[i] ?? 1)) / total);
      const recipients = i === mondays.length - 1 ? left : Math.min(left, share);
      left -= recipients;
      campaign(this.businessTime(day), 'job-seeker', 'email', recipients);
    });
    for (let m = 0; m < MONTHS; m += 1) {
      const day = Date.UTC(2019 + Math.floor(m / 12), m % 12, 3 + this.rng.int(5));
      campaign(this.businessTime(day), 'all', 'email', Math.round((1_800_000 + m * 25_000 + this.rng.int(200_000)) * s));
    }
    // [year, first month, month step, count, audience, channel, recipients from, to]: a 2019 Pole emploi pilot, then partners.
    const others = [
      [2019, 8, 1, 3, 'job-seeker', 'email', 4000, 8000],
      [2020, 1, 2, 5, 'disability', 'partner', 800, 2500],
      [2020, 2, 3, 4, 'refugee', 'partner', 150, 400],
      [2020, 8, 1, 3, 'qpv-resident', 'partner', 1000, 3000],
    ] as const;
    for (const [year, month, step, count, audience, channel, lo, hi] of others) {
      for (let i = 0; i < count; i += 1) {
        const day = Date.UTC(year, month + step * i, 5 + this.rng.int(15));
        campaign(this.businessTime(day), audience, channel, Math.round((lo + this.rng.int(hi - lo)) * s));
      }
    }
  }

  private forcedByMonth(): Int32Array[] {
    return Array.from({ length: MONTHS }, (_, m) => Int32Array.from(this.learners.filter((l) => (l.activeMonths >> m) & 1).map((l) => l.index)));
  }

  /** Women-share contributions: free users of the year (no admission before its end) with a gendered survey before its end. */
  private freeUserGender(year: 0 | 1): Uint8Array {
    const end = Date.UTC(2020 + year, 0, 1);
    const yearBits = 0xfff << (12 * year);
    return Uint8Array.from(
      this.learners.map((l) => {
        if (l.spells.some((s) => s.admit < end) || (l.activeMonths & yearBits) === 0) return 0;
        const survey = l.survey;
        if (!survey || survey.ms >= end || survey.gender === undefined || survey.gender === 'undisclosed') return 0;
        return survey.gender === 'female' ? 1 : 2;
      }),
    );
  }

  private surveyMotivations(): Int32Array[] {
    const out = Array.from({ length: MONTHS }, () => new Int32Array(MOTIVATIONS.length));
    for (const learner of this.learners) {
      const survey = learner.survey;
      if (!survey || survey.ms < T0 || survey.ms >= T_END) continue;
      const counts = out[monthOf(survey.ms)];
      const k = MOTIVATIONS.indexOf(survey.motivation);
      if (counts) counts[k] = (counts[k] ?? 0) + 1;
    }
    return out;
  }
}
