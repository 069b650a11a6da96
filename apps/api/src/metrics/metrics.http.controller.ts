import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AUDITORS, Roles } from '../auth/roles.decorator';
import { LedgerMetrics } from './metrics.registry';

/** `GET /metrics`: Prometheus text exposition (prom-client) of the ledger's metrics and the process's. */
@ApiTags('operations')
@Controller('metrics')
@Roles(...AUDITORS)
export class MetricsHttpController {
  constructor(private readonly ledgerMetrics: LedgerMetrics) {}

  @Get()
  @ApiOperation({
    summary:
      'Prometheus text: events appended, ingest and request latency, group commits and their size, projection lag, read models discarded, process metrics (auditor, admin)',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' } })
  async metrics(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.setHeader('Content-Type', this.ledgerMetrics.registry.contentType);
    return this.ledgerMetrics.registry.metrics();
  }
}
