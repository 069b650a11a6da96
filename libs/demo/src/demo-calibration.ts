/**
 * What the demo data set must reproduce, and the design that reproduces it.
 *
 * `PUBLISHED` is reference-figures.json (the 2021 mission report). `demoDesign(scale)` turns
 * it into counts of learners, admissions, fundings and events per cohort, month and status;
 * the plan and the activity engine realise those counts exactly, so every published figure
 * comes out of the events by construction, not by luck. At scale 1 the design's figures
 * equal the published ones; at other scales they are the design's own (`demoTargets`).
 */
import type { Motivation, Theme } from '@ledger/events';
import { MOTIVATIONS, THEMES } from '@ledger/events';
import { monthKey } from './demo-time';

export const PUBLICATION_KNOWN_AT = '2021-03-15T00:00:00.000Z';

type Counts = Readonly<Record<string, number | null>>;

export interface PublishedPeriod {
  readonly from: string;
  readonly to: string;
  readonly counts: Counts;
  readonly shares: Readonly<Record<string, number>>;
  readonly approximately: Readonly<Record<string, number>>;
}

/** reference-figures.json, transcribed (a test checks it against the file). */
export const PUBLISHED: readonly PublishedPeriod[] = [
  {
    from: '2020-01-01',
    to: '2020-12-31',
    counts: {
      'impact.positive-progressions': 4373,
      'populations.paid-funded.total': 2861,
      'populations.paid-funded.job-seeker': 991,
      'populations.paid-funded.low-qualified': null,
      'populations.paid-funded.qpv-resident': null,
      'populations.paid-funded.disability': 32,
      'populations.paid-funded.refugee': 0,
      'populations.employment-program.total': 3232,
      'populations.employment-program.job-seeker': 3232,
      'populations.employment-program.low-qualified': 787,
      'populations.employment-program.qpv-resident': 182,
      'populations.employment-program.disability': 286,
      'populations.employment-program.refugee': 0,
      'populations.employer-funded.total': 850,
      'populations.employer-funded.job-seeker': 276,
      'populations.employer-funded.low-qualified': null,
      'populations.employer-funded.qpv-resident': null,
      'populations.employer-funded.disability': 22,
      'populations.employer-funded.refugee': 3,
      'populations.all.job-seeker': 4499,
      'populations.all.low-qualified': 787,
      'populations.all.qpv-resident': 182,
      'populations.all.disability': 340,
      'populations.all.refugee': 3,
      'populations.net-distinct': 4524,
      'partnerships.apprenticeship': 1100,
      'partnerships.employer-abroad': 165,
      'partnerships.pse': 85,
      'partnerships.total': 1350,
      'key.certificates': 783873,
      'key.courses-started.monthly-avg': 244000,
      'key.active-learners.monthly-avg': 355000,
      'awareness.recipients.job-seeker': 170000,
    },
    shares: {
      'funding.2020-01.funded-share': 0.51,
      'funding.2020-01.employment-program / funding.2020-01.in-training': 0.12,
      'funding.2020-12.funded-share': 0.72,
      'funding.2020-12.third-party / funding.2020-12.in-training': 0.43,
      'funding.2020-12.self / funding.2020-12.in-training': 0.28,
      'funding.2020-12.employment-program / funding.2020-12.in-training': 0.29,
      'key.women-share.free-users': 0.16,
      'survey.motivation.first-job / survey.responses': 0.12,
      'survey.motivation.career-development / survey.responses': 0.3,
      'survey.motivation.career-change / survey.responses': 0.18,
      'survey.motivation.learning-for-fun / survey.responses': 0.29,
      'survey.motivation.training-colleagues / survey.responses': 0.07,
      'survey.motivation.other / survey.responses': 0.05,
      'key.courses-started.web-development / key.courses-started': 0.49,
      'key.courses-started.systems-networks / key.courses-started': 0.087,
      'key.courses-started.data / key.courses-started': 0.076,
      'key.courses-started.marketing-communication / key.courses-started': 0.061,
      'key.courses-started.soft-skills / key.courses-started': 0.055,
      'key.courses-started.project-management / key.courses-started': 0.038,
      'key.courses-started.design / key.courses-started': 0.037,
      'key.courses-started.other / key.courses-started': 0.036,
      'key.courses-started.hr-management / key.courses-started': 0.033,
      'key.courses-started.business / key.courses-started': 0.03,
      'key.courses-started.productivity / key.courses-started': 0.027,
      'key.courses-started.pedagogy / key.courses-started': 0.015,
      'key.courses-started.career-integration / key.courses-started': 0.015,
      'international.english-path-underemployed / international.english-path-learners': 0.2,
    },
    approximately: { 'international.english-path-learners': 1000 },
  },
  {
    from: '2019-01-01',
    to: '2019-12-31',
    counts: {
      'partnerships.apprenticeship': 405,
      'partnerships.employer-abroad': 0,
      'partnerships.pse': 0,
      'partnerships.total': 405,
      'key.certificates': 348388,
      'key.courses-started.monthly-avg': 188000,
    },
    shares: { 'funding.2019-12.funded-share': 0.42, 'key.women-share.free-users': 0.18 },
    approximately: {},
  },
];

