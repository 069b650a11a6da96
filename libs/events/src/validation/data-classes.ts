import type { EventType, LedgerEvent } from '../catalog';
import { ApprenticeshipContractSignedData } from './apprenticeship-contract-signed.data';
import { CertificateEarnedData } from './certificate-earned.data';
import { CommitmentSetData } from './commitment-set.data';
import { MentoringSessionHeldData, MentorProfileUpdatedData, MentorRegisteredData } from './mentor.data';
import { CourseStartedData } from './course-started.data';
import { EventRetractedData } from './event-retracted.data';
import { FundingGrantedData } from './funding-granted.data';
import { LearnerActiveData } from './learner-active.data';
import { LearnerAdmittedData } from './learner-admitted.data';
import { OutreachCampaignSentData } from './outreach-campaign-sent.data';
import { PathEndedData } from './path-ended.data';
import { ProfessionalOutcomeReportedData } from './professional-outcome-reported.data';
import { SignupSurveyAnsweredData } from './signup-survey-answered.data';

type DataOf<T extends EventType> = Extract<LedgerEvent, { readonly type: T }>['data'];

/** The DTO class of each type's `data`. */
export const DATA_CLASSES = {
  SignupSurveyAnswered: SignupSurveyAnsweredData,
  LearnerAdmitted: LearnerAdmittedData,
  FundingGranted: FundingGrantedData,
  ApprenticeshipContractSigned: ApprenticeshipContractSignedData,
  ProfessionalOutcomeReported: ProfessionalOutcomeReportedData,
  PathEnded: PathEndedData,
  CourseStarted: CourseStartedData,
  CertificateEarned: CertificateEarnedData,
  LearnerActive: LearnerActiveData,
  EventRetracted: EventRetractedData,
  OutreachCampaignSent: OutreachCampaignSentData,
  MentoringSessionHeld: MentoringSessionHeldData,
  MentorRegistered: MentorRegisteredData,
  MentorProfileUpdated: MentorProfileUpdatedData,
  CommitmentSet: CommitmentSetData,
} as const satisfies { readonly [T in EventType]: new () => object };

// Compile-time guard: each DTO declares exactly the catalog's data keys, so the whitelist can
// neither refuse a catalog field nor let an extra one through. (LearnerActive: `{}`, see its class.)
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type MustBeTrue<T extends true> = T;
export type DataClassesMatchCatalog = MustBeTrue<
  {
    [T in Exclude<EventType, 'LearnerActive'>]: SameKeys<InstanceType<(typeof DATA_CLASSES)[T]>, DataOf<T>>;
  }[Exclude<EventType, 'LearnerActive'>]
>;
