import { Module } from '@nestjs/common';
import { IngestModule } from '@ledger/ingest';
import { HealthHttpController } from '../health/health.http.controller';
import { IngestMetrics } from './ingest-metrics';
import { MetricsHttpController } from './metrics.http.controller';
import { ProjectionLag } from './projection-lag';

/** What an operator watches: `GET /health` and `GET /metrics`. */
@Module({
  imports: [IngestModule],
  controllers: [HealthHttpController, MetricsHttpController],
  providers: [IngestMetrics, ProjectionLag],
  exports: [IngestMetrics],
})
export class MetricsModule {}
