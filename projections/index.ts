import type { AnyProjection } from '../libs/projections/src/projection';
import { awarenessProjection } from './awareness/awareness.projection';
import { coursesAndCertificatesProjection } from './courses-and-certificates/courses-and-certificates.projection';
import { fundingProjection } from './funding/funding.projection';
import { impactProjection } from './impact/impact.projection';
import { partnershipsProjection } from './partnerships/partnerships.projection';
import { surveyProjection } from './survey/survey.projection';

/** Every projection the ledger keeps: adding one is adding its folder and one line here. */
export const PROJECTIONS: readonly AnyProjection[] = [
  awarenessProjection,
  coursesAndCertificatesProjection,
  fundingProjection,
  impactProjection,
  partnershipsProjection,
  surveyProjection,
];
