import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IngestModule } from '../../../../libs/ingest/src/ingest.module';
import { AppendEventsHandler } from './append-events.handler';
import { EventsHttpController } from './events.http.controller';
import { MetricsHttpController } from '../metrics/metrics.http.controller';

@Module({
  imports: [CqrsModule, IngestModule],
  controllers: [EventsHttpController, MetricsHttpController],
  providers: [AppendEventsHandler],
})
export class EventsModule {}
