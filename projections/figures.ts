import type { FigureSource } from '@ledger/projection-kit';
import { figureSource } from '@ledger/projection-kit';
import { awarenessFigures, awarenessProjection, explainAwareness } from './awareness/awareness.projection';
import {
  coursesAndCertificatesFigures,
  coursesAndCertificatesProjection,
  explainCoursesAndCertificates,
} from './courses-and-certificates/courses-and-certificates.projection';
import { explainFunding, fundingFigures, fundingProjection } from './funding/funding.projection';
import { explainImpact, impactFigures, impactProjection } from './impact/impact.projection';
import { explainLearnerActivity, learnerActivityFigures, learnerActivityProjection } from './learner-activity/learner-activity.projection';
import { explainInternational, internationalFigures } from './learner-profiles/international.figures';
import { learnerProfilesProjection } from './learner-profiles/learner-profiles.projection';
import { explainPopulations, populationsFigures } from './learner-profiles/populations.figures';
import { explainPartnerships, partnershipsFigures, partnershipsProjection } from './partnerships/partnerships.projection';
import { explainSurvey, surveyFigures, surveyProjection } from './survey/survey.projection';

/**
 * Every figure family of KPIS.md, in its order: the projection that answers it, its
 * figures, and their provenance. Adding a KPI is adding its folder and one line here.
 */
export const FIGURE_SOURCES: readonly FigureSource[] = [
  figureSource(learnerProfilesProjection, populationsFigures, explainPopulations),
  figureSource(impactProjection, impactFigures, explainImpact),
  figureSource(fundingProjection, fundingFigures, explainFunding),
  figureSource(partnershipsProjection, partnershipsFigures, explainPartnerships),
  figureSource(coursesAndCertificatesProjection, coursesAndCertificatesFigures, explainCoursesAndCertificates),
  figureSource(learnerActivityProjection, learnerActivityFigures, explainLearnerActivity),
  figureSource(surveyProjection, surveyFigures, explainSurvey),
  figureSource(awarenessProjection, awarenessFigures, explainAwareness),
  figureSource(learnerProfilesProjection, internationalFigures, explainInternational),
];
