import { Command } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import type { ImportSummary } from '@ledger/ingest';
import type { Progressing } from '../progress';

/**
 * An NDJSON file appended all or nothing: progress through `reading`, `checking` and
 * `writing`, then the summary. An abort of `signal` (Ctrl-C), or an unsubscribe, before the
 * commit stores nothing; the stream then fails with the signal's reason.
 */
export class ImportCommand extends Command<Observable<Progressing<ImportSummary>>> {
  constructor(
    readonly file: string,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
