import type { Period } from '../libs/projections/src/period';
import type { Projection } from '../libs/projections/src/projection';
import { awarenessFigures, awarenessProjection } from './awareness/awareness.projection';
import { coursesAndCertificatesFigures, coursesAndCertificatesProjection } from './courses-and-certificates/courses-and-certificates.projection';
import { fundingFigures, fundingProjection } from './funding/funding.projection';
import { impactFigures, impactProjection } from './impact/impact.projection';
import { partnershipsFigures, partnershipsProjection } from './partnerships/partnerships.projection';
import { surveyFigures, surveyProjection } from './survey/survey.projection';

/** A projection with the figures of KPIS.md it answers for a period. */
export interface FigureSource<S> {
  readonly projection: Projection<S>;
  readonly figures: (state: S, period: Period) => Record<string, number | null>;
}

function source<S>(projection: Projection<S>, figures: (state: S, period: Period) => Record<string, number | null>): FigureSource<unknown> {
  return { projection, figures } as FigureSource<unknown>;
}

/** Every figure id the ledger answers so far, by the projection that answers it. */
export const FIGURE_SOURCES: readonly FigureSource<unknown>[] = [
  source(awarenessProjection, awarenessFigures),
  source(coursesAndCertificatesProjection, coursesAndCertificatesFigures),
  source(fundingProjection, fundingFigures),
  source(impactProjection, impactFigures),
  source(partnershipsProjection, partnershipsFigures),
  source(surveyProjection, surveyFigures),
];
