import type { FigureSource } from '@ledger/projection-kit';
import { figureSource } from '@ledger/projection-kit';
import { awarenessCatalogue, awarenessFigures, awarenessProjection, explainAwareness } from './awareness/awareness.projection';
import {
  coursesAndCertificatesCatalogue,
  coursesAndCertificatesFigures,
  coursesAndCertificatesProjection,
  explainCoursesAndCertificates,
} from './courses-and-certificates/courses-and-certificates.projection';
import { explainFunding, fundingCatalogue, fundingFigures, fundingProjection } from './funding/funding.projection';
import { explainImpact, impactCatalogue, impactFigures, impactProjection } from './impact/impact.projection';
import { explainLearnerActivity, learnerActivityCatalogue, learnerActivityFigures, learnerActivityProjection } from './learner-activity/learner-activity.projection';
import { explainInternational, internationalCatalogue, internationalFigures } from './learner-profiles/international.figures';
import { learnerProfilesProjection } from './learner-profiles/learner-profiles.projection';
import { explainPopulations, populationsCatalogue, populationsFigures } from './learner-profiles/populations.figures';
import { explainPartnerships, partnershipsCatalogue, partnershipsFigures, partnershipsProjection } from './partnerships/partnerships.projection';
import { explainSurvey, surveyCatalogue, surveyFigures, surveyProjection } from './survey/survey.projection';
import { commitmentsSource } from './commitments/commitments.projection';
import { dataCoverageCatalogue, dataCoverageFigures, explainDataCoverage } from './data-coverage/data-coverage.figures';
import { explainFreeUsers, freeUsersCatalogue, freeUsersFigures } from './free-users/free-users.figures';
import { explainMentors, mentorsCatalogue, mentorsFigures, mentorsProjection } from './mentors/mentors.projection';
import { explainOutcomes, outcomesCatalogue, outcomesFigures, outcomesProjection } from './outcomes/outcomes.projection';

/**
 * The figure families of KPIS.md version 1, in its order: the projection that answers each,
 * its figures, their provenance and their catalogue. Adding a KPI is adding its folder and
 * one line here: the report (json, table, csv), explain, the API and the dashboard follow.
 * (The demo printed only these until its data set was calibrated for version 2; it prints every family now.)
 */
export const VERSION_1_SOURCES: readonly FigureSource[] = [
  figureSource(learnerProfilesProjection, { figures: populationsFigures, explain: explainPopulations, catalogue: populationsCatalogue }),
  figureSource(impactProjection, { figures: impactFigures, explain: explainImpact, catalogue: impactCatalogue }),
  figureSource(fundingProjection, { figures: fundingFigures, explain: explainFunding, catalogue: fundingCatalogue }),
  figureSource(partnershipsProjection, { figures: partnershipsFigures, explain: explainPartnerships, catalogue: partnershipsCatalogue }),
  figureSource(coursesAndCertificatesProjection, { figures: coursesAndCertificatesFigures, explain: explainCoursesAndCertificates, catalogue: coursesAndCertificatesCatalogue }),
  figureSource(learnerActivityProjection, { figures: learnerActivityFigures, explain: explainLearnerActivity, catalogue: learnerActivityCatalogue }),
  figureSource(surveyProjection, { figures: surveyFigures, explain: explainSurvey, catalogue: surveyCatalogue }),
  figureSource(awarenessProjection, { figures: awarenessFigures, explain: explainAwareness, catalogue: awarenessCatalogue }),
  figureSource(learnerProfilesProjection, { figures: internationalFigures, explain: explainInternational, catalogue: internationalCatalogue }),
];

/** KPIS.md version 2 (the 2021 mission scope): the families that commitments may measure, with version 1's. */
const VERSION_2_MEASURED: readonly FigureSource[] = [
  ...VERSION_1_SOURCES,
  figureSource(learnerProfilesProjection, { figures: dataCoverageFigures, explain: explainDataCoverage, catalogue: dataCoverageCatalogue }),
  figureSource(learnerActivityProjection, { figures: freeUsersFigures, explain: explainFreeUsers, catalogue: freeUsersCatalogue }),
  figureSource(mentorsProjection, { figures: mentorsFigures, explain: explainMentors, catalogue: mentorsCatalogue, alsoReads: [learnerActivityProjection] }),
  figureSource(outcomesProjection, { figures: outcomesFigures, explain: explainOutcomes, catalogue: outcomesCatalogue }),
];

/**
 * Every figure family of KPIS.md, in its order: version 1's, then version 2's, the
 * commitments last (they measure the others, for whole years, as known at the same K).
 */
export const FIGURE_SOURCES: readonly FigureSource[] = [...VERSION_2_MEASURED, commitmentsSource(VERSION_2_MEASURED)];