/**
 * A share "matches" when it is strictly within half a unit of the last published decimal:
 * then it rounds to the published value under any rounding rule. Integer arithmetic only.
 */
export function roundsTo(numerator: number, denominator: number, published: number): boolean {
  if (denominator <= 0) return false;
  const decimals = decimalsOf(published);
  const unit = 10 ** decimals;
  const target = Math.round(published * unit);
  return Math.abs(2 * numerator * unit - 2 * target * denominator) < denominator;
}

export function decimalsOf(published: number): number {
  const text = String(published);
  const dot = text.indexOf('.');
  // 0.3 is published as "0.30": two decimals, like its neighbours.
  return Math.max(2, dot < 0 ? 0 : text.length - dot - 1);
}

// ---------------------------------------------------------------------------------------
// The design at scale 1

/** Bit i set: the admission is open at CHECKPOINTS[i] (end of Dec 2019, Jan 2020, Dec 2020). */
export type Pattern = 0 | 1 | 2 | 3 | 4 | 6 | 7;
export type CohortKind = 'apprenticeship' | 'employer-abroad' | 'pse' | 'public-aid' | 'employment-program' | 'self';

export interface CohortDesign {
  readonly key: string;
  readonly kind: CohortKind;
  /** Admissions fall in [from, to) (UTC days); a carry-over cohort was admitted before 2019 and is open on 2019-01-01. */
  readonly from: string;
  readonly to: string;
  readonly carry: boolean;
  /** Admissions per pattern of open-ness at the three checkpoints. */
  readonly patterns: Readonly<Partial<Record<Pattern, number>>>;
}

/**
 * Funded cohorts at scale 1. Their open-ness at the checkpoints fixes the third-party and
 * employment-program learners in training there; self-funded cohorts are then solved to
 * give the published shares. Sizes: 405 apprentices funded in 2019, 1,100 in 2020 (of whom
 * 685 in the second half, when statuses began to be collected), 165 employer-abroad, 85 PSE,
 * 2,916 public-aid in 2020 (with PSE: 3,001 paid-funded, 2,861 of them assessed), 3,232
 * admitted to the employment program in 2020 (Pole emploi tender won in March 2020).
 */
const FUNDED_COHORTS: readonly CohortDesign[] = [
  { key: 'app-2018', kind: 'apprenticeship', from: '2018-09-01', to: '2018-12-01', carry: true, patterns: { 0: 45, 1: 3, 3: 72 } },
  { key: 'app-2019', kind: 'apprenticeship', from: '2019-01-01', to: '2020-01-01', carry: false, patterns: { 0: 22, 1: 2, 3: 186, 7: 195 } },
  { key: 'app-2020-jan', kind: 'apprenticeship', from: '2020-01-01', to: '2020-02-01', carry: false, patterns: { 0: 1, 2: 2, 6: 37 } },
  { key: 'app-2020-h1', kind: 'apprenticeship', from: '2020-02-01', to: '2020-07-01', carry: false, patterns: { 0: 18, 4: 357 } },
  { key: 'app-2020-h2', kind: 'apprenticeship', from: '2020-07-01', to: '2021-01-01', carry: false, patterns: { 0: 10, 4: 675 } },
  { key: 'abroad-2020', kind: 'employer-abroad', from: '2020-06-01', to: '2020-12-01', carry: false, patterns: { 0: 14, 4: 151 } },
  { key: 'pse-2020', kind: 'pse', from: '2020-03-01', to: '2020-12-16', carry: false, patterns: { 0: 12, 4: 73 } },
  { key: 'pa-2018', kind: 'public-aid', from: '2018-03-01', to: '2019-01-01', carry: true, patterns: { 0: 250, 1: 6, 3: 4 } },
  { key: 'pa-2019', kind: 'public-aid', from: '2019-01-01', to: '2020-01-01', carry: false, patterns: { 0: 830, 1: 70, 3: 730, 7: 20 } },
  { key: 'pa-2020-jan', kind: 'public-aid', from: '2020-01-01', to: '2020-02-01', carry: false, patterns: { 0: 8, 2: 150, 6: 60 } },
  { key: 'pa-2020', kind: 'public-aid', from: '2020-02-01', to: '2021-01-01', carry: false, patterns: { 0: 880, 4: 1818 } },
  { key: 'ep-2019', kind: 'employment-program', from: '2019-04-01', to: '2020-01-01', carry: false, patterns: { 0: 260, 1: 45, 3: 415 } },
  { key: 'ep-2020-jan', kind: 'employment-program', from: '2020-01-01', to: '2020-02-01', carry: false, patterns: { 2: 30, 6: 12 } },
  { key: 'ep-2020', kind: 'employment-program', from: '2020-03-16', to: '2021-01-01', carry: false, patterns: { 0: 890, 4: 2300 } },
];

