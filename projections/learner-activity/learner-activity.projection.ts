import type { Gender, Status, StatusAssessment } from '@ledger/events';
import { MOTIVATIONS } from '@ledger/events';
import type { Instant } from '@ledger/events';
import { epochMsOf, instantOf } from '@ledger/events';
import { Bitset, Column, LearnerFacts, LearnerIndex } from '@ledger/projection-kit';
import type { Explanation } from '@ledger/projection-kit';
import type { Period } from '@ledger/projection-kit';
import { monthNumber, monthsOf, periodBounds, utcMonthNumberOf } from '@ledger/projection-kit';
import { defineProjection, eventTypes } from '@ledger/projection-kit';
import type { FigureDefinition } from '@ledger/projection-kit';
import { GROUPS } from '../display-groups';
import { countryCode, statusBit } from '../learner-profiles/learner-profiles.projection';

/** KPIS.md: a learner is active in month M with one of these in M. */
const ACTIVITY = eventTypes('LearnerActive', 'CourseStarted', 'CertificateEarned');
const GENDER_CODES: Record<Gender, number> = { undisclosed: 0, female: 1, male: 2, 'non-binary': 3 };
const NO_GENDER = 0;
const FEMALE = 1;
/** What the free users' and mentored learners' figures read besides activity (KPIS.md v2): statuses, declarations, sessions. */
const STATUS_EVENTS = eventTypes('FundingGranted');
const DECLARATIONS = eventTypes('ProfessionalOutcomeReported', 'ApprenticeshipContractSigned');

/** The status bits of a list (`statusBit`, as the learner profiles keep them). */
function bitsOf(statuses: readonly Status[] | undefined): number {
  let bits = 0;
  for (const status of statuses ?? []) bits |= statusBit(status);
  return bits;
}

/** Facts that assess statuses: the learner, when, and the status bits it assessed and found held, row for row. */
interface StatusFacts {
  readonly facts: LearnerFacts;
  readonly assessed: Column<Uint8Array>;
  readonly held: Column<Uint8Array>;
}

const newStatusFacts = (): StatusFacts => ({ facts: new LearnerFacts(), assessed: new Column(Uint8Array), held: new Column(Uint8Array) });

function addStatusFact(table: StatusFacts, learner: number, at: Instant, position: number, assessment: StatusAssessment | undefined): void {
  table.facts.add(learner, at, position);
  table.assessed.push(bitsOf(assessment?.assessed));
  table.held.push(bitsOf(assessment?.held));
}

/**
 * Who was active in one month, as a log: `starts` are the positions at which learners
 * became active in it (in log order), `stops` those at which a retraction took away a
 * learner's last activity event of the month. Distinct active learners as known at p:
 * starts up to p minus stops up to p.
 */
interface MonthLog {
  readonly starts: { readonly learner: Column<Int32Array>; readonly position: Column<Int32Array> };
  readonly stops: { readonly learner: Column<Int32Array>; readonly position: Column<Int32Array> };
  /** Who is active now: derived from starts and stops when first needed, never stored. */
  members?: Bitset;
}

/**
 * Activity by month and what the women share needs (KPIS.md key figures): the months each
 * learner was active in, their admissions and their signup surveys' gender. Millions of
 * learners, so the state is columnar (learner ids interned to integers), and bitemporal:
 * every fact carries the position it became known at, so a question as known at any
 * position up to the checkpoint is answered from this state, with no replay.
 */
