import type { AnyProjection } from '@ledger/projection-kit';
import { projectionsOf } from '@ledger/projection-kit';
import { FIGURE_SOURCES } from './figures';

export { FIGURE_SOURCES, VERSION_1_SOURCES } from './figures';
export { BASELINE_RULES, commitmentEntries, commitmentsProjection } from './commitments/commitments.projection';
export type { CommitmentEntry, CommitmentsState } from './commitments/commitments.projection';
export { SEGMENTS } from './learner-profiles/learner-profiles.projection';
export type { Segment } from './learner-profiles/learner-profiles.projection';
export { SEGMENT_LABELS, STATUS_LABELS } from './learner-profiles/populations.figures';

/**
 * Every projection the ledger keeps: those the figure families of `figures.ts` name.
 * Adding a KPI is adding its folder and one line there.
 */
export const PROJECTIONS: readonly AnyProjection[] = projectionsOf(FIGURE_SOURCES);
