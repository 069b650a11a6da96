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

/** Counts every figure of KPIS.md for the period [from, to] (UTC days) as known at `knownAtMs`. */
export function recountFigures(lines: () => Iterable<RecordedLine>, from: string, to: string, knownAtMs: number): Figures {
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
  const latestSurvey = new Map<string, { at: number; position: number; gender?: string; country: string }>();
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
    // v1.1's events of no learner (mentors, commitments) are not in the demo yet (issue 11, item 5).
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
      case 'ApprenticeshipContractSigned':
        if (inP(at)) {
          declarants.add(learner);
          byOutcome.get(event.type === 'ApprenticeshipContractSigned' ? 'apprenticeship' : event.data.outcome)?.add(learner);
        }
        break;
      case 'LearnerAdmitted': {
        const record: AdmittedLearner = admitted.get(learner) ?? { admissions: new Map(), fundings: [] };
        record.admissions.set(event.data.admissionId, { at, ended: Infinity });
        admitted.set(learner, record);
        firstAdmission.set(learner, Math.min(firstAdmission.get(learner) ?? Infinity, at));
        if (inP(at)) {
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
          latestSurvey.set(learner, { at, position, country: event.data.country, ...(gender !== undefined ? { gender } : {}) });
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
