import { Controller, Get, HttpStatus, Inject, Logger, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EventStore } from '../../../../libs/store/src/event-store.port';
import { EVENT_STORE } from '../../../../libs/store/src/event-store.module';
import { Public } from '../auth/roles.decorator';
import type { ProjectionLagRow } from '../metrics/projection-lag';
import { ProjectionLag } from '../metrics/projection-lag';
import { HEALTH } from '../openapi/schemas';

export interface Health {
  readonly status: 'ok' | 'degraded';
  readonly store: 'up' | 'down';
  /** Position of the last event; null when the store does not answer. */
  readonly head: number | null;
  readonly projections: readonly ProjectionLagRow[];
}

/** `GET /health`, without a credential: whether the store answers and how far behind the read models are. */
@ApiTags('operations')
@Controller('health')
export class HealthHttpController {
  private readonly logger = new Logger('health');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly lag: ProjectionLag,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Store reachable, read models caught up, lag in events (no credential); 503 when the store does not answer' })
  @ApiOkResponse({ description: 'the store answers; status degraded when a read model is behind the log', schema: HEALTH })
  @ApiServiceUnavailableResponse({ description: 'the store does not answer', schema: HEALTH })
  async health(@Res({ passthrough: true }) response: Response): Promise<Health> {
    let head: number;
    try {
      head = (await this.store.head()).position;
    } catch (error) {
      // Why, for the operator's log only: this answer needs no credential.
      this.logger.warn(`the store does not answer: ${error instanceof Error ? error.message : String(error)}`);
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'degraded', store: 'down', head: null, projections: [] };
    }
    const projections = await this.lag.behind(head);
    return { status: projections.every((p) => p.lag === 0) ? 'ok' : 'degraded', store: 'up', head, projections };
  }
}
