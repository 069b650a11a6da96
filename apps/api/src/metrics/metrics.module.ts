import { Module } from '@nestjs/common';
import { IngestModule } from '../../../../libs/ingest/src/ingest.module';
import { HealthHttpController } from '../health/health.http.controller';
import { IngestMetrics } from './ingest-metrics';
import { LedgerMetrics } from './metrics.registry';
import { MetricsHttpController } from './metrics.http.controller';
import { ProjectionLag } from './projection-lag';

/** What an operator watches: `GET /health` and `GET /metrics`. */
@Module({
  imports: [IngestModule],
  controllers: [HealthHttpController, MetricsHttpController],
  providers: [LedgerMetrics, IngestMetrics, ProjectionLag],
  exports: [IngestMetrics, LedgerMetrics],
})
export class MetricsModule {}