export interface LearnerActivityState {
  readonly learners: LearnerIndex;
  readonly months: Map<number, MonthLog>;
  readonly surveys: LearnerFacts;
  /** The gender each survey gives (0: none or undisclosed), row for row with `surveys`. */
  readonly surveyGender: Column<Uint8Array>;
  /** The country each survey gives (`countryCode`) and 1 + the index of its motivation: free users' figures (KPIS.md v2). */
  readonly surveyCountry: Column<Int32Array>;
  readonly surveyMotivation: Column<Uint8Array>;
  readonly admissions: LearnerFacts;
  /**
   * The status bits each survey, admission and funding assessed and found held (KPIS.md's
   * assessed(L) and held(L)): surveys' and admissions' row for row with `surveys` and
   * `admissions`, fundings with their own facts. The learner profiles read model keeps the
   * same; kept here too, under this read model's learner indexes, so that the free users'
   * figures count instead of joining two read models by learner id (2M ids at full scale).
   */
  readonly surveyStatuses: { readonly assessed: Column<Uint8Array>; readonly held: Column<Uint8Array> };
  readonly admissionStatuses: { readonly assessed: Column<Uint8Array>; readonly held: Column<Uint8Array> };
  readonly fundings: StatusFacts;
  /** Declarations (ProfessionalOutcomeReported, ApprenticeshipContractSigned): `impact.free-users`. */
  readonly declarations: LearnerFacts;
  /** Mentoring sessions, the learner's side: `mentoring.disadvantaged-learners`. */
  readonly sessions: LearnerFacts;
}

function newMonth(): MonthLog {
  return {
    starts: { learner: new Column(Int32Array), position: new Column(Int32Array) },
    stops: { learner: new Column(Int32Array, 16), position: new Column(Int32Array, 16) },
    members: new Bitset(),
  };
}

function membersOf(log: MonthLog): Bitset {
  if (!log.members) {
    // Starts and stops of one learner alternate; replaying both in log order gives who is active.
    const members = new Bitset();
    const stops = log.stops.position.length;
    let s = 0;
    for (let i = 0; i < log.starts.learner.length; i++) {
      const position = log.starts.position.at(i);
      for (; s < stops && log.stops.position.at(s) < position; s++) members.delete(log.stops.learner.at(s));
      members.add(log.starts.learner.at(i));
    }
    for (; s < stops; s++) members.delete(log.stops.learner.at(s));
    log.members = members;
  }
  return log.members;
}

function monthLog(state: LearnerActivityState, month: number): MonthLog {
  let log = state.months.get(month);
  if (!log) {
    log = newMonth();
    state.months.set(month, log);
  }
  return log;
}

