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

/**
 * Every figure family of KPIS.md, in its order: the projection that answers it, its
 * figures, their provenance and their catalogue. Adding a KPI is adding its folder and one
 * line here: the report (json, table, csv), explain, the API and the dashboard follow.
 */
export const FIGURE_SOURCES: readonly FigureSource[] = [
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
