import type {
  CourseStarted,
  FundingGranted,
  EventRetracted,
  LearnerActive,
  LearnerAdmitted,
  OutreachCampaignSent,
  PathEnded,
  SignupSurveyAnswered,
} from '@ledger/events';
import type { CertificateEarned, CommitmentSet, LedgerEvent, Lever, MentoringSessionHeld, MentorProfileUpdated, MentorRegistered, ProfessionalOutcomeReported } from '@ledger/events';
import { EMPLOYER_FUNDERS } from '@ledger/events';

/** A deterministic UUID (v4 layout) from a number: tests name events by number, not by chance. */
export function uuidOf(n: number, salt = 0): string {
  const hex = (value: number, width: number) => (value >>> 0).toString(16).padStart(width, '0');
  return `${hex(n, 8)}-${hex(salt, 4)}-4000-8000-${hex(Math.imul(n, 2654435761), 12)}`;
}

export function learnerActive(n: number, learnerId = `L${n}`, occurredAt = '2020-03-01T10:00:00+01:00'): LearnerActive {
  return { eventId: uuidOf(n), type: 'LearnerActive', learnerId, occurredAt, data: {} };
}

export function courseStarted(n: number, learnerId: string, occurredAt = '2020-03-01T10:00:00Z'): CourseStarted {
  return { eventId: uuidOf(n), type: 'CourseStarted', learnerId, occurredAt, data: { courseId: `C${n}`, theme: 'data' } };
}

export function admitted(n: number, learnerId: string, admissionId = `A${n}`, occurredAt = '2020-01-15T09:00:00+01:00'): LearnerAdmitted {
  return {
    eventId: uuidOf(n),
    type: 'LearnerAdmitted',
    learnerId,
    occurredAt,
    data: { admissionId, pathId: 'P-web', pathLanguage: 'fr', track: 'employment-program' },
  };
}

export function pathEnded(n: number, learnerId: string, admissionId: string, occurredAt = '2020-06-30T18:00:00+02:00'): PathEnded {
  return { eventId: uuidOf(n), type: 'PathEnded', learnerId, occurredAt, data: { admissionId, reason: 'graduated' } };
}

export function retracted(n: number, learnerId: string, retractedEventId: string, occurredAt = '2020-07-01T00:00:00Z'): EventRetracted {
  return { eventId: uuidOf(n), type: 'EventRetracted', learnerId, occurredAt, data: { retractedEventId, reason: 'entered twice' } };
}

export function surveyAnswered(n: number, learnerId: string, occurredAt = '2020-02-01T08:00:00Z'): SignupSurveyAnswered {
  return {
    eventId: uuidOf(n),
    type: 'SignupSurveyAnswered',
    learnerId,
    occurredAt,
    data: {
      surveyResponseId: `S${n}`,
      country: 'FR',
      motivation: 'career-change',
      gender: 'female',
      statusAssessment: { assessed: ['job-seeker', 'disability'], held: ['job-seeker'] },
    },
  };
}

export function campaignSent(n: number, occurredAt = '2020-04-01T12:00:00Z'): OutreachCampaignSent {
  return {
    eventId: uuidOf(n),
    type: 'OutreachCampaignSent',
    occurredAt,
    data: { campaignId: `K${n}`, audience: 'job-seeker', channel: 'email', recipients: 1200 },
  };
}

/** A funding; an employer funder gets `employerId` (default E1), the others none, as EVENTS.md requires. */
export function fundingGranted(
  n: number,
  learnerId: string,
  funder: FundingGranted['data']['funder'],
  options: { occurredAt?: string; employerId?: string } = {},
): FundingGranted {
  const data = EMPLOYER_FUNDERS.includes(funder)
    ? { fundingId: `F${n}`, funder, employerId: options.employerId ?? 'E1' }
    : { fundingId: `F${n}`, funder };
  return { eventId: uuidOf(n), type: 'FundingGranted', learnerId, occurredAt: options.occurredAt ?? '2020-05-01T00:00:00Z', data };
}

type SurveyData = SignupSurveyAnswered['data'];
type AdmissionData = LearnerAdmitted['data'];
type Assessment = NonNullable<SurveyData['statusAssessment']>;

/** A status assessment: `held` must be within `assessed` (EVENTS.md). */
export function assessment(assessed: Assessment['assessed'], held: Assessment['held'] = []): Assessment {
  return { assessed, held };
}

/** A signup survey giving only the fields asked for (country FR unless told); no gender nor assessment by default. */
export function signupSurvey(
  n: number,
  learnerId: string,
  occurredAt: string,
  fields: { country?: string; gender?: SurveyData['gender']; statusAssessment?: Assessment } = {},
): SignupSurveyAnswered {
  const data: SurveyData = { surveyResponseId: `S${n}`, country: fields.country ?? 'FR', motivation: 'first-job' };
  return {
    eventId: uuidOf(n),
    type: 'SignupSurveyAnswered',
    learnerId,
    occurredAt,
    data: {
      ...data,
      ...(fields.gender !== undefined && { gender: fields.gender }),
      ...(fields.statusAssessment !== undefined && { statusAssessment: fields.statusAssessment }),
    },
  };
}

/** An admission (admission id `A<n>`, French paid path unless told), with a country and an assessment only when given. */
export function admission(
  n: number,
  learnerId: string,
  occurredAt: string,
  fields: { track?: AdmissionData['track']; pathLanguage?: AdmissionData['pathLanguage']; country?: string; statusAssessment?: Assessment } = {},
): LearnerAdmitted {
  return {
    eventId: uuidOf(n),
    type: 'LearnerAdmitted',
    learnerId,
    occurredAt,
    data: {
      admissionId: `A${n}`,
      pathId: 'P-web',
      pathLanguage: fields.pathLanguage ?? 'fr',
      track: fields.track ?? 'paid-path',
      ...(fields.country !== undefined && { country: fields.country }),
      ...(fields.statusAssessment !== undefined && { statusAssessment: fields.statusAssessment }),
    },
  };
}