export const learnerActivityProjection = defineProjection({
  name: 'learner-activity',
  // 3: the survey's country and motivation, for the free users' figures.
  // 4: statuses, fundings, declarations and sessions, so that free users and mentored learners are counted here, not joined by id.
  version: 4,
  bitemporal: true,
  handles: [...ACTIVITY, 'SignupSurveyAnswered', 'LearnerAdmitted', ...STATUS_EVENTS, ...DECLARATIONS, 'MentoringSessionHeld'],
  retraction: {
    kind: 'retract',
    history: ACTIVITY,
    retract(state: LearnerActivityState, retracted, retraction, history): LearnerActivityState {
      const learner = state.learners.find(retracted.learnerId);
      if (learner === -1) return state;
      if (retracted.type === 'SignupSurveyAnswered') {
        state.surveys.retract(retracted.position, retraction.position);
      } else if (retracted.type === 'LearnerAdmitted') {
        state.admissions.retract(retracted.position, retraction.position);
      } else if (retracted.type === 'FundingGranted') {
        state.fundings.facts.retract(retracted.position, retraction.position);
      } else if (retracted.type === 'ProfessionalOutcomeReported' || retracted.type === 'ApprenticeshipContractSigned') {
        state.declarations.retract(retracted.position, retraction.position);
      } else if (retracted.type === 'MentoringSessionHeld') {
        state.sessions.retract(retracted.position, retraction.position);
      } else {
        const month = utcMonthNumberOf(epochMsOf(retracted.occurredAt));
        // Still active in that month when another of the learner's activity events of it exists.
        if (history.some((e) => utcMonthNumberOf(epochMsOf(e.occurredAt)) === month)) return state;
        const log = monthLog(state, month);
        membersOf(log).delete(learner);
        log.stops.learner.push(learner);
        log.stops.position.push(retraction.position);
      }
      return state;
    },
  },
  initialState: (): LearnerActivityState => ({
    learners: LearnerIndex.empty(),
    months: new Map(),
    surveys: new LearnerFacts(),
    surveyGender: new Column(Uint8Array),
    surveyCountry: new Column(Int32Array),
    surveyMotivation: new Column(Uint8Array),
    admissions: new LearnerFacts(),
    surveyStatuses: { assessed: new Column(Uint8Array), held: new Column(Uint8Array) },
    admissionStatuses: { assessed: new Column(Uint8Array), held: new Column(Uint8Array) },
    fundings: newStatusFacts(),
    declarations: new LearnerFacts(),
    sessions: new LearnerFacts(),
  }),

  evolve(state, event): LearnerActivityState {
    const learner = state.learners.intern(event.learnerId);
    const at = instantOf(event.occurredAt);
    switch (event.type) {
      case 'SignupSurveyAnswered':
        state.surveys.add(learner, at, event.position);
        state.surveyGender.push(event.data.gender === undefined ? NO_GENDER : GENDER_CODES[event.data.gender]);
        state.surveyCountry.push(countryCode(event.data.country));
        state.surveyMotivation.push(MOTIVATIONS.indexOf(event.data.motivation) + 1);
        state.surveyStatuses.assessed.push(bitsOf(event.data.statusAssessment?.assessed));
        state.surveyStatuses.held.push(bitsOf(event.data.statusAssessment?.held));
        return state;
      case 'LearnerAdmitted':
        state.admissions.add(learner, at, event.position);
        state.admissionStatuses.assessed.push(bitsOf(event.data.statusAssessment?.assessed));
        state.admissionStatuses.held.push(bitsOf(event.data.statusAssessment?.held));
        return state;
      case 'FundingGranted':
        addStatusFact(state.fundings, learner, at, event.position, event.data.statusAssessment);
        return state;
      case 'ProfessionalOutcomeReported':
      case 'ApprenticeshipContractSigned':
        state.declarations.add(learner, at, event.position);
        return state;
      case 'MentoringSessionHeld':
        state.sessions.add(learner, at, event.position);
        return state;
      default: {
        const log = monthLog(state, utcMonthNumberOf(at.epochMs));
        const members = membersOf(log);
        if (!members.has(learner)) {
          members.add(learner);
          log.starts.learner.push(learner);
          log.starts.position.push(event.position);
        }
        return state;
      }
    }
  },

  toJson: (state): StoredLearnerActivity => ({
    learners: state.learners.toJson(),
    months: [...state.months].map(([month, log]) => ({
      month,
      startLearners: log.starts.learner.toJson(),
      startPositions: log.starts.position.toJson(),
      stopLearners: log.stops.learner.toJson(),
      stopPositions: log.stops.position.toJson(),
    })),
    surveys: state.surveys.toJson(),
    surveyGender: state.surveyGender.toJson(),
    surveyCountry: state.surveyCountry.toJson(),
    surveyMotivation: state.surveyMotivation.toJson(),
    admissions: state.admissions.toJson(),
    surveyAssessed: state.surveyStatuses.assessed.toJson(),
    surveyHeld: state.surveyStatuses.held.toJson(),
    admissionAssessed: state.admissionStatuses.assessed.toJson(),
    admissionHeld: state.admissionStatuses.held.toJson(),
    fundings: state.fundings.facts.toJson(),
    fundingAssessed: state.fundings.assessed.toJson(),
    fundingHeld: state.fundings.held.toJson(),
    declarations: state.declarations.toJson(),
    sessions: state.sessions.toJson(),
  }),

  fromJson(stored: StoredLearnerActivity): LearnerActivityState {
    return {
      learners: LearnerIndex.fromJson(stored.learners),
      months: new Map(
        stored.months.map((m) => [
          m.month,
          {
            starts: { learner: Column.fromJson(Int32Array, m.startLearners), position: Column.fromJson(Int32Array, m.startPositions) },
            stops: { learner: Column.fromJson(Int32Array, m.stopLearners), position: Column.fromJson(Int32Array, m.stopPositions) },
          },
        ]),
      ),
      surveys: LearnerFacts.fromJson(stored.surveys),
      surveyGender: Column.fromJson(Uint8Array, stored.surveyGender),
      surveyCountry: Column.fromJson(Int32Array, stored.surveyCountry),
      surveyMotivation: Column.fromJson(Uint8Array, stored.surveyMotivation),
      admissions: LearnerFacts.fromJson(stored.admissions),
      surveyStatuses: { assessed: Column.fromJson(Uint8Array, stored.surveyAssessed), held: Column.fromJson(Uint8Array, stored.surveyHeld) },
      admissionStatuses: { assessed: Column.fromJson(Uint8Array, stored.admissionAssessed), held: Column.fromJson(Uint8Array, stored.admissionHeld) },
      fundings: {
        facts: LearnerFacts.fromJson(stored.fundings),
        assessed: Column.fromJson(Uint8Array, stored.fundingAssessed),
        held: Column.fromJson(Uint8Array, stored.fundingHeld),
      },
      declarations: LearnerFacts.fromJson(stored.declarations),
      sessions: LearnerFacts.fromJson(stored.sessions),
    };
  },
});

