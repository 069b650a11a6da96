import { Module } from '@nestjs/common';
import { FigureRegistryModule } from '../../../libs/projections/src/figure-registry.module';
import { ProjectionsModule } from '../../../libs/projections/src/projections.module';
import { EventStoreModule } from '../../../libs/store/src/event-store.module';
import { FIGURE_SOURCES } from '../../../projections/figures';

/**
 * The store and the read models: for the commands that only read the log (no validation, no
 * ingest to load). They never create a ledger: one that does not exist is refused.
 */
@Module({ imports: [EventStoreModule.forRoot({ create: false }), ProjectionsModule, FigureRegistryModule.forRoot(FIGURE_SOURCES)] })
export class ReadingCliModule {}
