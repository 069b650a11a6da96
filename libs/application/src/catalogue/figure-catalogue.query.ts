import { Query } from '@nestjs/cqrs';
import type { FigureCatalogue, Period } from '@ledger/projection-kit';

/** The figure catalogue of a period as known at K, with where it was read (`GET /figures`). */
export interface FigureCatalogueView extends FigureCatalogue {
  readonly knownAt: string;
  readonly logPosition: number;
}

/**
 * Every figure id a report of the period gives as known at K, with its definition: the
 * registered families' catalogues, and the figures only the log describes (a commitment's
 * `commitments.<id>.*`, labelled with the committee's words as known at K).
 */
export class FigureCatalogueQuery extends Query<FigureCatalogueView> {
  constructor(readonly request: { readonly period: Period; readonly knownAt?: string; readonly now: string }) {
    super();
  }
}