interface StoredLearnerActivity {
  readonly learners: ReturnType<LearnerIndex['toJson']>;
  readonly months: ReadonlyArray<{
    readonly month: number;
    readonly startLearners: Uint8Array;
    readonly startPositions: Uint8Array;
    readonly stopLearners: Uint8Array;
    readonly stopPositions: Uint8Array;
  }>;
  readonly surveys: ReturnType<LearnerFacts['toJson']>;
  readonly surveyGender: Uint8Array;
  readonly surveyCountry: Uint8Array;
  readonly surveyMotivation: Uint8Array;
  readonly admissions: ReturnType<LearnerFacts['toJson']>;
  readonly surveyAssessed: Uint8Array;
  readonly surveyHeld: Uint8Array;
  readonly admissionAssessed: Uint8Array;
  readonly admissionHeld: Uint8Array;
  readonly fundings: ReturnType<LearnerFacts['toJson']>;
  readonly fundingAssessed: Uint8Array;
  readonly fundingHeld: Uint8Array;
  readonly declarations: ReturnType<LearnerFacts['toJson']>;
  readonly sessions: ReturnType<LearnerFacts['toJson']>;
}

/** Distinct learners active in a month as known at a position. */
export function activeLearners(state: LearnerActivityState, month: string, knownAt: number): number {
  const log = state.months.get(monthNumber(month));
  if (!log) return 0;
  return log.starts.position.countAtMost(knownAt) - log.stops.position.countAtMost(knownAt);
}

/** Calls `visit` with each learner active in a month as known at a position (indexes of `state.learners`). */
function forEachActive(state: LearnerActivityState, month: string, knownAt: number, visit: (learner: number, start: number) => void): void {
  const log = state.months.get(monthNumber(month));
  if (!log) return;
  const starts = log.starts.position.countAtMost(knownAt);
  const stops = log.stops.position.countAtMost(knownAt);
  const learners = log.starts.learner.values();
  const positions = log.starts.position.values();
  if (stops === 0) {
    for (let i = 0; i < starts; i++) visit((learners[i] ?? 0), (positions[i] ?? 0));
    return;
  }
  // A learner's starts and stops alternate: active when their last start by then is after their last stop.
  const lastStop = new Map<number, number>();
  for (let i = 0; i < stops; i++) lastStop.set(log.stops.learner.at(i), log.stops.position.at(i));
  const lastStart = new Map<number, number>();
  for (let i = 0; i < starts; i++) {
    const learner = (learners[i] ?? 0);
    if (lastStop.has(learner)) lastStart.set(learner, (positions[i] ?? 0));
    else visit(learner, (positions[i] ?? 0));
  }
  for (const [learner, start] of lastStart) if (start > (lastStop.get(learner) ?? 0)) visit(learner, start);
}

