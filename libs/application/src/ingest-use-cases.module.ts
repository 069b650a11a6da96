import { Module } from '@nestjs/common';
import { IngestModule } from '@ledger/ingest';
import { AppendEventsHandler } from './append/append-events.handler';
import { ImportHandler } from './import/import.handler';

/** The use cases that validate and append events: loaded only by the shells that write (ApplicationModule.forRoot({ ingest: true })). */
@Module({ imports: [IngestModule], providers: [AppendEventsHandler, ImportHandler] })
export class IngestUseCasesModule {}
