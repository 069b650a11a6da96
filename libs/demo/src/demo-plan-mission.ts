/**
 * The 2021 mission scope (EVENTS.md v1.1, KPIS.md version 2) in the demo: each admission's
 * planned length, the mentors and their sessions with the planned learners, and the
 * committee's commitments (2020's, as the 2021 report states them; 2021's, set in early 2021
 * and one revised after publication).
 *
 * Chance comes from streams of its own (`plan-v1-1`, `plan-v1-1-event-ids`), drawn after
 * every version 1 phase: the version 1 events of a seed are what they were, plus
 * `plannedMonths` on admissions. None of these events moves a version 1 figure: sessions
 * are not activity and carry no status; mentors' statuses are not learners'.
 */
import type { Country, LedgerEvent, Lever, MeasureKind, Status, StatusAssessment } from '@ledger/events';
import { STATUSES } from '@ledger/events';
import type { AddEvent } from './demo-plan-campaigns';
import type { PlanContext } from './demo-plan-context';
import { LAST_DAY_BEFORE_PUBLICATION } from './demo-plan-context';
import type { Spell } from './demo-plan-model';
import { DAY, PARIS, T0, T_END, countryIndex, dayIndex, formatInstant, localToUtc, zoneOfCountry } from './demo-time';
import { Prng } from './prng';

// ---------------------------------------------------------------------------------------
// Planned months: graduations on time, late (within 150 % or not) and withdrawals