/** The learners active in a month as known at a position, as indexes of `state.learners`. */
export function activeLearnerIndexes(state: LearnerActivityState, month: string, knownAt: number): number[] {
  const active: number[] = [];
  forEachActive(state, month, knownAt, (learner) => active.push(learner));
  return active;
}

/**
 * `key.active-learners.<YYYY-MM>` for each month of the period, `key.active-learners.monthly-avg`
 * (exact mean; null when the period has no month) and `key.women-share.free-users`, as
 * known at a position.
 */
export function learnerActivityFigures(state: LearnerActivityState, period: Period, knownAt: number): Record<string, number | null> {
  const figures: Record<string, number | null> = {};
  const months = monthsOf(period);
  let sum = 0;
  for (const month of months) {
    const count = activeLearners(state, month, knownAt);
    figures[`key.active-learners.${month}`] = count;
    sum += count;
  }
  figures['key.active-learners.monthly-avg'] = months.length === 0 ? null : sum / months.length;
  figures['key.women-share.free-users'] = womenShareOfFreeUsers(state, period, knownAt);
  return figures;
}

/**
 * Free users: active in a month of the period, never admitted before its end. For those
 * whose latest survey before the end (by occurredAt, then position) gives a gender, that
 * survey's row; female, male and non-binary are gendered, undisclosed or none is not.
 */
function latestSurveysOfFreeUsers(state: LearnerActivityState, period: Period, knownAt: number): number[] {
  const { latest } = freeUsersOf(state, period, knownAt);
  const rows: number[] = [];
  for (let learner = 0; learner < latest.length; learner++) {
    const row = (latest[learner] ?? 0);
    if (row !== -1 && state.surveyGender.at(row) !== NO_GENDER) rows.push(row);
  }
  return rows;
}

/**
 * The free users of a period as known at a position (KPIS.md: active in a month of it, no
 * LearnerAdmitted before its end), as a flag per learner index, and the row of each one's
 * latest survey before the end (-1: none), by occurredAt then position.
 */
export function freeUsersOf(state: LearnerActivityState, period: Period, knownAt: number): { readonly free: Uint8Array; readonly latest: Int32Array } {
  return remembered(lastFreeUsers, state, `${period.from}/${period.to}@${knownAt}`, () => computeFreeUsers(state, period, knownAt));
}

/**
 * A number that changes with every fact added to or retracted from the state: an answer
 * remembered for a state is reused only while it is unchanged (the API keeps one state and
 * folds new events into it).
 */
function changesOf(state: LearnerActivityState): number {
  let changes = state.learners.size + state.surveys.changes + state.admissions.changes + state.fundings.facts.changes;
  for (const log of state.months.values()) changes += log.starts.position.length + log.stops.position.length;
  return changes;
}

/**
 * The last answer of one kind for a state, by the question asked: a report asks the free
 * users of its period three times (the key figures' women share, the free users' family,
 * their provenance) and the statuses twice (free users, mentored learners).
 */
function remembered<T>(last: WeakMap<LearnerActivityState, { question: string; changes: number; answer: T }>, state: LearnerActivityState, question: string, compute: () => T): T {
  const changes = changesOf(state);
  const kept = last.get(state);
  if (kept && kept.question === question && kept.changes === changes) return kept.answer;
  const answer = compute();
  last.set(state, { question, changes, answer });
  return answer;
}

