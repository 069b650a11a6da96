import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../../../libs/projections/src/projections.module';
import { EventStoreModule } from '../../../libs/store/src/event-store.module';

/**
 * The store and the read models: for the commands that only read the log (no validation, no
 * ingest to load). They never create a ledger: one that does not exist is refused.
 */
@Module({ imports: [EventStoreModule.forRoot({ create: false }), ProjectionsModule] })
export class ReadingCliModule {}
