/**
 * An auditor's recount of the KPIS.md figures from recorded events alone, for the demo data
 * set's tests and checks. Deliberately independent of the generator: it reads events and
 * their recordedAt, nothing else. Two passes over the same lines: the first finds the
 * retractions that exist at `knownAt`, the second counts the events that exist.
 */
import type { Funder, LedgerEvent, Status } from '@ledger/events';
import { MOTIVATIONS, OUTCOMES, STATUSES, THEMES } from '@ledger/events';
import { epochMsOf, isLearnerEvent } from '@ledger/events';

export interface RecordedLine {
  readonly event: LedgerEvent;
  readonly recordedAtMs: number;
}

export type Figures = Record<string, number | null>;

const DAY = 86_400_000;
const THIRD_PARTY: readonly Funder[] = ['public-aid', 'pse', 'apprenticeship', 'employer', 'employer-abroad'];
const PARTNER_FUNDERS = ['apprenticeship', 'employer', 'employer-abroad', 'pse'] as const;
const SEGMENTS = ['paid-funded', 'employment-program', 'employer-funded'] as const;

interface AdmittedLearner {
  readonly admissions: Map<string, { at: number; ended: number }>;
  readonly fundings: { at: number; position: number; funder: Funder }[];
}

/** Counts every figure of KPIS.md (version 2) for the period [from, to] (UTC days) as known at `knownAtMs`. */
export function recountFigures(lines: () => Iterable<RecordedLine>, from: string, to: string, knownAtMs: number): Figures {
  const figures = recountMeasured(lines, from, to, knownAtMs);
  Object.assign(figures, recountCommitments(lines, from, to, knownAtMs, figures));
  return figures;
}

