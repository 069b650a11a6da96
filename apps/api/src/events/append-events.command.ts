import { Command } from '@nestjs/cqrs';
import type { AppendedEvent } from '@ledger/store';

/** Append one event or a batch, as received: shape and rules are checked by the handler. */
export class AppendEventsCommand extends Command<AppendedEvent[]> {
  constructor(readonly raws: readonly unknown[]) {
    super();
  }
}
