import { Module } from '@nestjs/common';
import { ApplicationModule } from '@ledger/application';
import { IngestModule } from '@ledger/ingest';
import { FigureRegistryModule } from '@ledger/projection-runtime';
import { ProjectionsModule } from '@ledger/projection-runtime';
import { EventStoreModule } from '@ledger/store';
import { FIGURE_SOURCES } from '@ledger/projections';
import { processIo } from './cli-io';

/** The store, the ingest pipeline, the read models, the figure families and every use case: for the commands that write (`import` creates a ledger that does not exist). */
@Module({ imports: [EventStoreModule.forRoot({ create: true, notice: (message) => processIo.err(message) }), IngestModule, ProjectionsModule, FigureRegistryModule.forRoot(FIGURE_SOURCES), ApplicationModule.forRoot({ ingest: true })] })
export class CliModule {}
