import type { FigureSource } from '../libs/projections/src/figure-report';
import { figureSource } from '../libs/projections/src/figure-report';
import { awarenessFigures, awarenessProjection } from './awareness/awareness.projection';
import { coursesAndCertificatesFigures, coursesAndCertificatesProjection } from './courses-and-certificates/courses-and-certificates.projection';
import { fundingFigures, fundingProjection } from './funding/funding.projection';
import { impactFigures, impactProjection } from './impact/impact.projection';
import { learnerActivityFigures, learnerActivityProjection } from './learner-activity/learner-activity.projection';
import { internationalFigures } from './learner-profiles/international.figures';
import { learnerProfilesProjection } from './learner-profiles/learner-profiles.projection';
import { populationsFigures } from './learner-profiles/populations.figures';
import { partnershipsFigures, partnershipsProjection } from './partnerships/partnerships.projection';
import { surveyFigures, surveyProjection } from './survey/survey.projection';

/** Every figure family of KPIS.md, by the projection that answers it, in the order of KPIS.md. */
export const FIGURE_SOURCES: readonly FigureSource[] = [
  figureSource(learnerProfilesProjection, populationsFigures),
  figureSource(impactProjection, impactFigures),
  figureSource(fundingProjection, fundingFigures),
  figureSource(partnershipsProjection, partnershipsFigures),
  figureSource(coursesAndCertificatesProjection, coursesAndCertificatesFigures),
  figureSource(learnerActivityProjection, learnerActivityFigures),
  figureSource(surveyProjection, surveyFigures),
  figureSource(awarenessProjection, awarenessFigures),
  figureSource(learnerProfilesProjection, internationalFigures),
];
