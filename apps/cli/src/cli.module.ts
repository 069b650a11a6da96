import { Module } from '@nestjs/common';
import { ApplicationModule } from '../../../libs/application/src/application.module';
import { IngestModule } from '../../../libs/ingest/src/ingest.module';
import { ProjectionsModule } from '../../../libs/projections/src/projections.module';
import { EventStoreModule } from '../../../libs/store/src/event-store.module';

/** The store, the ingest pipeline, the read models and every use case: for the commands that write (`import` creates a ledger that does not exist). */
@Module({ imports: [EventStoreModule.forRoot({ create: true }), IngestModule, ProjectionsModule, ApplicationModule.forRoot({ ingest: true })] })
export class CliModule {}
