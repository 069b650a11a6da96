import { Inject, Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import type { WriteError } from './write-health';
import { WriteHealth } from './write-health';

/** What the store indicator adds: the head, and the last write refused (until one succeeds). */
export interface StoreHealthData extends Record<string, unknown> {
  readonly head: number | null;
  readonly lastWriteError?: WriteError;
}

/**
 * Terminus indicator `store`: down when the store does not answer (the health check is then
 * 503); up with the head otherwise. A refused write does not make it down (reads still go
 * on): it is reported, and makes the ledger `degraded`.
 */
@Injectable()
export class StoreHealthIndicator {
  private readonly logger = new Logger('health');

  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly writes: WriteHealth,
  ) {}

  async check(): Promise<HealthIndicatorResult<'store', 'up' | 'down', StoreHealthData>> {
    const indicator = this.indicators.check('store');
    // Said by the ledger (kind, its own message, when), never the driver's text: this answer needs no credential.
    const lastWriteError = this.writes.lastWriteError;
    const writes = lastWriteError ? { lastWriteError } : {};
    try {
      return indicator.up({ head: (await this.store.head()).position, ...writes });
    } catch (error) {
      // Why, for the operator's log only.
      this.logger.warn(`the store does not answer: ${error instanceof Error ? error.message : String(error)}`);
      return indicator.down({ head: null, ...writes });
    }
  }
}
