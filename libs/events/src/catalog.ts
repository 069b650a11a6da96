/**
 * Event catalog v1 (../shared/domain/EVENTS.md), as plain readonly types.
 *
 * The `type` string is the stored name of an event: it is written into the log and
 * never derived from a class name, so renaming code can never rename history.
 */

export const STATUSES = ['job-seeker', 'low-qualified', 'qpv-resident', 'refugee', 'disability'] as const;
export type Status = (typeof STATUSES)[number];

export const THEMES = [
  'web-development',
  'systems-networks',
  'data',
  'marketing-communication',
  'soft-skills',
  'project-management',
  'design',
  'other',
  'hr-management',
  'business',
  'productivity',
  'pedagogy',
  'career-integration',
] as const;
export type Theme = (typeof THEMES)[number];

export const MOTIVATIONS = [
  'first-job',
  'career-development',
  'career-change',
  'learning-for-fun',
  'training-colleagues',
  'other',
] as const;
export type Motivation = (typeof MOTIVATIONS)[number];

export const GENDERS = ['female', 'male', 'non-binary', 'undisclosed'] as const;
export type Gender = (typeof GENDERS)[number];

export const PATH_LANGUAGES = ['fr', 'en'] as const;
export type PathLanguage = (typeof PATH_LANGUAGES)[number];

export const TRACKS = ['paid-path', 'employment-program', 'apprenticeship'] as const;
export type Track = (typeof TRACKS)[number];

export const FUNDERS = [
  'self',
  'public-aid',
  'pse',
  'employment-program',
  'apprenticeship',
  'employer',
  'employer-abroad',
] as const;
export type Funder = (typeof FUNDERS)[number];
/** Funders that name an employer: `employerId` is required for them and forbidden for the others. */
export const EMPLOYER_FUNDERS: readonly Funder[] = ['pse', 'apprenticeship', 'employer', 'employer-abroad'];