/** Self-funded learners whose path never spans a checkpoint (free of the funding figures). */
const SELF_UNCONSTRAINED = { carry: 520, y2019: 2600, jan2020: 20, y2020: 1400 };

/** Learners who were public-aid funded in early 2020, withdrew, then signed an apprenticeship in H2: in two segments. */
const TWO_SEGMENT_LEARNERS = 16;

const POPULATIONS = {
  paidUnassessed: 140,
  paidJobSeekers: 991,
  paidDisability: 32,
  paidDisabilityJobSeekers: 11,
  paidDisabilityAssessed: 1200,
  paidRefugeeAssessed: 410,
  programLowQualified: 787,
  programQpvAssessed: 2016,
  programQpv: 182,
  programDisability: 286,
  apprenticeJobSeekers: 111,
  apprenticeDisability: 22,
  apprenticeDisabilityJobSeekers: 4,
  apprenticeRefugees: 3,
  apprenticeRefugeeJobSeekers: 1,
};

/** English paths in 2020: the US/UK logistics operator's employees (employer-abroad), public-aid learners, self-paying learners abroad. */
const ENGLISH = { publicAid: 31, publicAidJobSeekers: 9, self: 811 };

/** Impact in 2020 beyond the 1,100 apprenticeship contracts: learners with a voluntary declaration. */
const DECLARATIONS = {
  nonApprentice: 3273,
  graduates: 1400,
  formerApprentices: 60,
  doubles: 70,
  doublesWithRetraction: 6,
  apprenticeOutcomes: 40,
  preKRetracted: 25,
  postKRetracted: 14,
  postKLate: 37,
  freeUsers2019: 900,
  graduates2019: 300,
};

/** Duplicate 2020 course starts retracted only after publication. */
const POST_K_DUPLICATES = 12;

const PARTNER_EMPLOYERS = { y2019: 288, y2020Apprenticeship: 639, repeatFrom2019: 180, pse: 7, abroad: 2 };

// Monthly series (Jan..Dec): winter and September peaks, summer dip, spring 2020 lockdown surge,
// a smaller one in November 2020 (second lockdown). Certificates grow through both years.
const ACTIVE = {
  2019: { total: 3_372_000, shape: [1.06, 1.02, 1.03, 0.98, 0.96, 0.9, 0.8, 0.74, 1.04, 1.1, 1.14, 1.0] },
  2020: { total: 4_260_000, shape: [1.04, 0.97, 1.18, 1.25, 1.07, 0.9, 0.76, 0.69, 0.99, 1.01, 1.11, 1.03] },
};
const COURSES = {
  2019: { total: 2_256_000, shape: [1.08, 1.0, 1.04, 0.97, 0.95, 0.88, 0.79, 0.72, 1.08, 1.14, 1.17, 0.98] },
  2020: { total: 2_928_000, shape: [0.98, 0.92, 1.32, 1.4, 1.06, 0.88, 0.76, 0.69, 0.98, 1.0, 1.12, 0.89] },
};
const CERTIFICATES = {
  2019: { total: 348_388, shape: [0.8, 0.82, 0.88, 0.9, 0.92, 0.9, 0.85, 0.8, 1.05, 1.2, 1.35, 1.53] },
  2020: { total: 783_873, shape: [0.7, 0.72, 1.0, 1.25, 1.2, 1.02, 0.92, 0.85, 0.98, 1.04, 1.18, 1.14] },
};

