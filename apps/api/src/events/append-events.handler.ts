import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { EventIngestor } from '@ledger/ingest';
import type { AppendedEvent } from '@ledger/store';
import { IngestMetrics } from '../metrics/ingest-metrics';
import { AppendEventsCommand } from './append-events.command';

@CommandHandler(AppendEventsCommand)
export class AppendEventsHandler implements ICommandHandler<AppendEventsCommand> {
  constructor(
    private readonly ingestor: EventIngestor,
    private readonly metrics: IngestMetrics,
  ) {}

  async execute(command: AppendEventsCommand): Promise<AppendedEvent[]> {
    const started = process.hrtime.bigint();
    let appended = 0;
    try {
      const events = await this.ingestor.ingest(command.raws);
      appended = events.filter((e) => e.status === 'appended').length;
      return events;
    } finally {
      this.metrics.observe(Number(process.hrtime.bigint() - started) / 1e9, appended);
    }
  }
}
