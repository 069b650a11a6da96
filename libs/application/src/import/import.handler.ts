import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import { EventIngestor } from '@ledger/ingest';
import type { ImportSummary } from '@ledger/ingest';
import { importNdjsonFile } from '@ledger/ingest';
import type { Progressing } from '../progress';
import { progressing } from '../progress';
import { ImportCommand } from './import.command';

/** Refused lines: EventsRejectedError (each line and field named); the file is read when the stream is subscribed to. */
@CommandHandler(ImportCommand)
export class ImportHandler implements ICommandHandler<ImportCommand> {
  constructor(private readonly ingestor: EventIngestor) {}

  async execute(command: ImportCommand): Promise<Observable<Progressing<ImportSummary>>> {
    return progressing((progress, signal) => {
      let phase = 'reading';
      let total = 0;
      const steps = {
        phase: (name: string, size: number) => {
          phase = name;
          total = size;
          progress(name, 0, size);
        },
        advance: (done: number) => progress(phase, done, total),
      };
      return importNdjsonFile(command.file, this.ingestor, steps, signal);
    }, command.signal);
  }
}