const THEME_SHARES_2019: Readonly<Record<Theme, number>> = {
  'web-development': 0.51,
  'systems-networks': 0.085,
  data: 0.065,
  'marketing-communication': 0.062,
  'soft-skills': 0.05,
  'project-management': 0.037,
  design: 0.038,
  other: 0.04,
  'hr-management': 0.034,
  business: 0.031,
  productivity: 0.028,
  pedagogy: 0.01,
  'career-integration': 0.01,
};
const MOTIVATION_SHARES_2019: Readonly<Record<Motivation, number>> = {
  'first-job': 0.14,
  'career-development': 0.28,
  'career-change': 0.17,
  'learning-for-fun': 0.3,
  'training-colleagues': 0.06,
  other: 0.05,
};

// ---------------------------------------------------------------------------------------
// Scaling

export function checkScale(scale: number): void {
  if (!(scale >= 0.005 && scale <= 1)) throw new RangeError(`scale must be within [0.005, 1], not ${scale}`);
}

function scaled(value: number, scale: number): number {
  return Math.round(value * scale);
}

/** At least one, so that every kind of correction exists at any scale (tests assert the restatement). */
function atLeastOne(value: number, scale: number): number {
  return Math.max(1, scaled(value, scale));
}

/** Largest-remainder apportionment of an integer total by weights: exact sum, stable shape. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left -= 1;
  }
  return out;
}

function yearSeries(series: Record<2019 | 2020, { total: number; shape: readonly number[] }>, scale: number): number[] {
  return [...apportion(scaled(series[2019].total, scale), series[2019].shape), ...apportion(scaled(series[2020].total, scale), series[2020].shape)];
}

export interface CheckpointCounts {
  readonly inTraining: number;
  readonly thirdParty: number;
  readonly employmentProgram: number;
  readonly self: number;
}

export interface DemoDesign {
  readonly scale: number;
  /** Per month 0..23 (Jan 2019..Dec 2020), exact. */
  readonly activeLearners: readonly number[];
  readonly coursesStarted: readonly number[];
  readonly certificates: readonly number[];
  readonly cohorts: readonly CohortDesign[];
  readonly twoSegmentLearners: number;
  readonly checkpoints: readonly [CheckpointCounts, CheckpointCounts, CheckpointCounts];
  readonly populations: typeof POPULATIONS & {
    readonly paidMembers: number;
    readonly pse: number;
    readonly program: number;
    readonly abroad: number;
    readonly apprenticesH2: number;
  };
  readonly english: typeof ENGLISH & { readonly abroad: number; readonly selfJobSeekers: number };
  readonly declarations: typeof DECLARATIONS & { readonly apprentices2020: number };
  readonly postKDuplicates: number;
  readonly partnerEmployers: typeof PARTNER_EMPLOYERS;
  readonly jobSeekerRecipients2020: number;
  readonly womenShare: readonly [number, number];
  readonly motivationShares: readonly [readonly number[], readonly number[]];
  readonly themeShares: readonly [readonly number[], readonly number[]];
}

const cache = new Map<number, DemoDesign>();

export function demoDesign(scale = 1): DemoDesign {
  checkScale(scale);
  const found = cache.get(scale);
  if (found) return found;
  const design = buildDesign(scale);
  cache.set(scale, design);
  return design;
}

function cohortSize(cohort: CohortDesign): number {
  return Object.values(cohort.patterns).reduce((a, b) => a + (b ?? 0), 0);
}

function openAt(cohorts: readonly CohortDesign[], checkpoint: number, kinds: readonly CohortKind[]): number {
  let n = 0;
  for (const cohort of cohorts) {
    if (!kinds.includes(cohort.kind)) continue;
    for (const [pattern, count] of Object.entries(cohort.patterns)) {
      if ((Number(pattern) >> checkpoint) & 1) n += count ?? 0;
    }
  }
  return n;
}

const THIRD_PARTY: readonly CohortKind[] = ['apprenticeship', 'employer-abroad', 'pse', 'public-aid'];

interface ShareRule {
  readonly published: number;
  readonly numerator: (c: { tp: number; ep: number; self: number }) => number;
}

const CHECKPOINT_RULES: readonly (readonly ShareRule[])[] = [
  [{ published: 0.42, numerator: (c) => c.tp + c.ep }],
  [
    { published: 0.51, numerator: (c) => c.tp + c.ep },
    { published: 0.12, numerator: (c) => c.ep },
  ],
  [
    { published: 0.72, numerator: (c) => c.tp + c.ep },
    { published: 0.43, numerator: (c) => c.tp },
    { published: 0.29, numerator: (c) => c.ep },
    { published: 0.28, numerator: (c) => c.self },
  ],
];

