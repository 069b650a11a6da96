import { Module } from '@nestjs/common';
import { IngestModule } from '@ledger/ingest';
import { ProjectionsModule } from '@ledger/projection-kit';
import { EventStoreModule } from '@ledger/store';

/** The store, the ingest pipeline and the read models: for the commands that write (`import` creates a ledger that does not exist). */
@Module({ imports: [EventStoreModule.forRoot({ create: true }), IngestModule, ProjectionsModule] })
export class CliModule {}
