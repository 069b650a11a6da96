import { Module } from '@nestjs/common';
import { IngestModule } from '@ledger/ingest';
import { IngestMetrics } from './ingest-metrics';
import { LedgerMetrics } from './metrics.registry';
import { MetricsHttpController } from './metrics.http.controller';
import { ProjectionLag } from './projection-lag';

/** What an operator scrapes: `GET /metrics` (prom-client). `GET /health` is HealthModule's. */
@Module({
  imports: [IngestModule],
  controllers: [MetricsHttpController],
  providers: [LedgerMetrics, IngestMetrics, ProjectionLag],
  exports: [IngestMetrics, LedgerMetrics, ProjectionLag],
})
export class MetricsModule {}