/** The in-training total that puts every published share of a checkpoint closest to its value. */
function solveInTraining(tp: number, ep: number, rules: readonly ShareRule[]): number | undefined {
  let best: number | undefined;
  let bestScore = Infinity;
  for (let n = tp + ep + 1; n <= 4 * (tp + ep) + 10; n += 1) {
    const counts = { tp, ep, self: n - tp - ep };
    if (!rules.every((r) => roundsTo(r.numerator(counts), n, r.published))) continue;
    const score = Math.max(...rules.map((r) => Math.abs(r.numerator(counts) / n - r.published)));
    if (score < bestScore) {
      bestScore = score;
      best = n;
    }
  }
  return best;
}

/** Adds `delta` admissions (or removes, if negative) to one pattern of a cohort: a tuning knob for small scales. */
function adjust(cohorts: CohortDesign[], key: string, pattern: Pattern, delta: number): boolean {
  const index = cohorts.findIndex((c) => c.key === key);
  const cohort = cohorts[index];
  if (!cohort) return false;
  const count = (cohort.patterns[pattern] ?? 0) + delta;
  if (count < 0) return false;
  cohorts[index] = { ...cohort, patterns: { ...cohort.patterns, [pattern]: count } };
  return true;
}

/** Per checkpoint, the cohort patterns open at that checkpoint only: nudging them moves no other checkpoint. */
const KNOBS: readonly (readonly (readonly [string, Pattern])[])[] = [
  [
    ['pa-2019', 1],
    ['ep-2019', 1],
  ],
  [
    ['pa-2020-jan', 2],
    ['ep-2020-jan', 2],
  ],
  [
    ['pa-2020', 4],
    ['ep-2020', 4],
  ],
];

/** Nudges to try, smallest first: none at scale 1 (the published design fits as it is). */
const NUDGES: readonly (readonly [number, number])[] = (() => {
  const out: [number, number][] = [];
  for (let a = -12; a <= 12; a += 1) for (let b = -12; b <= 12; b += 1) out.push([a, b]);
  return out.sort((x, y) => Math.abs(x[0]) + Math.abs(x[1]) - (Math.abs(y[0]) + Math.abs(y[1])));
})();

function selfCohort(key: string, from: string, to: string, carry: boolean, patterns: CohortDesign['patterns']): CohortDesign {
  return { key, kind: 'self', from, to, carry, patterns };
}

