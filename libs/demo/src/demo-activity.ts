/**
 * The platform's activity, month by month: who is active (the planned learners the plan
 * names, plus free users who stay, come back after a pause, or arrive), and their
 * LearnerActive, CourseStarted and CertificateEarned events, plus the signup surveys of
 * newcomers. Each month is simulated into compact typed arrays (about a million rows at
 * scale 1), bucketed by UTC day, and turned into event objects one day at a time, so memory
 * stays bounded whatever the scale.
 *
 * Exactness: the month's active learners, course starts and certificates are the design's
 * numbers exactly (members are counted, courses and certificates are apportioned by integer
 * weights); themes, motivations and the women share of free users are drawn with share
 * trackers, which keep each running share within a few units of its published value.
 */
import type { LedgerEvent, Motivation, StatusAssessment, Theme } from '@ledger/events';
import { MOTIVATIONS, THEMES } from '@ledger/events';
import type { DemoDesign } from './demo-calibration';
import { LearnerIds } from './demo-ids';
import type { DemoPlan, TimedEvent } from './demo-plan';
import { LAST_DAY_BEFORE_PUBLICATION } from './demo-plan';
import {
  COUNTRIES,
  COUNTRY_WEIGHTS,
  DAY,
  MINUTE,
  PARIS,
  T0,
  dayIndex,
  formatInstant,
  localToUtc,
  monthStart,
  type Zone,
  zoneOfCountry,
} from './demo-time';
import { Prng, ShareTracker, cumulative } from './prng';

/** Share of last month's free users still active this month, by calendar month (summer churn). */
const RETENTION = [0.5, 0.57, 0.55, 0.57, 0.55, 0.52, 0.46, 0.47, 0.48, 0.56, 0.57, 0.52];
/** Learners coming back after a pause, as a share of the month's active learners (back to school in September and January). */
const RETURNING = [0.07, 0.05, 0.05, 0.05, 0.04, 0.04, 0.04, 0.04, 0.09, 0.06, 0.05, 0.04];
/** The first lockdown (spring 2020) kept learners and brought old ones back. */
const LOCKDOWN_MONTHS = new Set([14, 15]);
const SURVEY_RATE = 0.2;
/** January 2019 is the first month of the data: most of its learners signed up before (no survey in the data). */
const PRE_EXISTING_SHARE = 0.65;
/** Double submissions of a course start by the mobile app, retracted by a data-quality job days later. */
const DUPLICATE_RATE = 0.00012;

const WEEKDAY = [0.95, 1.1, 1.08, 1.05, 1.0, 0.88, 0.72];
/** Local hours (0..23) people learn at: mornings, afternoons, and evenings above all. */
const LOCAL_HOURS = cumulative([
  0.35, 0.18, 0.1, 0.07, 0.06, 0.1, 0.35, 0.9, 1.8, 2.6, 3.0, 3.0, 2.4, 2.5, 3.0, 3.1, 2.9, 2.6, 2.5, 2.8, 3.2, 3.1, 2.2, 1.0,
]);
const FREE_COUNTRIES = cumulative(COUNTRY_WEIGHTS);

const ACTIVE = 0;
const COURSE = 1;
const CERTIFICATE = 2;
const SURVEY = 3;
const DUPLICATE = 4;
const PLANNED_DUPLICATE = 5;

/** Gender codes kept per learner: 0 no survey, 1 female, 2 male, 3 non-binary, 4 undisclosed, 5 left out. */
const GENDER_OF_CODE = [undefined, 'female', 'male', 'non-binary', 'undisclosed', undefined] as const;

function dayWeight(ms: number): number {
  const date = new Date(ms);
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  let w = WEEKDAY[date.getUTCDay()] ?? 1;
  if (ms >= Date.UTC(2020, 2, 17) && ms < Date.UTC(2020, 4, 11)) w *= 1.3; // first lockdown
  if (ms >= Date.UTC(2020, 9, 30) && ms < Date.UTC(2020, 11, 15)) w *= 1.12; // second lockdown
  if ((month === 11 && (day === 24 || day === 25 || day === 31)) || (month === 0 && day === 1)) w *= 0.55;
  if ((month === 7 && day === 15) || (month === 4 && day === 1) || (month === 6 && day === 14)) w *= 0.78;
  return w;
}

