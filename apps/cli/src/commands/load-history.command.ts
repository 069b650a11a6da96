import { importRecordedHistory, ReplayClock } from '../../../../libs/ingest/src/history-import';
import { EventsRejectedError } from '../../../../libs/ingest/src/event-ingestor';
import { DEFAULT_LEDGER_DB, openEventStore } from '../../../../libs/store/src/open-event-store';
import type { CliIo } from '../cli-io';
import { formatRejection } from '../cli-io';
import { TerminalProgress } from '../progress';

/**
 * `ledger load-history <file.ndjson>`: a recorded history (the file and its
 * `<file>.batches.json`) into an empty ledger, each batch with its own recordedAt.
 * The store is opened here, not by the application's module: its clock is the replay's.
 */
export async function loadHistoryCommand(file: string, io: CliIo): Promise<number> {
  const clock = new ReplayClock();
  const store = await openEventStore(process.env.LEDGER_DB ?? DEFAULT_LEDGER_DB, { create: true, clock: clock.now });
  const progress = new TerminalProgress();
  const started = process.hrtime.bigint();
  try {
    let shown = false;
    const result = await importRecordedHistory(file, store, clock, (done, total) => {
      if (!shown) progress.phase('batches', total);
      shown = true;
      progress.advance(done);
    });
    progress.stop();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    io.out(`loaded ${file}: ${result.events} events in ${result.batches} recording batches (${seconds.toFixed(1)} s, ${Math.round(result.events / seconds)} events/s)`);
    return 0;
  } catch (error) {
    progress.stop();
    if (!(error instanceof EventsRejectedError)) throw error;
    io.err(`${file}: a batch was refused, and stored nothing (${error.errors.length} error(s)); the batches before it are stored:`);
    for (const e of error.errors.slice(0, 50)) io.err(`  ${formatRejection(e)}`);
    return 1;
  } finally {
    await store.close();
  }
}