function buildDesign(scale: number): DemoDesign {
  const cohorts: CohortDesign[] = FUNDED_COHORTS.map((c) => ({
    ...c,
    patterns: Object.fromEntries(Object.entries(c.patterns).map(([p, n]) => [p, scaled(n ?? 0, scale)])),
  }));

  const solved: number[] = [];
  CHECKPOINT_RULES.forEach((rules, t) => {
    const knobs = KNOBS[t] ?? [];
    // At small scales rounding can leave no fitting total: nudge the checkpoint's own knobs.
    for (const nudge of NUDGES) {
      const trial = cohorts.slice();
      if (!knobs.every(([key, pattern], i) => adjust(trial, key, pattern, nudge[i] ?? 0))) continue;
      const n = solveInTraining(openAt(trial, t, THIRD_PARTY), openAt(trial, t, ['employment-program']), rules);
      if (n !== undefined) {
        cohorts.splice(0, cohorts.length, ...trial);
        solved[t] = n;
        return;
      }
    }
    throw new Error(`demo calibration: no in-training total fits the published shares at checkpoint ${t} (scale ${scale})`);
  });

  const tp = [0, 1, 2].map((t) => openAt(cohorts, t, THIRD_PARTY));
  const ep = [0, 1, 2].map((t) => openAt(cohorts, t, ['employment-program']));
  const self = [0, 1, 2].map((t) => (solved[t] ?? 0) - (tp[t] ?? 0) - (ep[t] ?? 0));
  const [self1, self2, self3] = self as [number, number, number];

  // Self-funded learners in training at the checkpoints. Premium Solo was suspended at the end
  // of 2019: many self-paying paths end in January 2020 (pattern 1).
  const n7 = Math.min(scaled(31, scale), self1, self2, self3);
  // At least self1 - self2 end in January, or January would need a negative number of newcomers.
  const n1 = Math.min(Math.max(Math.round(0.29 * self1), self1 - self2), self1 - n7);
  const n3 = self1 - n1 - n7;
  const jan = self2 - n3 - n7;
  const n6 = Math.min(Math.round(jan / 3), self3 - n7);
  const n2 = jan - n6;
  const n4 = self3 - n7 - n6;
  if ([n1, n2, n3, n4, n6, n7].some((n) => n < 0)) throw new Error(`demo calibration: self-funded patterns do not solve at scale ${scale}`);
  const carry1 = Math.round(0.05 * n1);
  const carry3 = Math.round(0.06 * n3);
  cohorts.push(
    selfCohort('self-2018', '2018-01-01', '2019-01-01', true, { 0: scaled(SELF_UNCONSTRAINED.carry, scale), 1: carry1, 3: carry3 }),
    selfCohort('self-2019', '2019-01-01', '2020-01-01', false, { 0: scaled(SELF_UNCONSTRAINED.y2019, scale), 1: n1 - carry1, 3: n3 - carry3, 7: n7 }),
    selfCohort('self-2020-jan', '2020-01-01', '2020-02-01', false, { 0: scaled(SELF_UNCONSTRAINED.jan2020, scale), 2: n2, 6: n6 }),
    selfCohort('self-2020', '2020-02-01', '2021-01-01', false, { 0: scaled(SELF_UNCONSTRAINED.y2020, scale), 4: n4 }),
  );

  const size = (prefix: string) => cohorts.filter((c) => c.key.startsWith(prefix)).reduce((a, c) => a + cohortSize(c), 0);
  const twoSegmentLearners = Math.min(
    atLeastOne(TWO_SEGMENT_LEARNERS, scale),
    cohorts.find((c) => c.key === 'app-2020-h2')?.patterns[4] ?? 0,
    cohorts.find((c) => c.key === 'pa-2020')?.patterns[0] ?? 0,
  );

  const populations = {
    ...Object.fromEntries(Object.entries(POPULATIONS).map(([k, v]) => [k, scaled(v, scale)])),
    paidRefugeeAssessed: atLeastOne(POPULATIONS.paidRefugeeAssessed, scale),
  } as typeof POPULATIONS;
  const pse = size('pse-2020');
  const paidMembers = size('pa-2020') + pse;
  const abroad = size('abroad-2020');
  const apprenticesH2 = size('app-2020-h2');
  const english = {
    publicAid: scaled(ENGLISH.publicAid, scale),
    publicAidJobSeekers: scaled(ENGLISH.publicAidJobSeekers, scale),
    self: scaled(ENGLISH.self, scale),
  };
  // Paid-funded job seekers include every PSE learner, the two-segment learners and the English-path job seekers.
  populations.paidJobSeekers = Math.max(populations.paidJobSeekers, pse + twoSegmentLearners + english.publicAidJobSeekers);
  populations.apprenticeJobSeekers = Math.max(populations.apprenticeJobSeekers, twoSegmentLearners);
  // About 20% of English-path learners are underemployed (report): the self-paying ones make up the count.
  // At small scales the nearest self-paying count that lets the share round to 0.20 is taken.
  const baseSelf = english.self;
  let selfJobSeekers = -1;
  for (let k = 0; selfJobSeekers < 0; k += 1) {
    for (const candidate of [baseSelf + k, baseSelf - k]) {
      if (candidate < 0 || selfJobSeekers >= 0) continue;
      const total = abroad + english.publicAid + candidate;
      const wanted = Math.max(0, Math.min(candidate, Math.round(0.2 * total) - abroad - english.publicAidJobSeekers));
      if (roundsTo(abroad + english.publicAidJobSeekers + wanted, total, 0.2)) {
        english.self = candidate;
        selfJobSeekers = wanted;
      }
    }
  }

  const checkpointAt = (t: number): CheckpointCounts => ({
    inTraining: solved[t] ?? 0,
    thirdParty: tp[t] ?? 0,
    employmentProgram: ep[t] ?? 0,
    self: self[t] ?? 0,
  });
  const apprentices2019 = size('app-2019');
  const apprentices2020 = size('app-2020');
  const employers = (value: number, learners: number) => Math.min(learners, Math.max(1, scaled(value, scale)));
  const partnerEmployers = {
    y2019: employers(PARTNER_EMPLOYERS.y2019, apprentices2019),
    y2020Apprenticeship: employers(PARTNER_EMPLOYERS.y2020Apprenticeship, apprentices2020),
    repeatFrom2019: 0,
    pse: employers(PARTNER_EMPLOYERS.pse, pse),
    abroad: employers(PARTNER_EMPLOYERS.abroad, abroad),
  };
  partnerEmployers.repeatFrom2019 = Math.min(
    scaled(PARTNER_EMPLOYERS.repeatFrom2019, scale),
    partnerEmployers.y2019,
    partnerEmployers.y2020Apprenticeship,
  );

  const design: DemoDesign = {
    scale,
    activeLearners: yearSeries(ACTIVE, scale),
    coursesStarted: yearSeries(COURSES, scale),
    certificates: yearSeries(CERTIFICATES, scale),
    cohorts,
    twoSegmentLearners,
    checkpoints: [checkpointAt(0), checkpointAt(1), checkpointAt(2)],
    populations: { ...populations, paidMembers, pse, program: size('ep-2020'), abroad, apprenticesH2 },
    english: { ...english, abroad, selfJobSeekers },
    declarations: {
      ...(Object.fromEntries(Object.entries(DECLARATIONS).map(([k, v]) => [k, scaled(v, scale)])) as typeof DECLARATIONS),
      preKRetracted: atLeastOne(DECLARATIONS.preKRetracted, scale),
      postKRetracted: atLeastOne(DECLARATIONS.postKRetracted, scale),
      postKLate: atLeastOne(DECLARATIONS.postKLate, scale),
      apprentices2020,
    },
    postKDuplicates: atLeastOne(POST_K_DUPLICATES, scale),
    partnerEmployers,
    jobSeekerRecipients2020: scaled(170_000, scale),
    womenShare: [0.18, 0.16],
    motivationShares: [
      MOTIVATIONS.map((m) => MOTIVATION_SHARES_2019[m]),
      MOTIVATIONS.map((m) => sharePublished(`survey.motivation.${m} / survey.responses`)),
    ],
    themeShares: [THEMES.map((t) => THEME_SHARES_2019[t]), THEMES.map((t) => sharePublished(`key.courses-started.${t} / key.courses-started`))],
  };
  return design;
}