/** Every figure but the commitments (which measure these, for whole years). */
function recountMeasured(lines: () => Iterable<RecordedLine>, from: string, to: string, knownAtMs: number): Figures {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`) + DAY;
  const inP = (ms: number) => ms >= start && ms < end;

  const retracted = new Set<string>();
  for (const { event, recordedAtMs } of lines()) {
    if (recordedAtMs <= knownAtMs && event.type === 'EventRetracted') retracted.add(event.data.retractedEventId);
  }

  const months: number[] = [];
  for (let d = new Date(start); d.getTime() < end; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
    if (d.getUTCDate() === 1) months.push(d.getTime());
  }
  const monthOfKey = new Map(months.map((m, i) => [new Date(m).toISOString().slice(0, 7), i]));
  const monthIndex = (ms: number) => monthOfKey.get(new Date(ms).toISOString().slice(0, 7)) ?? -1;

  const declarants = new Set<string>();
  const byOutcome = new Map<string, Set<string>>(OUTCOMES.map((o) => [o, new Set<string>()]));
  const segments = new Map<string, Set<string>>(SEGMENTS.map((s) => [s, new Set<string>()]));
  const assessed = new Map<string, Set<Status>>();
  const held = new Map<string, Set<Status>>();
  const partners = new Map<string, Set<string>>(PARTNER_FUNDERS.map((f) => [f, new Set<string>()]));
  const employers = new Set<string>();
  const admitted = new Map<string, AdmittedLearner>();
  const firstAdmission = new Map<string, number>();
  const activeMonths = new Map<string, number>();
  const latestSurvey = new Map<string, { at: number; position: number; gender?: string; country: string; motivation: string }>();
  const latestAdmissionCountry = new Map<string, { at: number; position: number; country: string }>();
  const admittedInP = new Set<string>();
  const englishInP = new Set<string>();
  const recipients = new Map<string, number>();
  const themes = new Map<string, number>();
  /** Not KPIS figures: monthly counts the demo design also fixes. */
  const monthly = new Map<string, number>();
  const motivations = new Map<string, number>();
  let certificates = 0;
  let courses = 0;
  let surveys = 0;
  // KPIS.md version 2: mentors (statuses before P.end), sessions in P, the admission cohort of P.
  const mentorAssessed = new Map<string, Set<Status>>();
  const mentorHeld = new Map<string, Set<Status>>();
  let mentorsRegistered = 0;
  let sessions = 0;
  const activeMentors = new Set<string>();
  const mentoredLearners = new Set<string>();
  const cohort: { learner: string; admissionId: string; at: number; plannedMonths: number | undefined }[] = [];
  const pathEnds = new Map<string, { at: number; position: number; reason: string }[]>();
  const declarationsOf = new Map<string, { at: number; outcome: string }[]>();

  let position = 0;
  for (const { event, recordedAtMs } of lines()) {
    if (recordedAtMs > knownAtMs) continue;
    position += 1;
    if (event.type === 'EventRetracted' || retracted.has(event.eventId)) continue;
    const at = epochMsOf(event.occurredAt);
    if (event.type === 'OutreachCampaignSent') {
      if (inP(at)) recipients.set(event.data.audience, (recipients.get(event.data.audience) ?? 0) + event.data.recipients);
      continue;
    }
    if (event.type === 'MentorRegistered' || event.type === 'MentorProfileUpdated') {
      if (event.type === 'MentorRegistered' && inP(at)) mentorsRegistered += 1;
      const statuses = event.data.statusAssessment;
      if (statuses && at < end) {
        const mentor = event.data.mentorId;
        const a = mentorAssessed.get(mentor) ?? new Set<Status>();
        const h = mentorHeld.get(mentor) ?? new Set<Status>();
        statuses.assessed.forEach((x) => a.add(x));
        statuses.held.forEach((x) => h.add(x));
        mentorAssessed.set(mentor, a);
        mentorHeld.set(mentor, h);
      }
      continue;
    }
    // Commitments are read by recountCommitments.
    if (!isLearnerEvent(event)) continue;
    const learner = event.learnerId;
    const data = event.data as { statusAssessment?: { assessed: readonly Status[]; held: readonly Status[] } };
    if (data.statusAssessment && at < end) {
      const a = assessed.get(learner) ?? new Set<Status>();
      const h = held.get(learner) ?? new Set<Status>();
      data.statusAssessment.assessed.forEach((s) => a.add(s));
      data.statusAssessment.held.forEach((s) => h.add(s));
      assessed.set(learner, a);
      held.set(learner, h);
    }
    switch (event.type) {
      case 'ProfessionalOutcomeReported':
      case 'ApprenticeshipContractSigned': {
        const outcome = event.type === 'ApprenticeshipContractSigned' ? 'apprenticeship' : event.data.outcome;
        if (inP(at)) {
          declarants.add(learner);
          byOutcome.get(outcome)?.add(learner);
        }
        declarationsOf.set(learner, [...(declarationsOf.get(learner) ?? []), { at, outcome }]);
        break;
      }
      case 'MentoringSessionHeld':
        if (inP(at)) {
          sessions += 1;
          activeMentors.add(event.data.mentorId);
          mentoredLearners.add(learner);
        }
        break;
      case 'LearnerAdmitted': {
        const record: AdmittedLearner = admitted.get(learner) ?? { admissions: new Map(), fundings: [] };
        record.admissions.set(event.data.admissionId, { at, ended: Infinity });
        admitted.set(learner, record);
        firstAdmission.set(learner, Math.min(firstAdmission.get(learner) ?? Infinity, at));
        if (inP(at)) {
          cohort.push({ learner, admissionId: event.data.admissionId, at, plannedMonths: event.data.plannedMonths });
          admittedInP.add(learner);
          if (event.data.pathLanguage === 'en') englishInP.add(learner);
          if (event.data.track === 'employment-program') segments.get('employment-program')?.add(learner);
        }
        const country = event.data.country;
        const known = latestAdmissionCountry.get(learner);
        if (country !== undefined && at < end && (!known || at > known.at || (at === known.at && position > known.position))) {
          latestAdmissionCountry.set(learner, { at, position, country });
        }
        break;
      }
      case 'PathEnded': {
        const admission = admitted.get(learner)?.admissions.get(event.data.admissionId);
        if (admission) admission.ended = Math.min(admission.ended, at);
        const key = `${learner}\u0000${event.data.admissionId}`;
        pathEnds.set(key, [...(pathEnds.get(key) ?? []), { at, position, reason: event.data.reason }]);
        break;
      }
      case 'FundingGranted': {
        const record: AdmittedLearner = admitted.get(learner) ?? { admissions: new Map(), fundings: [] };
        record.fundings.push({ at, position, funder: event.data.funder });
        admitted.set(learner, record);
        if (!inP(at)) break;
        const funder = event.data.funder;
        if (funder === 'public-aid' || funder === 'pse') segments.get('paid-funded')?.add(learner);
        if (funder === 'apprenticeship' || funder === 'employer' || funder === 'employer-abroad') segments.get('employer-funded')?.add(learner);
        if (funder === 'apprenticeship' || funder === 'employer' || funder === 'employer-abroad' || funder === 'pse') {
          partners.get(funder)?.add(learner);
          if (event.data.employerId !== undefined) employers.add(event.data.employerId);
        }
        break;
      }
      case 'SignupSurveyAnswered': {
        if (inP(at)) {
          surveys += 1;
          motivations.set(event.data.motivation, (motivations.get(event.data.motivation) ?? 0) + 1);
        }
        const known = latestSurvey.get(learner);
        if (at < end && (!known || at > known.at || (at === known.at && position > known.position))) {
          const gender = event.data.gender;
          latestSurvey.set(learner, { at, position, country: event.data.country, motivation: event.data.motivation, ...(gender !== undefined ? { gender } : {}) });
        }
        break;
      }
      case 'CourseStarted':
      case 'CertificateEarned':
      case 'LearnerActive': {
        // A month of P counts whole (KPIS.md "active in month M"), even when P ends inside it.
        const m = monthIndex(at);
        if (m >= 0) activeMonths.set(learner, (activeMonths.get(learner) ?? 0) | (1 << m));
        if (!inP(at)) break;
        const key = event.type === 'CourseStarted' ? 'courses-started' : event.type === 'CertificateEarned' ? 'certificates' : undefined;
        if (key) {
          const id = `monthly.${key}.${new Date(at).toISOString().slice(0, 7)}`;
          monthly.set(id, (monthly.get(id) ?? 0) + 1);
        }
        if (event.type === 'CourseStarted') {
          courses += 1;
          themes.set(event.data.theme, (themes.get(event.data.theme) ?? 0) + 1);
        }
        if (event.type === 'CertificateEarned') certificates += 1;
        break;
      }
      default:
        break;
    }
  }

  const figures: Figures = {};
  figures['impact.positive-progressions'] = declarants.size;
  for (const [outcome, learners] of byOutcome) figures[`impact.by-outcome.${outcome}`] = learners.size;

  const all = new Map<Status, number | null>(STATUSES.map((s) => [s, null]));
  const holders = new Set<string>();
  for (const [segment, learners] of segments) {
    let total = 0;
    for (const learner of learners) {
      if ((assessed.get(learner)?.size ?? 0) > 0) total += 1;
      if ((held.get(learner)?.size ?? 0) > 0) holders.add(learner);
    }
    figures[`populations.${segment}.total`] = total;
    figures[`populations.${segment}.members`] = learners.size;
    figures[`populations.${segment}.assessed-share`] = learners.size === 0 ? null : total / learners.size;
    for (const status of STATUSES) {
      const collected = [...learners].some((l) => assessed.get(l)?.has(status));
      const count = [...learners].filter((l) => held.get(l)?.has(status)).length;
      figures[`populations.${segment}.${status}`] = collected ? count : null;
      if (collected) all.set(status, (all.get(status) ?? 0) + count);
    }
  }
  for (const [status, value] of all) figures[`populations.all.${status}`] = value;
  figures['populations.net-distinct'] = holders.size;

  months.forEach((monthStart, i) => {
    const t = Date.UTC(new Date(monthStart).getUTCFullYear(), new Date(monthStart).getUTCMonth() + 1, 1);
    const key = new Date(monthStart).toISOString().slice(0, 7);
    let inTraining = 0;
    let thirdParty = 0;
    let program = 0;
    for (const record of admitted.values()) {
      if (![...record.admissions.values()].some((a) => a.at < t && !(a.ended < t))) continue;
      inTraining += 1;
      let latest: { at: number; position: number; funder: Funder } | undefined;
      for (const f of record.fundings) {
        if (f.at < t && (!latest || f.at > latest.at || (f.at === latest.at && f.position > latest.position))) latest = f;
      }
      if (latest && THIRD_PARTY.includes(latest.funder)) thirdParty += 1;
      else if (latest?.funder === 'employment-program') program += 1;
    }
    figures[`funding.${key}.in-training`] = inTraining;
    figures[`funding.${key}.third-party`] = thirdParty;
    figures[`funding.${key}.employment-program`] = program;
    figures[`funding.${key}.self`] = inTraining - thirdParty - program;
    figures[`funding.${key}.funded-share`] = inTraining === 0 ? null : (thirdParty + program) / inTraining;
    let active = 0;
    for (const bits of activeMonths.values()) if ((bits >> i) & 1) active += 1;
    figures[`key.active-learners.${key}`] = active;
  });

  const union = new Set<string>();
  for (const f of PARTNER_FUNDERS) {
    figures[`partnerships.${f}`] = partners.get(f)?.size ?? 0;
    partners.get(f)?.forEach((l) => union.add(l));
  }
  figures['partnerships.total'] = union.size;
  figures['partnerships.partner-employers'] = employers.size;

  figures['key.certificates'] = certificates;
  figures['key.courses-started'] = courses;
  figures['key.courses-started.monthly-avg'] = courses / months.length;
  for (const theme of THEMES) figures[`key.courses-started.${theme}`] = themes.get(theme) ?? 0;
  const activeIn = (m: number) => figures[`key.active-learners.${new Date(m).toISOString().slice(0, 7)}`] ?? 0;
  figures['key.active-learners.monthly-avg'] = months.reduce((a, m) => a + activeIn(m), 0) / months.length;
  let gendered = 0;
  let women = 0;
  for (const learner of activeMonths.keys()) {
    if ((firstAdmission.get(learner) ?? Infinity) < end) continue;
    const gender = latestSurvey.get(learner)?.gender;
    if (gender === 'female' || gender === 'male' || gender === 'non-binary') {
      gendered += 1;
      if (gender === 'female') women += 1;
    }
  }
  figures['key.women-share.free-users'] = gendered === 0 ? null : women / gendered;
  const freeUsers = [...activeMonths.keys()].filter((l) => !((firstAdmission.get(l) ?? Infinity) < end));
  Object.assign(figures, freeUserFigures(freeUsers, assessed, held, latestSurvey, declarants));
  Object.assign(figures, mentorFigures(mentorsRegistered, sessions, activeMentors, mentorAssessed, mentorHeld, mentoredLearners, held));
  Object.assign(figures, cohortFigures(cohort, pathEnds, declarationsOf, knownAtMs));
  figures['key.women-share.free-users.women'] = women;
  figures['key.women-share.free-users.gendered'] = gendered;

  for (const [key, count] of monthly) figures[key] = count;
  figures['survey.responses'] = surveys;
  for (const motivation of MOTIVATIONS) figures[`survey.motivation.${motivation}`] = motivations.get(motivation) ?? 0;
  for (const audience of [...STATUSES, 'all']) figures[`awareness.recipients.${audience}`] = recipients.get(audience) ?? 0;

  figures['international.admitted-learners'] = admittedInP.size;
  figures['international.admitted-outside-france'] = [...admittedInP].filter((l) => {
    const country = latestAdmissionCountry.get(l)?.country ?? latestSurvey.get(l)?.country;
    return country !== undefined && country !== 'FR';
  }).length;
  figures['international.english-path-learners'] = englishInP.size;
  figures['international.english-path-underemployed'] = [...englishInP].filter((l) => held.get(l)?.has('job-seeker')).length;
  return figures;
}

/** The value of a reference expression: a figure id, or "a / b" of two figure ids. */
export function valueOf(figures: Figures, expression: string): { numerator: number; denominator: number } | undefined {
  const [a, b] = expression.split(' / ');
  if (a === undefined) return undefined;
  if (b === undefined) {
    // The two ratio figures with a published share: funded-share and the women share.
    const funded = /^funding\.(\d{4}-\d{2})\.funded-share$/.exec(a);
    if (funded) {
      const key = funded[1] ?? '';
      return {
        numerator: (figures[`funding.${key}.third-party`] ?? 0) + (figures[`funding.${key}.employment-program`] ?? 0),
        denominator: figures[`funding.${key}.in-training`] ?? 0,
      };
    }
    if (a === 'key.women-share.free-users') return { numerator: figures[`${a}.women`] ?? 0, denominator: figures[`${a}.gendered`] ?? 0 };
    return undefined;
  }
  return { numerator: figures[a] ?? 0, denominator: figures[b] ?? 0 };
}

const countOrNull = (collected: boolean, count: number) => (collected ? count : null);

/** KPIS.md v2 "Free users": active in a month of P, no LearnerAdmitted before P.end. */
function freeUserFigures(
  free: readonly string[],
  assessed: ReadonlyMap<string, ReadonlySet<Status>>,
  held: ReadonlyMap<string, ReadonlySet<Status>>,
  latestSurvey: ReadonlyMap<string, { country: string; motivation: string }>,
  declarants: ReadonlySet<string>,
): Figures {
  const figures: Figures = {};
  figures['free-users.total'] = free.length;
  figures['free-users.assessed'] = free.filter((l) => (assessed.get(l)?.size ?? 0) > 0).length;
  for (const status of STATUSES) {
    figures[`free-users.${status}`] = countOrNull(
      free.some((l) => assessed.get(l)?.has(status)),
      free.filter((l) => held.get(l)?.has(status)).length,
    );
  }
  figures['free-users.disadvantaged'] = free.filter((l) => (held.get(l)?.size ?? 0) > 0).length;
  figures['free-users.outside-france'] = free.filter((l) => {
    const country = latestSurvey.get(l)?.country;
    return country !== undefined && country !== 'FR';
  }).length;
  for (const motivation of MOTIVATIONS) figures[`free-users.motivation.${motivation}`] = free.filter((l) => latestSurvey.get(l)?.motivation === motivation).length;
  figures['impact.free-users'] = free.filter((l) => declarants.has(l)).length;
  return figures;
}

/** KPIS.md v2 "Mentors". */
function mentorFigures(
  registered: number,
  sessions: number,
  active: ReadonlySet<string>,
  assessed: ReadonlyMap<string, ReadonlySet<Status>>,
  held: ReadonlyMap<string, ReadonlySet<Status>>,
  mentored: ReadonlySet<string>,
  learnerHeld: ReadonlyMap<string, ReadonlySet<Status>>,
): Figures {
  const mentors = [...active];
  const figures: Figures = { 'mentors.registered': registered, 'mentors.active': mentors.length };
  for (const status of STATUSES) {
    figures[`mentors.${status}`] = countOrNull(
      mentors.some((m) => assessed.get(m)?.has(status)),
      mentors.filter((m) => held.get(m)?.has(status)).length,
    );
  }
  figures['mentors.disadvantaged'] = mentors.filter((m) => (held.get(m)?.size ?? 0) > 0).length;
  figures['mentoring.sessions'] = sessions;
  figures['mentoring.disadvantaged-learners'] = [...mentored].filter((l) => (learnerHeld.get(l)?.size ?? 0) > 0).length;
  return figures;
}

/** Calendar months added in UTC, time of day kept; a missing day is the month's last (KPIS.md v2). */
function plusMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const daysInTarget = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), daysInTarget)) + (ms - Date.UTC(y, d.getUTCMonth(), d.getUTCDate()));
}

/** KPIS.md v2 "Outcomes by admission cohort": per admission of P; windows of 180 days from graduation, closed at K. */
function cohortFigures(
  cohort: readonly { learner: string; admissionId: string; at: number; plannedMonths: number | undefined }[],
  pathEnds: ReadonlyMap<string, readonly { at: number; position: number; reason: string }[]>,
  declarationsOf: ReadonlyMap<string, readonly { at: number; outcome: string }[]>,
  knownAtMs: number,
): Figures {
  const first = (ends: readonly { at: number; position: number; reason: string }[]) =>
    [...ends].sort((a, b) => a.at - b.at || a.position - b.position)[0];
  let planned = 0;
  let graduated = 0;
  let onTime = 0;
  let within150 = 0;
  let withdrew = 0;
  let closed = 0;
  let declared = 0;
  const byOutcome = new Map<string, number>(OUTCOMES.map((o) => [o, 0]));
  for (const admission of cohort) {
    const ends = pathEnds.get(`${admission.learner}\u0000${admission.admissionId}`) ?? [];
    if (admission.plannedMonths !== undefined) planned += 1;
    if (first(ends)?.reason === 'withdrew') withdrew += 1;
    const graduation = first(ends.filter((e) => e.reason === 'graduated'));
    if (!graduation) continue;
    graduated += 1;
    const p = admission.plannedMonths;
    if (p !== undefined) {
      if (graduation.at <= plusMonths(admission.at, p)) onTime += 1;
      if (graduation.at <= plusMonths(admission.at, Math.floor((3 * p) / 2)) + (p % 2 === 1 ? 15 * DAY : 0)) within150 += 1;
    }
    const windowEnd = graduation.at + 180 * DAY;
    if (windowEnd > knownAtMs) continue;
    closed += 1;
    const inWindow = (declarationsOf.get(admission.learner) ?? []).filter((d) => d.at >= graduation.at && d.at < windowEnd);
    if (inWindow.length > 0) declared += 1;
    for (const outcome of new Set(inWindow.map((d) => d.outcome))) byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
  }
  const figures: Figures = {
    'outcomes.cohort.admissions': cohort.length,
    'outcomes.cohort.planned': planned,
    'outcomes.cohort.graduated': graduated,
    'outcomes.cohort.graduated-on-time': onTime,
    'outcomes.cohort.graduated-150': within150,
    'outcomes.cohort.withdrew': withdrew,
    'outcomes.cohort.window-closed': closed,
    'outcomes.cohort.declared-180': declared,
    'outcomes.cohort.no-declaration-180': closed - declared,
  };
  for (const [outcome, n] of byOutcome) figures[`outcomes.cohort.declared-180.${outcome}`] = n;
  return figures;
}

/**
 * KPIS.md v2 "Commitments": each commitment whose year Y has its 1 January in P, in its
 * latest version recorded at or before K (log order); its figure recounted for the year Y
 * (and Y - 1 for a growth's baseline) as known at the same K.
 */
function recountCommitments(lines: () => Iterable<RecordedLine>, from: string, to: string, knownAtMs: number, figuresOfP: Figures): Figures {
  const latest = new Map<string, { year: number; figure: string; kind: string; value: number }>();
  for (const { event, recordedAtMs } of lines()) {
    if (recordedAtMs > knownAtMs || event.type !== 'CommitmentSet') continue;
    const { commitmentId, year, measure } = event.data;
    latest.set(commitmentId, { year, figure: measure.figure, kind: measure.kind, value: measure.value });
  }
  const years = new Map<number, Figures>();
  const ofYear = (year: number): Figures => {
    const y = String(year).padStart(4, '0');
    if (from === `${y}-01-01` && to === `${y}-12-31`) return figuresOfP;
    let found = years.get(year);
    if (!found) {
      found = recountMeasured(lines, `${y}-01-01`, `${y}-12-31`, knownAtMs);
      years.set(year, found);
    }
    return found;
  };
  const figures: Figures = {};
  for (const [id, c] of [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const january = `${String(c.year).padStart(4, '0')}-01-01`;
    if (january < from || january > to) continue;
    const value = ofYear(c.year)[c.figure.replace('{year}', String(c.year))] ?? null;
    let baseline: number | null = null;
    let actual = value;
    if (c.kind === 'growth-at-least') {
      baseline = ofYear(c.year - 1)[c.figure.replace('{year}', String(c.year - 1))] ?? null;
      actual = value === null || baseline === null || baseline === 0 ? null : value / baseline - 1;
    }
    figures[`commitments.${id}.target`] = c.value;
    figures[`commitments.${id}.baseline`] = baseline;
    figures[`commitments.${id}.actual`] = actual;
    figures[`commitments.${id}.attained`] = actual === null ? null : actual >= c.value ? 1 : 0;
  }
  return figures;
}
