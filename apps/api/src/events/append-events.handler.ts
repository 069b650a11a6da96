import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { EventIngestor } from '../../../../libs/ingest/src/event-ingestor';
import type { AppendedEvent } from '../../../../libs/store/src/event-store.port';
import { AppendEventsCommand } from './append-events.command';

@CommandHandler(AppendEventsCommand)
export class AppendEventsHandler implements ICommandHandler<AppendEventsCommand> {
  constructor(private readonly ingestor: EventIngestor) {}

  execute(command: AppendEventsCommand): Promise<AppendedEvent[]> {
    return this.ingestor.ingest(command.raws);
  }
}
