import { Module } from '@nestjs/common';
import { IngestModule } from '../../../libs/ingest/src/ingest.module';
import { ProjectionsModule } from '../../../libs/projections/src/projections.module';
import { EventStoreModule } from '../../../libs/store/src/event-store.module';

@Module({ imports: [EventStoreModule.forRoot(), IngestModule, ProjectionsModule] })
export class CliModule {}