/** `epochMs` plus `months` calendar months in UTC, time of day kept; a missing day is the month's last (KPIS.md). */
export function addUtcMonths(epochMs: number, months: number): number {
  const d = new Date(epochMs);
  const total = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** The fewest whole months m with admission + m months at or after the end. */
function monthsTaken(spell: Spell & { end: number }): number {
  let m = 1;
  while (addUtcMonths(spell.admit, m) < spell.end && m < 48) m += 1;
  return m;
}

/** Shares of graduates (drawn per admission): on time, late within 150 % of the planned time, later still. */
export const GRADUATION_TIMING = { onTime: 0.7, within150: 0.2 } as const;

/** The back office records the planned length from April 2019 on: earlier admissions have none. */
export const PLANNED_MONTHS_FROM = Date.UTC(2019, 3, 1);

/**
 * Gives every admission from April 2019 on its `plannedMonths` (1-36); earlier ones (the
 * 2018 carry-over, the first quarter of 2019) have none, so `outcomes.cohort.planned` is
 * below `.admissions` for 2019. A graduate's planned length is drawn against the time they took:
 * 70 % on time (planned >= taken), 20 % late but within 150 %, 10 % later still. Withdrawn and
 * open paths get the catalogue's length (apprenticeships 12 or 24 months, other paths 6-12).
 */
export function assignPlannedMonths(ctx: PlanContext, rng: Prng): void {
  for (const learner of ctx.learners) {
    for (const spell of learner.spells) {
      if (spell.admit < PLANNED_MONTHS_FROM) continue;
      const nominal = spell.cohort.kind === 'apprenticeship' ? (rng.chance(0.6) ? 12 : 24) : rng.pick([6, 6, 8, 9, 12, 12]);
      if (spell.reason !== 'graduated' || spell.end === undefined) {
        spell.plannedMonths = nominal;
        continue;
      }
      const taken = monthsTaken({ ...spell, end: spell.end });
      const draw = rng.next();
      let planned = taken;
      if (draw >= GRADUATION_TIMING.onTime && taken >= 2) {
        // Late: the largest planned length that misses, or (later still) about two thirds of it.
        planned = draw < GRADUATION_TIMING.onTime + GRADUATION_TIMING.within150 ? taken - 1 : Math.max(1, Math.floor(taken / 2) - 1);
      } else if (rng.chance(0.5)) planned = taken + rng.between(0, 2);
      spell.plannedMonths = Math.min(36, Math.max(1, planned));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Mentors and sessions

/** Mentors registered per year at scale 1; about one in five 2019 mentors updates their profile in late 2020. */
export const MENTORS = { registered2019: 320, registered2020: 480, profileUpdates: 0.2 } as const;
/** Statuses a mentor is asked about from 2020 on (never low qualification: `mentors.low-qualified` stays null), and how many hold each. */
const MENTOR_STATUSES: readonly (readonly [Status, number])[] = [
  ['job-seeker', 0.08],
  ['qpv-resident', 0.12],
  ['disability', 0.06],
  ['refugee', 0.03],
];
const MENTOR_COUNTRIES: readonly Country[] = ['FR', 'FR', 'FR', 'FR', 'FR', 'FR', 'BE', 'CH', 'MA', 'SN', 'CI', 'CA', 'TN'];

interface Mentor {
  readonly mentorId: string;
  readonly ms: number;
}

function mentorAssessment(rng: Prng): StatusAssessment {
  const held = MENTOR_STATUSES.filter(([, p]) => rng.chance(p)).map(([s]) => s);
  const asked = new Set(MENTOR_STATUSES.map(([s]) => s));
  return { assessed: STATUSES.filter((s) => asked.has(s)), held: STATUSES.filter((s) => held.includes(s)) };
}

function registerMentors(ctx: PlanContext, rng: Prng, idRng: Prng, add: AddEvent): Mentor[] {
  const s = ctx.design.scale;
  const mentors: Mentor[] = [];
  const years = [
    [2019, Math.max(4, Math.round(MENTORS.registered2019 * s))],
    [2020, Math.max(6, Math.round(MENTORS.registered2020 * s))],
  ] as const;
  for (const [year, count] of years) {
    const days = year === 2020 ? 366 : 365;
    const instants = Array.from({ length: count }, () => localToUtc(PARIS, Date.UTC(year, 0, 1) + rng.int(days) * DAY, 540 + rng.int(540))).sort((a, b) => a - b);
    for (const ms of instants) {
      const mentorId = `MNT-${String(ctx.next('mnt')).padStart(5, '0')}`;
      const country = rng.pick(MENTOR_COUNTRIES);
      const data = { mentorId, country, ...(year === 2020 ? { statusAssessment: mentorAssessment(rng) } : {}) };
      add(dayIndex(ms), ms, { eventId: idRng.uuid(), type: 'MentorRegistered', occurredAt: formatInstant(ms, zoneOfCountry(countryIndex(country))), data });
      mentors.push({ mentorId, ms });
    }
  }
  // 2019 mentors asked about their statuses in the autumn 2020 campaign: statuses accumulate.
  for (const mentor of mentors.filter((m) => m.ms < Date.UTC(2020, 0, 1))) {
    if (!rng.chance(MENTORS.profileUpdates)) continue;
    const ms = localToUtc(PARIS, Date.UTC(2020, 9, 1) + rng.int(60) * DAY, 540 + rng.int(540));
    add(dayIndex(ms), ms, {
      eventId: idRng.uuid(),
      type: 'MentorProfileUpdated',
      occurredAt: formatInstant(ms, PARIS),
      data: { mentorId: mentor.mentorId, statusAssessment: mentorAssessment(rng) },
    });
  }
  return mentors;
}

/**
 * Sessions: each path of 2019-2020 has a mentor, chosen at its first session among mentors
 * registered at least a day before, who meets the learner every three to seven weeks while
 * the path is open. A tenth of sessions are logged one to three days late.
 */
function holdSessions(ctx: PlanContext, rng: Prng, idRng: Prng, add: AddEvent, learnerIdOf: (index: number) => string, mentors: readonly Mentor[]): void {
  const eligibleBefore = (ms: number) => {
    let lo = 0;
    let hi = mentors.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((mentors[mid]?.ms ?? Infinity) <= ms - DAY) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const learner of ctx.learners) {
    const zone = zoneOfCountry(countryIndex(learner.country));
    for (const spell of learner.spells) {
      const until = Math.min(spell.end ?? T_END, T_END);
      let at = Math.max(spell.admit, T0) + rng.between(7, 21) * DAY;
      let mentor: Mentor | undefined;
      while (at < until - DAY) {
        const day = Math.floor(at / DAY) * DAY;
        const ms = localToUtc(zone, day, 540 + rng.int(720));
        const eligible = eligibleBefore(ms);
        if (!mentor && eligible > 0) mentor = mentors[rng.int(eligible)];
        if (mentor && ms > spell.admit && ms < until && ms > mentor.ms + DAY) {
          const late = rng.chance(0.1) ? rng.between(1, 3) : 0;
          const recordDay = Math.min(dayIndex(ms) + late, Math.max(dayIndex(ms), LAST_DAY_BEFORE_PUBLICATION));
          add(recordDay, ms, {
            eventId: idRng.uuid(),
            type: 'MentoringSessionHeld',
            learnerId: learnerIdOf(learner.index),
            occurredAt: formatInstant(ms, zone),
            data: { sessionId: `SES-${String(ctx.next('ses')).padStart(7, '0')}`, mentorId: mentor.mentorId },
          });
        }
        at += rng.between(21, 49) * DAY;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Commitments

export interface DemoCommitment {
  readonly commitmentId: string;
  readonly year: number;
  readonly lever: Lever;
  readonly label: { readonly fr: string; readonly en: string };
  readonly figure: string;
  readonly kind: MeasureKind;
  readonly value: number;
  /** The committee's meeting (Paris), recorded the next night. */
  readonly setOn: string;
}

/**
 * The committee's commitments. 2020's as the 2021 report states them (its levers table and
 * "+20 % of the five populations"), each measured on the KPIS.md figure closest to its
 * words; 2021's set at the February 2021 meeting; the funding one raised in June 2021, after
 * publication. Awareness is measured on the outreach through the associations of the five
 * groups, which began in 2020 (a zero 2019 baseline: "no initial reference point"), the
 * international footprint on employer-funded learners abroad (none in 2019, as the report
 * says: no baseline either).
 */
export const COMMITMENTS: readonly DemoCommitment[] = [
  {
    commitmentId: '2020-populations',
    year: 2020,
    lever: 'populations',
    label: { fr: '+20 % d’apprenants issus des cinq populations', en: '+20% learners of the five populations' },
    figure: 'populations.net-distinct',
    kind: 'growth-at-least',
    value: 0.2,
    setOn: '2020-01-21',
  },
  {
    commitmentId: '2020-awareness',
    year: 2020,
    lever: 'awareness',
    label: { fr: '+20 % de notoriété', en: '+20% awareness' },
    figure: 'awareness.recipients.disability',
    kind: 'growth-at-least',
    value: 0.2,
    setOn: '2020-01-21',
  },
  {
    commitmentId: '2020-funding',
    year: 2020,
    lever: 'funding',
    label: { fr: '60 % d’étudiants financés', en: '60% of learners funded' },
    figure: 'funding.{year}-12.funded-share',
    kind: 'at-least',
    value: 0.6,
    setOn: '2020-01-21',
  },
  {
    commitmentId: '2020-partnerships',
    year: 2020,
    lever: 'partnerships',
    label: { fr: '+25 % d’étudiants bénéficiant d’un financement proposé par une entreprise', en: '+25% learners funded by an employer' },
    figure: 'partnerships.total',
    kind: 'growth-at-least',
    value: 0.25,
    setOn: '2020-01-21',
  },
  {
    commitmentId: '2020-international',
    year: 2020,
    lever: 'international',
    label: { fr: '+20 % en dehors de la France', en: '+20% outside France' },
    figure: 'partnerships.employer-abroad',
    kind: 'growth-at-least',
    value: 0.2,
    setOn: '2020-01-21',
  },
  {
    commitmentId: '2021-populations',
    year: 2021,
    lever: 'populations',
    label: { fr: '+20 % d’apprenants issus des cinq populations', en: '+20% learners of the five populations' },
    figure: 'populations.net-distinct',
    kind: 'growth-at-least',
    value: 0.2,
    setOn: '2021-02-09',
  },
  {
    commitmentId: '2021-funding',
    year: 2021,
    lever: 'funding',
    label: { fr: '65 % d’étudiants financés', en: '65% of learners funded' },
    figure: 'funding.{year}-12.funded-share',
    kind: 'at-least',
    value: 0.65,
    setOn: '2021-02-09',
  },
  {
    commitmentId: '2021-free-users',
    year: 2021,
    lever: 'populations',
    label: { fr: '+10 % d’utilisateurs gratuits issus des cinq publics', en: '+10% free users of the five groups' },
    figure: 'free-users.disadvantaged',
    kind: 'growth-at-least',
    value: 0.1,
    setOn: '2021-02-09',
  },
  {
    commitmentId: '2021-mentors',
    year: 2021,
    lever: 'populations',
    label: { fr: '+50 % de mentors actifs issus des cinq publics', en: '+50% active mentors of the five groups' },
    figure: 'mentors.disadvantaged',
    kind: 'growth-at-least',
    value: 0.5,
    setOn: '2021-02-09',
  },
  {
    commitmentId: '2021-funding',
    year: 2021,
    lever: 'funding',
    label: { fr: '70 % d’étudiants financés (objectif relevé en juin 2021)', en: '70% of learners funded (raised in June 2021)' },
    figure: 'funding.{year}-12.funded-share',
    kind: 'at-least',
    value: 0.7,
    setOn: '2021-06-08',
  },
];

function setCommitments(idRng: Prng, add: AddEvent): void {
  for (const c of COMMITMENTS) {
    const ms = localToUtc(PARIS, Date.parse(`${c.setOn}T00:00:00Z`), 17 * 60);
    const event: LedgerEvent = {
      eventId: idRng.uuid(),
      type: 'CommitmentSet',
      occurredAt: formatInstant(ms, PARIS),
      data: { commitmentId: c.commitmentId, year: c.year, lever: c.lever, label: c.label, measure: { figure: c.figure, kind: c.kind, value: c.value } },
    };
    // Recorded the next night; the June 2021 revision after publication (DemoCorrections.recordedAfterPublication).
    add(dayIndex(ms), ms, event);
  }
}

/** The v1.1 phase, once every version 1 event is placed: mentors, sessions and commitments. */
export function emitMission(ctx: PlanContext, add: AddEvent, learnerIdOf: (index: number) => string): void {
  const rng = new Prng(ctx.seed, 'plan-v1-1-mentors');
  const idRng = new Prng(ctx.seed, 'plan-v1-1-event-ids');
  const mentors = registerMentors(ctx, rng, idRng, add);
  holdSessions(ctx, rng, idRng, add, learnerIdOf, mentors);
  setCommitments(idRng, add);
}
