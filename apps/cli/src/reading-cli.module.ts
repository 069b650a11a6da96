import { Module } from '@nestjs/common';
import { ApplicationModule } from '@ledger/application';
import { FigureRegistryModule } from '@ledger/projection-runtime';
import { ProjectionsModule } from '@ledger/projection-runtime';
import { EventStoreModule } from '@ledger/store';
import { FIGURE_SOURCES } from '@ledger/projections';

/**
 * The store, the read models and the use cases that read (and publish, rebuild): for the
 * commands that only read the log (no validation, no ingest to load). They never create a
 * ledger: one that does not exist is refused. A ledger made before leaf v2 is read as it
 * is, not migrated (a read-only file opens); `publish` migrates it when it writes.
 */
@Module({ imports: [EventStoreModule.forRoot({ create: false, migrate: false }), ProjectionsModule, FigureRegistryModule.forRoot(FIGURE_SOURCES), ApplicationModule.forRoot()] })
export class ReadingCliModule {}