const lastFreeUsers = new WeakMap<LearnerActivityState, { question: string; changes: number; answer: { readonly free: Uint8Array; readonly latest: Int32Array } }>();
const lastStatuses = new WeakMap<LearnerActivityState, { question: string; changes: number; answer: { readonly assessed: Uint8Array; readonly held: Uint8Array } }>();

function computeFreeUsers(state: LearnerActivityState, period: Period, knownAt: number): { free: Uint8Array; latest: Int32Array } {
  const { endMs } = periodBounds(period);
  const free = new Uint8Array(state.learners.size);
  for (const month of monthsOf(period)) forEachActive(state, month, knownAt, (learner) => (free[learner] = 1));
  const { admissions, surveys } = state;
  for (let row = 0; row < admissions.length; row++) {
    if (admissions.atMs.at(row) < endMs && admissions.existsAt(row, knownAt)) free[admissions.learner.at(row)] = 0;
  }
  // The latest survey row of each free user, in typed arrays: there are millions of learners.
  const latest = new Int32Array(state.learners.size).fill(-1);
  const learners = surveys.learner.values();
  const atMs = surveys.atMs.values();
  for (let row = 0; row < surveys.length; row++) {
    const learner = (learners[row] ?? 0);
    if (free[learner] !== 1 || (atMs[row] ?? 0) >= endMs || !surveys.existsAt(row, knownAt)) continue;
    const best = (latest[learner] ?? 0);
    if (best === -1 || surveys.isLater(row, best)) latest[learner] = row;
  }
  return { free, latest };
}

/**
 * `assessed(L)` and `held(L)` of KPIS.md for every learner of this read model, as status bits
 * by learner index: the unions over their surveys, admissions and fundings that exist as known
 * at `knownAt` and occurred before `endMs` (the learner profiles' `statusesBefore`, on these indexes).
 */
export function statusesOf(state: LearnerActivityState, endMs: number, knownAt: number): { readonly assessed: Uint8Array; readonly held: Uint8Array } {
  return remembered(lastStatuses, state, `${endMs}@${knownAt}`, () => computeStatuses(state, endMs, knownAt));
}

function computeStatuses(state: LearnerActivityState, endMs: number, knownAt: number): { assessed: Uint8Array; held: Uint8Array } {
  const assessed = new Uint8Array(state.learners.size);
  const held = new Uint8Array(state.learners.size);
  const tables: ReadonlyArray<readonly [LearnerFacts, { readonly assessed: Column<Uint8Array>; readonly held: Column<Uint8Array> }]> = [
    [state.surveys, state.surveyStatuses],
    [state.admissions, state.admissionStatuses],
    [state.fundings.facts, state.fundings],
  ];
  for (const [facts, statuses] of tables) {
    const learners = facts.learner.values();
    const atMs = facts.atMs.values();
    const assessedBits = statuses.assessed.values();
    const heldBits = statuses.held.values();
    for (let row = 0; row < facts.length; row++) {
      if ((atMs[row] ?? 0) >= endMs || !facts.existsAt(row, knownAt)) continue;
      const learner = learners[row] ?? 0;
      assessed[learner] = (assessed[learner] ?? 0) | (assessedBits[row] ?? 0);
      held[learner] = (held[learner] ?? 0) | (heldBits[row] ?? 0);
    }
  }
  return { assessed, held };
}

/**
 * The rows of `facts` (declarations, sessions) that occurred in the period (by UTC day, as
 * `inPeriod`) and exist as known at `knownAt`, in log order.
 */
export function factsIn(facts: LearnerFacts, period: Period, knownAt: number): number[] {
  const { startMs, endMs } = periodBounds(period);
  const atMs = facts.atMs.values();
  const rows: number[] = [];
  for (let row = 0; row < facts.length; row++) {
    const at = atMs[row] ?? 0;
    if (at >= startMs && at < endMs && facts.existsAt(row, knownAt)) rows.push(row);
  }
  return rows;
}