function sharePublished(expression: string): number {
  const value = PUBLISHED[0]?.shares[expression];
  if (value === undefined) throw new Error(`no published share ${expression}`);
  return value;
}

// ---------------------------------------------------------------------------------------
// Targets: the design's figures, by figure id

export interface DemoPeriodTargets extends PublishedPeriod {
  /** Figures the design also fixes (monthly values, in-training counts...): exact at this scale. */
  readonly extra: Counts;
}

/**
 * The 2021 report's levers table, as the attainment of the committee's 2020 commitments (the
 * demo's commitment ids, demo-plan-mission.ts) as known at publication: funding and
 * partnerships met, awareness and the international footprint with no baseline (null, never 0).
 */
export const ATTAINMENT_2020: Readonly<Record<string, 0 | 1 | null>> = {
  'commitments.2020-funding.attained': 1,
  'commitments.2020-partnerships.attained': 1,
  'commitments.2020-awareness.attained': null,
  'commitments.2020-international.attained': null,
};

export interface DemoTargets {
  readonly scale: number;
  /** `ATTAINMENT_2020`: the same at every scale. */
  readonly attainment2020: Readonly<Record<string, 0 | 1 | null>>;
  /** In reference-figures.json's order and shape: counts exact at this scale, shares as published, approximately scaled. */
  readonly periods: readonly [DemoPeriodTargets, DemoPeriodTargets];
  /**
   * What the post-publication corrections change in 2020 (as known now minus as known at
   * publication): late declarations add learners, later retractions remove declarations
   * and duplicate course starts.
   */
  readonly restatement2020: Readonly<Record<'impact.positive-progressions' | 'key.courses-started', number>>;
}

