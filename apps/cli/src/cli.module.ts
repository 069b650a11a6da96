import { Module } from '@nestjs/common';
import { IngestModule } from '../../../libs/ingest/src/ingest.module';
import { FigureRegistryModule } from '../../../libs/projections/src/figure-registry.module';
import { ProjectionsModule } from '../../../libs/projections/src/projections.module';
import { EventStoreModule } from '../../../libs/store/src/event-store.module';
import { FIGURE_SOURCES } from '../../../projections/figures';

/** The store, the ingest pipeline and the read models: for the commands that write (`import` creates a ledger that does not exist). */
@Module({ imports: [EventStoreModule.forRoot({ create: true }), IngestModule, ProjectionsModule, FigureRegistryModule.forRoot(FIGURE_SOURCES)] })
export class CliModule {}