/** A growable per-learner table. */
class Column<T extends Uint8Array | Int32Array> {
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}

  ensure(size: number): void {
    if (size <= this.data.length) return;
    const next = this.make(Math.max(size, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

/** A month's events, by UTC day: rows in typed arrays, events built on demand. */
export interface ActivityMonth {
  readonly days: number;
  eventsOfDay(day: number): TimedEvent[];
}

export class ActivityEngine {
  /** Retractions of duplicate course starts, by recording day: the generator takes them in turn. */
  readonly pending = new Map<number, TimedEvent[]>();

  private readonly rng: Prng;
  private readonly idRng: Prng;
  private readonly ids: LearnerIds;
  private readonly country: Column<Uint8Array>;
  private readonly gender: Column<Uint8Array>;
  private readonly counted: Column<Uint8Array>;
  private readonly lastCourse: Column<Int32Array>;
  private size: number;
  private previous = new Int32Array(0);
  private dormant: Int32Array;
  private dormantSize = 0;
  private readonly women: [ShareTracker, ShareTracker];
  private readonly motivations: [ShareTracker, ShareTracker];
  private readonly themes: [ShareTracker, ShareTracker];
  private readonly courseIds: string[] = [];
  private readonly courseTheme: number[] = [];
  private readonly coursesByTheme: number[][] = [];
  private readonly themeWeights: [Float64Array, Float64Array];
  private certificates = 0;
  private surveys = 0;

  constructor(
    seed: number,
    private readonly design: DemoDesign,
    private readonly plan: DemoPlan,
  ) {
    this.rng = new Prng(seed, 'activity');
    this.idRng = new Prng(seed, 'activity-event-ids');
    this.ids = new LearnerIds(seed);
    this.size = plan.learnerCount;
    const initial = plan.learnerCount + Math.ceil(500_000 * design.scale);
    this.country = new Column(new Uint8Array(initial), (n) => new Uint8Array(n));
    this.gender = new Column(new Uint8Array(initial), (n) => new Uint8Array(n));
    this.counted = new Column(new Uint8Array(initial), (n) => new Uint8Array(n));
    this.lastCourse = new Column(new Int32Array(initial).fill(-1), (n) => new Int32Array(n).fill(-1));
    this.country.data.set(plan.countryOf);
    this.dormant = new Int32Array(Math.ceil(1_500_000 * design.scale) + 1000);
    const women = design.womenShare;
    this.women = [new ShareTracker([women[0], 1 - women[0]]), new ShareTracker([women[1], 1 - women[1]])];
    this.motivations = [new ShareTracker(design.motivationShares[0]), new ShareTracker(design.motivationShares[1])];
    this.themes = [new ShareTracker(design.themeShares[0]), new ShareTracker(design.themeShares[1])];
    this.themeWeights = [cumulative(design.themeShares[0]), cumulative(design.themeShares[1])];
    if (plan.duplicates.length >= 64) throw new RangeError('demo activity: at most 63 planned duplicates');
    this.buildCatalog(seed);
  }

  /** About 900 courses with 7-digit ids, in proportion to the themes' shares; a few are very popular. */
  private buildCatalog(seed: number): void {
    const rng = new Prng(seed, 'catalog');
    const offset = rng.int(9_000_000);
    THEMES.forEach((_, t) => {
      const count = Math.max(8, Math.round(900 * (this.design.themeShares[1][t] ?? 0)));
      const list: number[] = [];
      for (let i = 0; i < count; i += 1) {
        list.push(this.courseIds.length);
        this.courseTheme.push(t);
        this.courseIds.push(String(1_000_000 + ((this.courseIds.length * 7331 + offset) % 9_000_000)));
      }
      this.coursesByTheme.push(list);
    });
  }

  private course(theme: number): number {
    const list = this.coursesByTheme[theme] ?? [];
    return list[Math.floor(list.length * this.rng.next() ** 2.2)] ?? 0;
  }

  /** Simulates month `m` (0 = Jan 2019): members, their counts, then every row of the month. */
  month(m: number): ActivityMonth {
    const rng = this.rng;
    const year = m < 12 ? 0 : 1;
    const active = this.design.activeLearners[m] ?? 0;
    const forced = this.plan.forcedByMonth[m] ?? new Int32Array(0);
    const minNew = Math.ceil(0.05 * active);
    if (forced.length + minNew > active) throw new Error(`demo activity: more planned learners than active learners in month ${m}`);

    // Who is active: planned learners, then free users who stay, come back, or arrive.
    const lockdown = LOCKDOWN_MONTHS.has(m);
    let stay = Math.round(((RETENTION[m % 12] ?? 0.5) + (lockdown ? 0.05 : 0)) * this.previous.length);
    let back = Math.min(this.dormantSize, Math.round((lockdown ? 0.1 : (RETURNING[m % 12] ?? 0.05)) * active));
    const room = active - forced.length - minNew;
    back = Math.min(back, room);
    stay = Math.min(stay, room - back);
    const fresh = active - forced.length - stay - back;

    const members = new Int32Array(active);
    members.set(forced, 0);
    let n = forced.length;
    // Those back from a pause are drawn before last month's leavers pause, so nobody leaves and returns at once.
    for (let i = 0; i < back; i += 1) {
      const slot = rng.int(this.dormantSize);
      members[n++] = this.dormant[slot] ?? 0;
      this.dormantSize -= 1;
      this.dormant[slot] = this.dormant[this.dormantSize] ?? 0;
    }
    const staying = rng.choose(this.previous.length, stay);
    let next = 0;
    this.previous.forEach((learner, i) => {
      if (staying[next] === i) {
        members[n++] = learner;
        next += 1;
      } else {
        this.toDormant(learner);
      }
    });
    const firstNew = n;
    this.ensure(this.size + fresh);
    for (let i = 0; i < fresh; i += 1) {
      const learner = this.size++;
      members[n++] = learner;
      this.country.data[learner] = rng.weighted(FREE_COUNTRIES);
    }
    this.previous = members.subarray(forced.length).slice();

    // Surveys planned this month count towards the year's motivation shares before newcomers draw theirs.
    const planned = this.plan.surveyMotivations[m];
    planned?.forEach((count, k) => {
      for (let i = 0; i < count; i += 1) this.motivations[year].record(k);
    });
    // Women share of free users: every member counts once a year, newcomers' answers are drawn to keep it on target.
    const newSurveys = new Int32Array(active).fill(-1);
    for (let i = 0; i < active; i += 1) {
      const learner = members[i] ?? 0;
      const isNew = i >= firstNew;
      if (isNew) {
        const answers = m === 0 && rng.chance(PRE_EXISTING_SHARE) ? false : rng.chance(SURVEY_RATE);
        if (answers) newSurveys[i] = this.drawSurvey(learner, year);
        else this.gender.data[learner] = 0;
      }
      if (((this.counted.data[learner] ?? 0) >> year) & 1) continue;
      this.counted.data[learner] = (this.counted.data[learner] ?? 0) | (1 << year);
      if (isNew) continue; // drawn (and recorded) by drawSurvey
      const code =
        learner < this.plan.learnerCount
          ? (this.plan.freeUserGender[year][learner] ?? 0)
          : this.genderClass(this.gender.data[learner] ?? 0);
      if (code > 0) this.women[year].record(code - 1);
    }

    // How much each member does: integer weights, then exact apportionment of the month's totals.
    const duplicatesAfter = this.plan.duplicates.filter((d) => d.month === m);
    const courses = this.apportion(members, (this.design.coursesStarted[m] ?? 0) - duplicatesAfter.length, false);
    const certificates = this.apportion(members, this.design.certificates[m] ?? 0, true);
    const activeRows = new Uint8Array(active);
    const monthCourses = courses.reduce((a, b) => a + b, 0);
    const duplicatesBefore = Math.min(monthCourses, Math.floor(monthCourses * DUPLICATE_RATE + rng.next()));
    let rows = duplicatesAfter.length + duplicatesBefore;
    for (let i = 0; i < active; i += 1) {
      const busy = (courses[i] ?? 0) + (certificates[i] ?? 0);
      const u = rng.next();
      // At least one connection for members who neither start nor finish a course; a few more for some.
      activeRows[i] = busy === 0 ? 1 + (u < 0.1 ? 1 : 0) + (u < 0.03 ? 1 : 0) : u < 0.07 ? 1 : 0;
      rows += busy + (activeRows[i] ?? 0) + ((newSurveys[i] ?? -1) >= 0 ? 1 : 0);
    }

    const start = monthStart(m);
    const end = monthStart(m + 1);
    const days = Math.round((end - start) / DAY);
    const dayWeights = cumulative(Array.from({ length: days }, (_, d) => dayWeight(start + d * DAY)));
    const time = new Float64Array(rows);
    const who = new Int32Array(rows);
    const kind = new Uint8Array(rows);
    const aux = new Int32Array(rows);
    let r = 0;
    const courseRows: number[] = [];
    for (let i = 0; i < active; i += 1) {
      const learner = members[i] ?? 0;
      const zone = zoneOfCountry(this.country.data[learner] ?? 0);
      let first = end;
      const push = (k: number, a: number) => {
        const ms = this.instant(start, end, days, dayWeights, zone);
        if (ms < first) first = ms;
        time[r] = ms;
        who[r] = learner;
        kind[r] = k;
        aux[r] = a;
        r += 1;
        return ms;
      };
      for (let k = activeRows[i] ?? 0; k > 0; k -= 1) push(ACTIVE, 0);
      for (let k = courses[i] ?? 0; k > 0; k -= 1) {
        const course = this.course(this.themes[year].draw(rng));
        this.lastCourse.data[learner] = course;
        courseRows.push(r);
        push(COURSE, course);
      }
      for (let k = certificates[i] ?? 0; k > 0; k -= 1) {
        const last = this.lastCourse.data[learner] ?? -1;
        push(CERTIFICATE, last >= 0 && rng.chance(0.8) ? last : this.course(rng.weighted(this.themeWeights[year])));
      }
      const survey = newSurveys[i] ?? -1;
      if (survey >= 0) {
        // Answered at signup, minutes before the first connection.
        time[r] = Math.max(start, first - rng.between(1, 15) * MINUTE - rng.int(60) * 1000);
        who[r] = learner;
        kind[r] = SURVEY;
        aux[r] = survey;
        r += 1;
      }
    }
    // Course starts sent twice: most duplicates are retracted within days, a few only after publication.
    const copy = (original: number, k: number, a: number) => {
      time[r] = time[original] ?? start;
      who[r] = who[original] ?? 0;
      kind[r] = k;
      aux[r] = a;
      r += 1;
    };
    for (const i of rng.choose(courseRows.length, duplicatesBefore)) {
      const original = courseRows[i] ?? 0;
      copy(original, DUPLICATE, aux[original] ?? 0);
    }
    for (const duplicate of duplicatesAfter) {
      const original = courseRows[rng.int(courseRows.length)] ?? 0;
      copy(original, PLANNED_DUPLICATE, (aux[original] ?? 0) * 64 + this.plan.duplicates.indexOf(duplicate));
    }
    return this.byDay(start, days, time.subarray(0, r), who.subarray(0, r), kind.subarray(0, r), aux.subarray(0, r));
  }

  private ensure(size: number): void {
    this.country.ensure(size);
    this.gender.ensure(size);
    this.counted.ensure(size);
    this.lastCourse.ensure(size);
  }

  private toDormant(learner: number): void {
    if (this.dormantSize < this.dormant.length) this.dormant[this.dormantSize++] = learner;
    else this.dormant[this.rng.int(this.dormant.length)] = learner; // the oldest pauses are forgotten at random
  }

  /** 0 not counted in the women share, 1 female, 2 male or non-binary. */
  private genderClass(code: number): number {
    return code === 1 ? 1 : code === 2 || code === 3 ? 2 : 0;
  }

  /** A newcomer's signup answers, packed: motivation, gender code, job-seeker question (0 none, 1 not held, 2 held). */
  private drawSurvey(learner: number, year: 0 | 1): number {
    const rng = this.rng;
    const motivation = this.motivations[year].draw(rng);
    let gender: number;
    const u = rng.next();
    if (u < 0.05) gender = 4;
    else if (u < 0.09) gender = 5;
    else gender = this.women[year].draw(rng) === 0 ? 1 : rng.chance(0.007) ? 3 : 2;
    this.gender.data[learner] = gender;
    const status = rng.chance(0.65) ? (rng.chance(year === 0 ? 0.42 : 0.4) ? 2 : 1) : 0;
    return motivation | (gender << 4) | (status << 8);
  }

  /**
   * Integer weights per member (a third do not start or finish anything this month; the rest
   * follow a heavy tail), and an exact apportionment of `total`: member i gets
   * floor((W_i * total + u) / W) - floor((W_{i-1} * total + u) / W) with cumulative weights W_i.
   */
  private apportion(members: Int32Array, total: number, certificates: boolean): Int32Array {
    const rng = this.rng;
    const weights = new Int32Array(members.length);
    let sum = 0;
    for (let i = 0; i < members.length; i += 1) {
      const idle = certificates ? rng.chance(0.55) : rng.chance(0.36);
      const w = idle ? 0 : Math.min(5000, Math.floor(100 / Math.sqrt(1 - rng.next())));
      weights[i] = w;
      sum += w;
    }
    if (sum === 0 && members.length > 0) {
      weights[0] = 1;
      sum = 1;
    }
    const out = new Int32Array(members.length);
    const offset = rng.int(sum);
    let cumulativeWeight = 0;
    let given = Math.floor(offset / sum);
    for (let i = 0; i < members.length; i += 1) {
      cumulativeWeight += weights[i] ?? 0;
      const upTo = Math.floor((cumulativeWeight * total + offset) / sum);
      out[i] = upTo - given;
      given = upTo;
    }
    return out;
  }

  /** A UTC instant in [start, end) at a local hour people learn, on a day weighted by weekday and events. */
  private instant(start: number, end: number, days: number, dayWeights: Float64Array, zone: Zone): number {
    const rng = this.rng;
    for (let i = 0; i < 6; i += 1) {
      const day = start + rng.weighted(dayWeights) * DAY;
      const ms = localToUtc(zone, day, rng.weighted(LOCAL_HOURS) * 60 + rng.int(60)) + rng.int(60_000);
      if (ms >= start && ms < end) return ms;
    }
    return start + rng.int(days * 86_400) * 1000;
  }

  /** Buckets the month's rows by UTC day and sorts each day by instant (ties: row order). */
  private byDay(start: number, days: number, time: Float64Array, who: Int32Array, kind: Uint8Array, aux: Int32Array): ActivityMonth {
    const counts = new Int32Array(days + 1);
    for (let r = 0; r < time.length; r += 1) {
      const d = Math.floor(((time[r] ?? start) - start) / DAY) + 1;
      counts[d] = (counts[d] ?? 0) + 1;
    }
    for (let d = 1; d <= days; d += 1) counts[d] = (counts[d] ?? 0) + (counts[d - 1] ?? 0);
    const order = new Int32Array(time.length);
    const fill = counts.slice(0, days);
    for (let r = 0; r < time.length; r += 1) {
      const d = Math.floor(((time[r] ?? start) - start) / DAY);
      order[fill[d] ?? 0] = r;
      fill[d] = (fill[d] ?? 0) + 1;
    }
    return {
      days,
      eventsOfDay: (d: number) => {
        const from = counts[d] ?? 0;
        const to = counts[d + 1] ?? from;
        const dayStart = start + d * DAY;
        // (ms within the day) * 2^21 + rank: a float64 key exact below 2^53, sorted natively.
        const keys = new Float64Array(to - from);
        for (let j = 0; j < keys.length; j += 1) keys[j] = ((time[order[from + j] ?? 0] ?? 0) - dayStart) * 2_097_152 + j;
        keys.sort();
        const out: TimedEvent[] = new Array<TimedEvent>(keys.length);
        for (let j = 0; j < keys.length; j += 1) {
          const rank = (keys[j] ?? 0) % 2_097_152;
          const row = order[from + rank] ?? 0;
          out[j] = { ms: time[row] ?? 0, event: this.event(time[row] ?? 0, who[row] ?? 0, kind[row] ?? 0, aux[row] ?? 0) };
        }
        return out;
      },
    };
  }

  private event(ms: number, learner: number, k: number, a: number): LedgerEvent {
    const learnerId = this.ids.of(learner);
    const zone = zoneOfCountry(this.country.data[learner] ?? 0);
    switch (k) {
      case ACTIVE:
        return { eventId: this.idRng.uuid(), type: 'LearnerActive', learnerId, occurredAt: formatInstant(ms, zone, true), data: {} };
      case COURSE:
        return this.courseStarted(this.idRng.uuid(), learnerId, ms, zone, a);
      case CERTIFICATE:
        return {
          eventId: this.idRng.uuid(),
          type: 'CertificateEarned',
          learnerId,
          occurredAt: formatInstant(ms, zone, true),
          data: { certificateId: `CRT-${(this.certificates++).toString(36).padStart(7, '0')}`, courseId: this.courseIds[a] ?? '1000000' },
        };
      case SURVEY:
        return this.signupSurvey(learnerId, ms, zone, learner, a);
      case DUPLICATE: {
        const duplicate = this.courseStarted(this.idRng.uuid(), learnerId, ms, zone, a);
        const day = Math.min(LAST_DAY_BEFORE_PUBLICATION, Math.max(dayIndex(ms) + this.rng.between(1, 20), dayIndex(ms) + 1));
        this.retractLater(day, learnerId, duplicate.eventId, 'duplicate CourseStarted: the mobile app resent the start with a new event id');
        return duplicate;
      }
      default: {
        const planned = this.plan.duplicates[a % 64];
        const duplicate = this.courseStarted(planned?.eventId ?? this.idRng.uuid(), learnerId, ms, zone, Math.floor(a / 64));
        if (planned) {
          const reason = 'duplicate CourseStarted (same learner, course and instant), found by the 2021 data-quality audit';
          this.retractLater(planned.retractionDay, learnerId, duplicate.eventId, reason, planned.retractionMs, planned.retractionId);
        }
        return duplicate;
      }
    }
  }

  private courseStarted(eventId: string, learnerId: string, ms: number, zone: Zone, course: number): LedgerEvent {
    const theme: Theme = THEMES[this.courseTheme[course] ?? 0] ?? 'other';
    const data = { courseId: this.courseIds[course] ?? '1000000', theme };
    return { eventId, type: 'CourseStarted', learnerId, occurredAt: formatInstant(ms, zone, true), data };
  }

  private signupSurvey(learnerId: string, ms: number, zone: Zone, learner: number, packed: number): LedgerEvent {
    const motivation: Motivation = MOTIVATIONS[packed & 15] ?? 'other';
    const gender = GENDER_OF_CODE[(packed >> 4) & 15];
    const status = (packed >> 8) & 3;
    const statusAssessment: StatusAssessment | undefined =
      status === 0 ? undefined : { assessed: ['job-seeker'], held: status === 2 ? ['job-seeker'] : [] };
    return {
      eventId: this.idRng.uuid(),
      type: 'SignupSurveyAnswered',
      learnerId,
      occurredAt: formatInstant(ms, zone),
      data: {
        surveyResponseId: `SRV-A${String(this.surveys++).padStart(8, '0')}`,
        country: COUNTRIES[this.country.data[learner] ?? 0] ?? 'FR',
        motivation,
        ...(gender !== undefined ? { gender } : {}),
        ...(statusAssessment ? { statusAssessment } : {}),
      },
    };
  }

  private retractLater(day: number, learnerId: string, retractedEventId: string, reason: string, at?: number, eventId?: string): void {
    const ms = at ?? localToUtc(PARIS, T0 + day * DAY, 540 + this.rng.int(480));
    let list = this.pending.get(day);
    if (!list) {
      list = [];
      this.pending.set(day, list);
    }
    list.push({
      ms,
      event: {
        eventId: eventId ?? this.idRng.uuid(),
        type: 'EventRetracted',
        learnerId,
        occurredAt: formatInstant(ms, PARIS),
        data: { retractedEventId, reason },
      },
    });
  }
}
