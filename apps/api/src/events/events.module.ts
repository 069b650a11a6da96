import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { IngestModule } from '@ledger/ingest';
import { MetricsModule } from '../metrics/metrics.module';
import { AppendEventsHandler } from './append-events.handler';
import { EventsHttpController } from './events.http.controller';

@Module({
  imports: [CqrsModule, IngestModule, MetricsModule],
  controllers: [EventsHttpController],
  providers: [AppendEventsHandler],
})
export class EventsModule {}