export function demoTargets(scale = 1): DemoTargets {
  const d = demoDesign(scale);
  const p = d.populations;
  const sum = (values: readonly number[], from: number) => values.slice(from, from + 12).reduce((a, b) => a + b, 0);
  const appJobSeekers = p.apprenticeJobSeekers;
  const paidHolders = p.paidJobSeekers + p.paidDisability - p.paidDisabilityJobSeekers;
  const employerHolders =
    d.english.abroad +
    appJobSeekers +
    (p.apprenticeDisability - p.apprenticeDisabilityJobSeekers) +
    (p.apprenticeRefugees - p.apprenticeRefugeeJobSeekers);
  const app2019 = d.cohorts.filter((c) => c.key === 'app-2019').reduce((a, c) => a + cohortSize(c), 0);

  const monthly = (from: number, prefix: string, values: readonly number[]) =>
    Object.fromEntries(values.slice(from, from + 12).map((v, i) => [`${prefix}.${monthKey(from + i)}`, v]));
  const checkpoint = (key: string, c: CheckpointCounts) => ({
    [`funding.${key}.in-training`]: c.inTraining,
    [`funding.${key}.third-party`]: c.thirdParty,
    [`funding.${key}.employment-program`]: c.employmentProgram,
    [`funding.${key}.self`]: c.self,
  });
  const [c2019, c2001, c2012] = d.checkpoints;
  const englishLearners = d.english.abroad + d.english.publicAid + d.english.self;

  const y2020: DemoPeriodTargets = {
    from: '2020-01-01',
    to: '2020-12-31',
    counts: {
      'impact.positive-progressions': d.declarations.apprentices2020 + d.declarations.nonApprentice,
      'populations.paid-funded.total': p.paidMembers - p.paidUnassessed,
      'populations.paid-funded.job-seeker': p.paidJobSeekers,
      'populations.paid-funded.low-qualified': null,
      'populations.paid-funded.qpv-resident': null,
      'populations.paid-funded.disability': p.paidDisability,
      'populations.paid-funded.refugee': 0,
      'populations.employment-program.total': p.program,
      'populations.employment-program.job-seeker': p.program,
      'populations.employment-program.low-qualified': p.programLowQualified,
      'populations.employment-program.qpv-resident': p.programQpv,
      'populations.employment-program.disability': p.programDisability,
      'populations.employment-program.refugee': 0,
      'populations.employer-funded.total': d.english.abroad + p.apprenticesH2,
      'populations.employer-funded.job-seeker': d.english.abroad + appJobSeekers,
      'populations.employer-funded.low-qualified': null,
      'populations.employer-funded.qpv-resident': null,
      'populations.employer-funded.disability': p.apprenticeDisability,
      'populations.employer-funded.refugee': p.apprenticeRefugees,
      'populations.all.job-seeker': p.paidJobSeekers + p.program + d.english.abroad + appJobSeekers,
      'populations.all.low-qualified': p.programLowQualified,
      'populations.all.qpv-resident': p.programQpv,
      'populations.all.disability': p.paidDisability + p.programDisability + p.apprenticeDisability,
      'populations.all.refugee': p.apprenticeRefugees,
      'populations.net-distinct': p.program + paidHolders + employerHolders - d.twoSegmentLearners,
      'partnerships.apprenticeship': d.declarations.apprentices2020,
      'partnerships.employer-abroad': d.english.abroad,
      'partnerships.pse': p.pse,
      'partnerships.total': d.declarations.apprentices2020 + d.english.abroad + p.pse,
      'key.certificates': sum(d.certificates, 12),
      'key.courses-started.monthly-avg': sum(d.coursesStarted, 12) / 12,
      'key.active-learners.monthly-avg': sum(d.activeLearners, 12) / 12,
      'awareness.recipients.job-seeker': d.jobSeekerRecipients2020,
    },
    shares: PUBLISHED[0]?.shares ?? {},
    approximately: { 'international.english-path-learners': scaled(1000, scale) },
    extra: {
      'key.courses-started': sum(d.coursesStarted, 12),
      ...monthly(12, 'key.active-learners', d.activeLearners),
      ...monthly(12, 'monthly.courses-started', d.coursesStarted),
      ...monthly(12, 'monthly.certificates', d.certificates),
      ...checkpoint('2020-01', c2001),
      ...checkpoint('2020-12', c2012),
      'international.english-path-learners': englishLearners,
      'international.english-path-underemployed': d.english.abroad + d.english.publicAidJobSeekers + d.english.selfJobSeekers,
      'partnerships.employer': 0,
      'partnerships.partner-employers': d.partnerEmployers.y2020Apprenticeship + d.partnerEmployers.pse + d.partnerEmployers.abroad,
    },
  };
  const y2019: DemoPeriodTargets = {
    from: '2019-01-01',
    to: '2019-12-31',
    counts: {
      'partnerships.apprenticeship': app2019,
      'partnerships.employer-abroad': 0,
      'partnerships.pse': 0,
      'partnerships.total': app2019,
      'key.certificates': sum(d.certificates, 0),
      'key.courses-started.monthly-avg': sum(d.coursesStarted, 0) / 12,
    },
    shares: PUBLISHED[1]?.shares ?? {},
    approximately: {},
    extra: {
      'key.courses-started': sum(d.coursesStarted, 0),
      ...monthly(0, 'key.active-learners', d.activeLearners),
      ...monthly(0, 'monthly.courses-started', d.coursesStarted),
      ...monthly(0, 'monthly.certificates', d.certificates),
      ...checkpoint('2019-12', c2019),
      'partnerships.employer': 0,
      'partnerships.partner-employers': d.partnerEmployers.y2019,
    },
  };
  return {
    scale,
    attainment2020: ATTAINMENT_2020,
    periods: [y2020, y2019],
    restatement2020: {
      'impact.positive-progressions': d.declarations.postKLate - d.declarations.postKRetracted,
      'key.courses-started': -d.postKDuplicates,
    },
  };
}
