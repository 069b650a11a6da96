import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { EventsHttpController } from './events.http.controller';

@Module({
  imports: [MetricsModule],
  controllers: [EventsHttpController],
})
export class EventsModule {}
