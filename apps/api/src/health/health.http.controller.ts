import { Controller, Get, HttpStatus, Inject, Logger, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EventStore } from '@ledger/store';
import { EVENT_STORE } from '@ledger/store';
import { Public } from '../auth/roles.decorator';
import type { ProjectionLagRow } from '../metrics/projection-lag';
import { ProjectionLag } from '../metrics/projection-lag';
import { HEALTH } from '../openapi/schemas';
import type { WriteError } from './write-health';
import { WriteHealth } from './write-health';

export interface Health {
  readonly status: 'ok' | 'degraded';
  readonly store: 'up' | 'down';
  /** Position of the last event; null when the store does not answer. */
  readonly head: number | null;
  readonly projections: readonly ProjectionLagRow[];
  /** The last write the store refused, until a write succeeds again; absent when there is none. */
  readonly lastWriteError?: WriteError;
}

/**
 * `GET /health`, without a credential: whether the store answers, whether its last write
 * failed, and how far behind the read models are.
 */
@ApiTags('operations')
@Controller('health')
export class HealthHttpController {
  private readonly logger = new Logger('health');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly lag: ProjectionLag,
    private readonly writes: WriteHealth,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Store reachable, writes going through, read models caught up, lag in events (no credential); 503 when the store does not answer',
  })
  @ApiOkResponse({ description: 'the store answers; status degraded when its last write failed or a read model is behind the log', schema: HEALTH })
  @ApiServiceUnavailableResponse({ description: 'the store does not answer', schema: HEALTH })
  async health(@Res({ passthrough: true }) response: Response): Promise<Health> {
    // Said by the ledger (kind, its own message, when), never the driver's text: this answer needs no credential.
    const lastWriteError = this.writes.lastWriteError;
    const writes = lastWriteError ? { lastWriteError } : {};
    let head: number;
    try {
      head = (await this.store.head()).position;
    } catch (error) {
      // Why, for the operator's log only.
      this.logger.warn(`the store does not answer: ${error instanceof Error ? error.message : String(error)}`);
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'degraded', store: 'down', head: null, projections: [], ...writes };
    }
    const projections = await this.lag.behind(head);
    const ok = !lastWriteError && projections.every((p) => p.lag === 0);
    return { status: ok ? 'ok' : 'degraded', store: 'up', head, projections, ...writes };
  }
}
