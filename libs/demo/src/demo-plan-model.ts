/**
 * The demo plan's records: what each planned learner is given (paths, fundings, contract,
 * survey, declarations) while the plan is drawn, and the plan handed to the generator.
 */
import type { Gender, LedgerEvent, Motivation, Outcome, PathEndReason, PathLanguage, StatusAssessment, Track } from '@ledger/events';
import type { CohortDesign } from './demo-calibration';
import type { Zone } from './demo-time';

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

// ---------------------------------------------------------------------------------------
// Plan records, completed phase by phase (hence the few mutable fields)

export interface Spell {
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
  /** v1.1: the path's planned length in months (none for the 2018 carry-over, migrated without it). */
  plannedMonths?: number;
}

export interface Funding {
  readonly ms: number;
  readonly funder: 'self' | 'public-aid' | 'pse' | 'employment-program' | 'apprenticeship' | 'employer-abroad';
  readonly zone: Zone | 'utc';
  employerId?: string;
  assessment?: StatusAssessment;
  readonly lagDays: number;
}

export interface Contract {
  readonly ms: number;
  readonly contractId: string;
  employerId: string;
}

export interface Declaration {
  readonly ms: number;
  readonly outcome: Outcome;
  readonly evidence: { readonly kind: 'survey-response' | 'signed-contract'; readonly reference: string };
  readonly recordDay: number;
  retraction?: { readonly day: number; readonly reason: string };
}

export interface Survey {
  readonly ms: number;
  readonly motivation: Motivation;
  gender?: Gender;
  assessment?: StatusAssessment;
}

export interface Learner {
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
