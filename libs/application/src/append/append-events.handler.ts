import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { EventIngestor } from '@ledger/ingest';
import type { AppendedEvent } from '@ledger/store';
import { AppendEventsCommand } from './append-events.command';

/**
 * Through the group committer, with the other appends in flight: all or nothing. Refused
 * events: EventsRejectedError (`invalid` or `conflict`); a store that cannot write: its StoreFailure.
 */
@CommandHandler(AppendEventsCommand)
export class AppendEventsHandler implements ICommandHandler<AppendEventsCommand> {
  constructor(private readonly ingestor: EventIngestor) {}

  execute(command: AppendEventsCommand): Promise<AppendedEvent[]> {
    return this.ingestor.ingest(command.raws);
  }
}
