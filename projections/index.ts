import type { AnyProjection } from '@ledger/projection-kit';
import { FIGURE_SOURCES } from './figures';

export { FIGURE_SOURCES } from './figures';

/**
 * Every projection the ledger keeps: those the figure families of `figures.ts` name.
 * Adding a KPI is adding its folder and one line there.
 */
export const PROJECTIONS: readonly AnyProjection[] = [...new Set(FIGURE_SOURCES.map((s) => s.projection))];
