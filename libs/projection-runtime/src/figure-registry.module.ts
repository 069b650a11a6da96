import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { FigureSource } from '@ledger/projection-kit';

/** The figure families the application reports on: `readonly FigureSource[]`, projections/figures.ts's list in production. */
export const FIGURE_REGISTRY = Symbol('FIGURE_REGISTRY');

/**
 * Provides the figure registry to the whole application. The applications pass
 * projections/figures.ts's list; a test passes that list and one more family, and sees it in
 * every answer (test/e2e/new-kpi.e2e.spec.ts).
 */
@Module({})
export class FigureRegistryModule {
  static forRoot(sources: readonly FigureSource[]): DynamicModule {
    return { module: FigureRegistryModule, global: true, providers: [{ provide: FIGURE_REGISTRY, useValue: sources }], exports: [FIGURE_REGISTRY] };
  }
}