/** Among gendered free users of the period, the share of women; null when there is none. */
function womenShareOfFreeUsers(state: LearnerActivityState, period: Period, knownAt: number): number | null {
  const latest = latestSurveysOfFreeUsers(state, period, knownAt);
  let women = 0;
  for (const row of latest) if (state.surveyGender.at(row) === FEMALE) women += 1;
  return latest.length === 0 ? null : women / latest.length;
}

/** The position at which each learner active in a month (as known at a position) became active in it. */
function activationPositions(state: LearnerActivityState, month: string, knownAt: number): number[] {
  const positions: number[] = [];
  forEachActive(state, month, knownAt, (_learner, start) => positions.push(start));
  return positions;
}

/**
 * Provenance: for active learners, the event that made each learner active in the month
 * (their first existing activity event of it, in log order); for the women share, the
 * latest survey of each gendered free user.
 */
export function explainLearnerActivity(state: LearnerActivityState, period: Period, knownAt: number, figure: string): Explanation | undefined {
  if (figure === 'key.women-share.free-users') {
    const latest = latestSurveysOfFreeUsers(state, period, knownAt);
    return {
      rule: 'women / gendered free users: learners active in a month of the period, not admitted before its end, by the gender of their latest signup survey before it',
      evidence: { kind: 'positions', positions: latest.map((row) => state.surveys.position.at(row)) },
    };
  }
  if (figure === 'key.active-learners.monthly-avg') {
    return {
      rule: 'the mean over the months of the period of the distinct learners with a LearnerActive, CourseStarted or CertificateEarned in the month',
      evidence: { kind: 'positions', positions: monthsOf(period).flatMap((m) => activationPositions(state, m, knownAt)) },
    };
  }
  const month = /^key\.active-learners\.(\d{4}-\d{2})$/.exec(figure)?.[1];
  if (month === undefined) return undefined;
  return {
    rule: `distinct learners with a LearnerActive, CourseStarted or CertificateEarned in ${month}; each learner's event that made them active`,
    evidence: { kind: 'positions', positions: activationPositions(state, month, knownAt) },
  };
}

/** The key figures of activity: active learners per month, their mean, and the women share. */
export const learnerActivityCatalogue: readonly FigureDefinition[] = [
  {
    id: 'key.active-learners.{month}',
    label: { en: 'active learners {month}', fr: 'Utilisateurs actifs, {month}' },
    unit: 'count',
    counts: {
      en: "distinct learners with a LearnerActive, CourseStarted or CertificateEarned in {month}; each learner's event that made them active",
      fr: "apprenants distincts ayant un LearnerActive, CourseStarted ou CertificateEarned en {month} ; pour chacun, l'événement qui l'a rendu actif",
    },
    group: GROUPS.key,
  },
  {
    id: 'key.active-learners.monthly-avg',
    label: { en: 'active learners, monthly average', fr: 'Utilisateurs actifs chaque mois (moyenne)' },
    unit: 'average',
    counts: {
      en: 'the mean over the months of the period of the distinct learners with a LearnerActive, CourseStarted or CertificateEarned in the month',
      fr: 'la moyenne, sur les mois de la période, des apprenants distincts ayant un LearnerActive, CourseStarted ou CertificateEarned dans le mois',
    },
    group: GROUPS.key,
  },
  {
    id: 'key.women-share.free-users',
    label: { en: 'women among free users', fr: 'Part des femmes parmi les utilisateurs gratuits' },
    unit: 'share',
    counts: {
      en: 'women / gendered free users: learners active in a month of the period, not admitted before its end, by the gender of their latest signup survey before it',
      fr: "femmes / utilisateurs gratuits dont le genre est connu : apprenants actifs un mois de la période, non admis avant sa fin, selon le genre de leur dernier questionnaire d'inscription antérieur",
    },
    group: GROUPS.key,
  },
];
