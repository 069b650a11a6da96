import { Module } from '@nestjs/common';
import { ApplicationModule } from '@ledger/application';
import { ProjectionsModule } from '@ledger/projection-kit';
import { EventStoreModule } from '@ledger/store';

/**
 * The store, the read models and the use cases that read (and publish, rebuild): for the
 * commands that only read the log (no validation, no ingest to load). They never create a
 * ledger: one that does not exist is refused.
 */
@Module({ imports: [EventStoreModule.forRoot({ create: false }), ProjectionsModule, ApplicationModule.forRoot()] })
export class ReadingCliModule {}
