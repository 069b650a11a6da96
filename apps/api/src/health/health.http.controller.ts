import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator';
import type { ProjectionLagRow } from '../metrics/projection-lag';
import { HealthResponse } from '../openapi/response.dto';
import { ReadModelsHealthIndicator } from './read-models.health';
import { StoreHealthIndicator } from './store.health';
import { DEFAULT_RETRY_AFTER_SECONDS } from '../http/store-failure.filter';
import type { WriteError } from './write-health';

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
 * failed, and how far behind the read models are. Terminus runs the indicators; the answer
 * keeps the ledger's own shape (docs/api.md), which says `degraded` for a lag or a refused
 * write that Terminus does not count as down.
 */
@ApiTags('operations')
@Controller('health')
export class HealthHttpController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly storeIndicator: StoreHealthIndicator,
    private readonly readModels: ReadModelsHealthIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Store reachable, writes going through, read models caught up, lag in events (no credential); 503 when the store does not answer',
  })
  @ApiOkResponse({ description: 'the store answers; status degraded when its last write failed or a read model is behind the log', type: HealthResponse })
  @ApiServiceUnavailableResponse({ description: 'the store does not answer', type: HealthResponse })
  async check(@Res({ passthrough: true }) response: Response): Promise<Health> {
    // The indicators' results, typed, as they run; Terminus aggregates them, and throws 503 when one is down.
    let store: Awaited<ReturnType<StoreHealthIndicator['check']>>['store'] | undefined;
    let readModels: Awaited<ReturnType<ReadModelsHealthIndicator['check']>>['readModels'] | undefined;
    await this.health
      .check([
        async () => {
          const result = await this.storeIndicator.check();
          store = result.store;
          return result;
        },
        async () => {
          const result = await this.readModels.check();
          readModels = result.readModels;
          return result;
        },
      ])
      .catch((error: unknown) => {
        if (!(error instanceof ServiceUnavailableException)) throw error;
      });
    const lastWriteError = store?.lastWriteError;
    const writes = lastWriteError ? { lastWriteError } : {};
    if (store?.status !== 'up' || store.head === null) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      // Like every 503 of the API: when to ask again.
      response.setHeader('Retry-After', String(DEFAULT_RETRY_AFTER_SECONDS));
      return { status: 'degraded', store: 'down', head: null, projections: [], ...writes };
    }
    const projections = readModels?.projections ?? [];
    const ok = !lastWriteError && projections.every((p) => p.lag === 0);
    return { status: ok ? 'ok' : 'degraded', store: 'up', head: store.head, projections, ...writes };
  }
}
