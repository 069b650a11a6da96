import { Module } from '@nestjs/common';
import { IngestModule } from '../../../libs/ingest/src/ingest.module';
import { EventStoreModule } from '../../../libs/store/src/event-store.module';

@Module({ imports: [EventStoreModule.forRoot(), IngestModule] })
export class CliModule {}