/** `fundingGranted` with a status assessment. */
export function assessedFunding(
  n: number,
  learnerId: string,
  funder: FundingGranted['data']['funder'],
  occurredAt: string,
  statusAssessment: Assessment,
): FundingGranted {
  const event = fundingGranted(n, learnerId, funder, { occurredAt });
  return { ...event, data: { ...event.data, statusAssessment } };
}

export function certificateEarned(n: number, learnerId: string, occurredAt: string): CertificateEarned {
  return { eventId: uuidOf(n), type: 'CertificateEarned', learnerId, occurredAt, data: { certificateId: `X${n}`, courseId: `C${n}` } };
}

/** v1.1: a mentor's registration (stream `mentor-<mentorId>`). */
export function mentorRegistered(n: number, mentorId: string, occurredAt = '2020-01-10T09:00:00Z', statusAssessment?: Assessment): MentorRegistered {
  return { eventId: uuidOf(n), type: 'MentorRegistered', occurredAt, data: { mentorId, country: 'FR', ...(statusAssessment ? { statusAssessment } : {}) } };
}

export function mentorProfileUpdated(n: number, mentorId: string, statusAssessment: Assessment, occurredAt = '2020-02-10T09:00:00Z'): MentorProfileUpdated {
  return { eventId: uuidOf(n), type: 'MentorProfileUpdated', occurredAt, data: { mentorId, statusAssessment } };
}

export function sessionHeld(n: number, learnerId: string, mentorId: string, occurredAt = '2020-03-10T14:00:00Z'): MentoringSessionHeld {
  return { eventId: uuidOf(n), type: 'MentoringSessionHeld', learnerId, occurredAt, data: { sessionId: `M${n}`, mentorId } };
}

/** v1.1: a commitment for `year` on `figure` (`{year}` allowed). */
export function commitmentSet(
  n: number,
  commitmentId: string,
  measure: CommitmentSet['data']['measure'],
  year = 2020,
  occurredAt = '2020-01-05T10:00:00Z',
): CommitmentSet {
  return {
    eventId: uuidOf(n),
    type: 'CommitmentSet',
    occurredAt,
    data: { commitmentId, year, lever: 'funding', label: { fr: `Engagement ${commitmentId}`, en: `Commitment ${commitmentId}` }, measure },
  };
}

/** A commitment of the committee on a lever, with its own labels. */
export function commitmentOn(n: number, commitmentId: string, lever: Lever, label: CommitmentSet['data']['label'], measure: CommitmentSet['data']['measure']): CommitmentSet {
  const event = commitmentSet(n, commitmentId, measure);
  return { ...event, data: { ...event.data, lever, label } };
}

/** A declared outcome (with its survey evidence): the only thing, with a signed contract, that is ever impact. */
export function outcomeReported(n: number, learnerId: string, occurredAt: string, outcome: ProfessionalOutcomeReported['data']['outcome'] = 'new-job'): ProfessionalOutcomeReported {
  return { eventId: uuidOf(n), type: 'ProfessionalOutcomeReported', learnerId, occurredAt, data: { outcome, evidence: { kind: 'survey-response', reference: `SR${n}` } } };
}

/** v1.1: an admission with its planned length in months. */
export function plannedAdmission(n: number, learnerId: string, occurredAt: string, plannedMonths: number, admissionId = `A${n}`): LearnerAdmitted {
  const event = admitted(n, learnerId, admissionId, occurredAt);
  return { ...event, data: { ...event.data, plannedMonths } };
}

export function pathEndedFor(n: number, learnerId: string, admissionId: string, occurredAt: string, reason: PathEnded['data']['reason'] = 'graduated'): PathEnded {
  return { eventId: uuidOf(n), type: 'PathEnded', learnerId, occurredAt, data: { admissionId, reason } };
}

/**
 * The 2020 activity behind the KPIS.md version 2 report tests (events 3 to 13): a funded
 * admission, two cohort paths (one graduate who declared an outcome), a mentor of the five
 * groups and a session, a free user outside France. The tests put their commitments (1, 2) before.
 */
export function missionScope2020Activity(): LedgerEvent[] {
  return [
    admitted(3, 'a', 'A3', '2020-03-01T00:00:00Z'),
    fundingGranted(4, 'a', 'employment-program', { occurredAt: '2020-03-02T00:00:00Z' }),
    plannedAdmission(5, 'g', '2020-01-10T09:00:00Z', 6),
    pathEndedFor(6, 'g', 'A5', '2020-07-01T12:00:00Z'),
    plannedAdmission(7, 'h', '2020-01-10T09:00:00Z', 6),
    pathEndedFor(8, 'h', 'A7', '2020-07-01T12:00:00Z'),
    outcomeReported(9, 'g', '2020-08-01T00:00:00Z'),
    mentorRegistered(10, 'm1', '2020-01-05T00:00:00Z', assessment(['refugee'], ['refugee'])),
    sessionHeld(11, 'f', 'm1', '2020-05-01T00:00:00Z'),
    signupSurvey(12, 'f', '2020-02-01T00:00:00Z', { country: 'SN', statusAssessment: assessment(['job-seeker'], ['job-seeker']) }),
    learnerActive(13, 'f', '2020-02-02T10:00:00Z'),
  ];
}
