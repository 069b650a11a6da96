import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import type { ProjectionLagRow } from '../metrics/projection-lag';
import { ProjectionLag } from '../metrics/projection-lag';

/**
 * Terminus indicator `readModels`: how far each read model is behind the log, from the
 * checkpoints alone. A lag is not a failure (the next report folds the events in), so it is
 * always up while the store answers; down, with no rows, when it does not.
 */
@Injectable()
export class ReadModelsHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly lag: ProjectionLag,
  ) {}

  async check(): Promise<HealthIndicatorResult<'readModels', 'up' | 'down', { projections: ProjectionLagRow[] }>> {
    const indicator = this.indicators.check('readModels');
    try {
      return indicator.up({ projections: await this.lag.behind((await this.store.head()).position) });
    } catch {
      return indicator.down({ projections: [] }); // the store indicator says why
    }
  }
}
