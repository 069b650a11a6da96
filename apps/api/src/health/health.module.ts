import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsModule } from '../metrics/metrics.module';
import { HealthHttpController } from './health.http.controller';
import { ReadModelsHealthIndicator } from './read-models.health';
import { StoreHealthIndicator } from './store.health';

/** `GET /health` (@nestjs/terminus), with the store and read-model indicators. */
@Module({
  // Terminus logs nothing itself: the store indicator says why the store is down.
  imports: [TerminusModule.forRoot({ logger: false }), MetricsModule],
  controllers: [HealthHttpController],
  providers: [StoreHealthIndicator, ReadModelsHealthIndicator],
})
export class HealthModule {}
