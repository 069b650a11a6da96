/** The demo plan's fixed choices: paths, countries, seasonality, and the mixes of survey answers and outcomes. */
import type { Gender } from '@ledger/events';
import type { CohortKind } from './demo-calibration';
import { COUNTRY_WEIGHTS } from './demo-time';
import { cumulative } from './prng';

// ---------------------------------------------------------------------------------------
// Paths

export const FR_PATHS = [
  'developpeur-web',
  'developpeur-d-application-python',
  'data-analyst',
  'chef-de-projet-digital',
  'designer-ux-ui',
  'technicien-informatique',
  'administrateur-infrastructure-et-cloud',
  'expert-en-strategie-marketing-et-communication',
  'developpeur-front-end',
  'developpeur-d-application-java',
  'gestionnaire-de-paie',
  'assistant-ressources-humaines',
  'data-scientist',
  'product-manager',
];
export const FR_PATH_WEIGHTS = cumulative([22, 10, 12, 9, 8, 7, 6, 6, 6, 4, 3, 3, 2, 2]);
/** Employment programs add the digital-literacy path (Passeport numerique) to the usual ones. */
export const PROGRAM_PATHS = [...FR_PATHS, 'passeport-numerique'];
export const PROGRAM_PATH_WEIGHTS = cumulative([22, 10, 12, 9, 8, 9, 6, 6, 6, 4, 3, 3, 2, 2, 14]);
export const EN_PATHS = [
  'web-developer',
  'data-analyst-en',
  'business-developer',
  'it-support-technician',
  'project-manager',
  'front-end-developer',
  'python-developer',
];
export const EN_PATH_WEIGHTS = cumulative([25, 20, 10, 15, 12, 10, 8]);

// ---------------------------------------------------------------------------------------
// Countries

export const SELF_COUNTRIES = ['FR', 'BE', 'CH', 'CA', 'MA', 'SN', 'CI', 'CM', 'TN', 'DZ', 'LU', 'RE'];
export const SELF_COUNTRY_WEIGHTS = cumulative([70, 5, 3, 4, 5, 3, 3, 2, 2, 3, 1, 1]);
export const ENGLISH_COUNTRIES = ['IN', 'NG', 'GB', 'US', 'CA', 'KE', 'GH', 'ZA', 'PK', 'PH', 'EG', 'CM', 'RW', 'MU', 'FR'];
export const ENGLISH_COUNTRY_WEIGHTS = cumulative([15, 12, 10, 12, 8, 6, 6, 6, 5, 5, 5, 3, 2, 2, 3]);
export const FRANCE_COUNTRIES = ['FR', 'RE', 'GP', 'MQ'];
export const FRANCE_COUNTRY_WEIGHTS = cumulative([95, 2, 1.5, 1.5]);
export const FREE_COUNTRY_WEIGHTS = cumulative(COUNTRY_WEIGHTS);

// ---------------------------------------------------------------------------------------
// Seasonality

/** Admissions per calendar month (Jan..Dec) by kind: September starts, apprenticeships above all. */
export const ADMISSION_MONTHS: Readonly<Record<CohortKind, readonly number[]>> = {
  apprenticeship: [0.8, 0.5, 0.5, 0.4, 0.4, 0.5, 0.7, 0.6, 3.0, 2.2, 1.0, 0.5],
  'employer-abroad': [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  pse: [1, 1, 1, 1, 1, 1.2, 1.2, 0.8, 1.5, 1.6, 1.6, 1.0],
  'public-aid': [1.2, 1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.5, 1.4, 1.3, 1.3, 0.8],
  'employment-program': [1, 1, 0.6, 0.8, 0.9, 1.0, 0.8, 0.4, 1.6, 1.6, 1.4, 0.6],
  self: [1.4, 1.1, 1.0, 0.9, 0.9, 0.8, 0.7, 0.5, 1.3, 1.2, 1.0, 0.7],
};

// ---------------------------------------------------------------------------------------
// Survey answers and outcomes

export const MOTIVATION_WEIGHTS_PATH = cumulative([20, 20, 45, 5, 3, 7]);
export const MOTIVATION_WEIGHTS_DECLARANT = cumulative([20, 35, 30, 5, 5, 5]);
export const GENDERS_PATH: readonly (Gender | undefined)[] = ['female', 'male', 'non-binary', 'undisclosed', undefined];
export const GENDER_WEIGHTS_PATH = cumulative([30, 62, 1, 4, 3]);
export const GENDER_WEIGHTS_DECLARANT = cumulative([19, 73, 1, 4, 3]);

/** Outcome mixes over new-job, promotion, business-created: graduates mostly find a new job. */
export const NEW_JOB_MOSTLY = cumulative([74, 18, 8]);
export const FREE_MIX = cumulative([50, 40, 10]);
