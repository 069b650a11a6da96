import type { INestApplicationContext } from '@nestjs/common';
import { EventIngestor, EventsRejectedError, LISTED_ERRORS } from '@ledger/ingest';
import { importNdjsonFile } from '@ledger/ingest';
import { TerminalProgress } from '../progress';
import type { CliIo } from '../cli-io';
import { formatRejection } from '../cli-io';
import type { Interrupts } from '../interrupts';
import { INTERRUPTED } from '../interrupts';

/**
 * `ledger import <file.ndjson>`: all or nothing; exit 1 with line-numbered errors on bad
 * input; exit 130, nothing stored, when SIGINT or SIGTERM comes before the commit.
 */
export async function importCommand(app: INestApplicationContext, file: string, io: CliIo, interrupts?: Interrupts): Promise<number> {
  const ingestor = app.get(EventIngestor);
  const progress = new TerminalProgress();
  const started = process.hrtime.bigint();
  try {
    const summary = await importNdjsonFile(file, ingestor, progress, interrupts?.signal);
    progress.stop();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const where = summary.positions ? ` at positions ${summary.positions.first}-${summary.positions.last}` : '';
    io.out(
      `imported ${file}: ${summary.events} events, ${summary.appended} appended${where}, ` +
        `${summary.alreadyPresent} already present (${seconds.toFixed(1)} s, ${Math.round(summary.events / Math.max(seconds, 1e-9))} events/s)`,
    );
    const late = interrupts?.received();
    if (late) io.err(`${late} came after the commit: the import above is stored`);
    return 0;
  } catch (error) {
    progress.stop();
    const signal = interrupts?.received();
    // Whatever the append was doing when the signal came, it threw before its commit: nothing is stored.
    if (signal) {
      io.err(`${file}: interrupted by ${signal}: the import was rolled back, nothing was stored`);
      return INTERRUPTED;
    }
    if (!(error instanceof EventsRejectedError)) throw error;
    const shown = error.errors.slice(0, LISTED_ERRORS);
    io.err(`${file}: refused, nothing was stored (${error.errors.length} error(s)${error.kind === 'conflict' ? ', conflict' : ''}):`);
    for (const e of shown) io.err(`  ${formatRejection(e)}`);
    if (error.errors.length > shown.length) io.err(`  ... and ${error.errors.length - shown.length} more`);
    return 1;
  }
}