export const OUTCOMES = ['new-job', 'promotion', 'business-created', 'apprenticeship'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const EVIDENCE_KINDS = ['survey-response', 'signed-contract'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const PATH_END_REASONS = ['graduated', 'withdrew'] as const;
export type PathEndReason = (typeof PATH_END_REASONS)[number];

export const AUDIENCES = [...STATUSES, 'all'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const CHANNELS = ['email', 'ads', 'partner'] as const;
export type Channel = (typeof CHANNELS)[number];

/** ISO 3166-1 alpha-2, upper case. */
export type Country = string;

export interface StatusAssessment {
  readonly assessed: readonly Status[];
  readonly held: readonly Status[];
}

interface LearnerEventOf<T extends string, D> {
  readonly eventId: string;
  readonly type: T;
  readonly learnerId: string;
  /** Valid time, RFC 3339 with offset, kept exactly as sent. */
  readonly occurredAt: string;
  readonly data: D;
}

interface OtherEventOf<T extends string, D> {
  readonly eventId: string;
  readonly type: T;
  readonly occurredAt: string;
  readonly data: D;
}

export type SignupSurveyAnswered = LearnerEventOf<
  'SignupSurveyAnswered',
  {
    readonly surveyResponseId: string;
    readonly country: Country;
    readonly motivation: Motivation;
    readonly gender?: Gender;
    readonly statusAssessment?: StatusAssessment;
  }
>;

export type LearnerAdmitted = LearnerEventOf<
  'LearnerAdmitted',
  {
    readonly admissionId: string;
    readonly pathId: string;
    readonly pathLanguage: PathLanguage;
    readonly track: Track;
    readonly country?: Country;
    readonly statusAssessment?: StatusAssessment;
    /** v1.1: the path's planned length in months, 1-36 (the outcomes cohort figures). */
    readonly plannedMonths?: number;
  }
>;

export type FundingGranted = LearnerEventOf<
  'FundingGranted',
  {
    readonly fundingId: string;
    readonly funder: Funder;
    readonly employerId?: string;
    readonly statusAssessment?: StatusAssessment;
  }
>;

export type ApprenticeshipContractSigned = LearnerEventOf<
  'ApprenticeshipContractSigned',
  { readonly contractId: string; readonly employerId: string }
>;

export type ProfessionalOutcomeReported = LearnerEventOf<
  'ProfessionalOutcomeReported',
  {
    readonly outcome: Outcome;
    readonly evidence: { readonly kind: EvidenceKind; readonly reference: string };
  }
>;

export type PathEnded = LearnerEventOf<'PathEnded', { readonly admissionId: string; readonly reason: PathEndReason }>;

export type CourseStarted = LearnerEventOf<'CourseStarted', { readonly courseId: string; readonly theme: Theme }>;

export type CertificateEarned = LearnerEventOf<
  'CertificateEarned',
  { readonly certificateId: string; readonly courseId: string }
>;

export type LearnerActive = LearnerEventOf<'LearnerActive', Record<string, never>>;

export type EventRetracted = LearnerEventOf<
  'EventRetracted',
  { readonly retractedEventId: string; readonly reason: string }
>;

export type OutreachCampaignSent = OtherEventOf<
  'OutreachCampaignSent',
  { readonly campaignId: string; readonly audience: Audience; readonly channel: Channel; readonly recipients: number }
>;

/** v1.1: a mentoring session; its mentor's `MentorRegistered` comes earlier (checked against the log). */
export type MentoringSessionHeld = LearnerEventOf<'MentoringSessionHeld', { readonly sessionId: string; readonly mentorId: string }>;

/** v1.1: a mentor, registered once (stream `mentor-<mentorId>`). */
export type MentorRegistered = OtherEventOf<
  'MentorRegistered',
  { readonly mentorId: string; readonly country: Country; readonly statusAssessment?: StatusAssessment }
>;

/** v1.1: a mentor's statuses, which accumulate (an update never removes one). */
export type MentorProfileUpdated = OtherEventOf<'MentorProfileUpdated', { readonly mentorId: string; readonly statusAssessment: StatusAssessment }>;

export const LEVERS = ['populations', 'awareness', 'funding', 'partnerships', 'international'] as const;
export type Lever = (typeof LEVERS)[number];

export const MEASURE_KINDS = ['at-least', 'growth-at-least'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/**
 * v1.1: a commitment of the committee for a year (stream `commitment-<commitmentId>`). A later
 * one with the same id replaces it from its `recordedAt` on; `measure.figure` names a figure
 * of KPIS.md, `{year}` standing for the four digits of `year`.
 */
export type CommitmentSet = OtherEventOf<
  'CommitmentSet',
  {
    readonly commitmentId: string;
    readonly year: number;
    readonly lever: Lever;
    readonly label: { readonly fr: string; readonly en: string };
    readonly measure: { readonly figure: string; readonly kind: MeasureKind; readonly value: number };
  }
>;

export type LearnerEvent =
  | SignupSurveyAnswered
  | LearnerAdmitted
  | FundingGranted
  | ApprenticeshipContractSigned
  | ProfessionalOutcomeReported
  | PathEnded
  | CourseStarted
  | CertificateEarned
  | LearnerActive
  | EventRetracted
  | MentoringSessionHeld;

/** Events of no learner: each in a stream named after its own id. */
export type OtherEvent = OutreachCampaignSent | MentorRegistered | MentorProfileUpdated | CommitmentSet;

/** One event of the wire format: what a client sends, before the ledger records it. */
export type LedgerEvent = LearnerEvent | OtherEvent;
export type EventType = LedgerEvent['type'];

/**
 * Written by the ledger itself, never accepted from a client (it is not in EVENT_TYPES): a
 * report published with the seal of the log at that moment, the RFC 6962 Merkle root of
 * its first `treeSize` events. An audit checks that the log still extends every seal.
 */
export type ReportPublished = OtherEventOf<
  'ReportPublished',
  {
    readonly publicationId: string;
    readonly report: {
      readonly period: { readonly from: string; readonly to: string };
      readonly knownAt: string;
      readonly logPosition: number;
      readonly figures: Readonly<Record<string, number | null>>;
    };
    readonly seal: { readonly treeSize: number; readonly merkleRoot: string };
  }
>;

/**
 * A publication id: 1-200 of `[A-Za-z0-9._:+-]`, starting with a letter or digit. Checked
 * wherever one is given (API, CLI) and again by `publishReport`: it names a stream.
 */
export const PUBLICATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}$/;
export const PUBLICATION_ID_RULE = 'publicationId must be 1 to 200 letters, digits and . _ : + -, starting with a letter or digit';

/**
 * Written by the ledger itself (`EventStore.eraseLearner`), never accepted from a client: a
 * learner's personal data was erased, in the same transaction (docs/erasure.md). It holds no
 * personal data but the pseudonymous learner id it is about: `occurredAt` is when the erasure
 * was decided, `reason` why (for instance "GDPR art. 17 request 2021-114"). Its stream is
 * `erasure-<learnerId>`, so that the erased learner's stream is left with erased records only,
 * and any later event of that learner is refused (`ErasedLearnerError`).
 */
export type LearnerErased = LearnerEventOf<'LearnerErased', { readonly reason: string }>;

/** Any event the log holds: the clients' and the ledger's own. */
export type LogEvent = LedgerEvent | ReportPublished | LearnerErased;

export const LEARNER_EVENT_TYPES = [
  'SignupSurveyAnswered',
  'LearnerAdmitted',
  'FundingGranted',
  'ApprenticeshipContractSigned',
  'ProfessionalOutcomeReported',
  'PathEnded',
  'CourseStarted',
  'CertificateEarned',
  'LearnerActive',
  'EventRetracted',
  'MentoringSessionHeld',
] as const satisfies readonly LearnerEvent['type'][];

export const OTHER_EVENT_TYPES = ['OutreachCampaignSent', 'MentorRegistered', 'MentorProfileUpdated', 'CommitmentSet'] as const satisfies readonly OtherEvent['type'][];

export const EVENT_TYPES = [...LEARNER_EVENT_TYPES, ...OTHER_EVENT_TYPES] as const satisfies readonly EventType[];

export function isLearnerEvent(event: LedgerEvent): event is LearnerEvent {
  return !(OTHER_EVENT_TYPES as readonly string[]).includes(event.type);
}

/**
 * The longest stream id a valid event makes (stream-id.spec.ts holds it): `learner-` + 64
 * ASCII = 72; `campaign-` + 128 code points = 137 code points, at most 9 + 4 × 128 = 521 UTF-8
 * bytes; `publication-` + 200 ASCII = 212. Every store takes it with room to spare: SQLite
 * has no limit below 1 GB, PostgreSQL's btree index entries about 2700 bytes, and the KurrentDB
 * adapter keeps it in event metadata (one log stream), not as a stream name.
 */
export const MAX_STREAM_ID = { codePoints: 212, utf8Bytes: 521 } as const;

/**
 * The stream an event belongs to (EVENTS.md): `learner-<learnerId>`, `campaign-<campaignId>`,
 * or `publication-<publicationId>`.
 */
export function streamIdOf(event: LogEvent): string {
  switch (event.type) {
    case 'OutreachCampaignSent':
      return `campaign-${event.data.campaignId}`;
    case 'MentorRegistered':
    case 'MentorProfileUpdated':
      return mentorStreamOf(event.data.mentorId);
    case 'CommitmentSet':
      return `commitment-${event.data.commitmentId}`;
    case 'ReportPublished':
      return `publication-${event.data.publicationId}`;
    case 'LearnerErased':
      return erasureStreamOf(event.learnerId);
    default:
      return `learner-${event.learnerId}`;
  }
}

/** A mentor's stream (v1.1): their registration and profile updates. */
export function mentorStreamOf(mentorId: string): string {
  return `mentor-${mentorId}`;
}

/** The stream of a learner's `LearnerErased` event: it exists exactly when the learner was erased. */
export function erasureStreamOf(learnerId: string): string {
  return `erasure-${learnerId}`;
}

/**
 * An event as the ledger holds it: the wire event plus what the ledger assigned on append.
 * `position` is global, gapless and starts at 1; `streamRevision` starts at 0;
 * `recordedAt` is transaction time (UTC, milliseconds), never decreasing with position.
 */
export type RecordedEvent<E extends LedgerEvent = LedgerEvent> = E & {
  readonly position: number;
  readonly streamId: string;
  readonly streamRevision: number;
  readonly recordedAt: string;
  /** RFC 6962 leaf hash of the canonical record (hex). */
  readonly hash: string;
};
