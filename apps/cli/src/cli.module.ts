import { Module } from '@nestjs/common';
import { ApplicationModule } from '@ledger/application';
import { IngestModule } from '@ledger/ingest';
import { ProjectionsModule } from '@ledger/projection-kit';
import { EventStoreModule } from '@ledger/store';

/** The store, the ingest pipeline, the read models and every use case: for the commands that write (`import` creates a ledger that does not exist). */
@Module({ imports: [EventStoreModule.forRoot({ create: true }), IngestModule, ProjectionsModule, ApplicationModule.forRoot({ ingest: true })] })
export class CliModule {}
