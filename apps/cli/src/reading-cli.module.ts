import { Module } from '@nestjs/common';
import { FigureRegistryModule } from '@ledger/projection-kit';
import { ProjectionsModule } from '@ledger/projection-kit';
import { EventStoreModule } from '@ledger/store';
import { FIGURE_SOURCES } from '@ledger/projections';

/**
 * The store and the read models: for the commands that only read the log (no validation, no
 * ingest to load). They never create a ledger: one that does not exist is refused.
 */
@Module({ imports: [EventStoreModule.forRoot({ create: false }), ProjectionsModule, FigureRegistryModule.forRoot(FIGURE_SOURCES)] })
export class ReadingCliModule {}
