import { EventsRejectedError } from '@ledger/ingest';
import type { HistoryStart } from '@ledger/ingest';
import { HistoryLoader, historyFile, NotAPrefixError, ReplayClock } from '@ledger/ingest';
import { openEventStore } from '@ledger/store';
import { cliEnvironment } from '../cli-environment';
import type { CliIo } from '../cli-io';
import { formatRejection } from '../cli-io';
import type { Interrupts } from '../interrupts';
import { INTERRUPTED } from '../interrupts';
import { TerminalProgress } from '../progress';

/**
 * `ledger load-history <file.ndjson>`: a recorded history (the file and its
 * `<file>.batches.json`) into an empty ledger, each batch with its own recordedAt; into a
 * ledger an interrupted load of it left, from its next batch. SIGINT or SIGTERM rolls back
 * the batches in progress (exit 130). The store is opened here, not by the application's
 * module: its clock is the replay's.
 */
export async function loadHistoryCommand(file: string, io: CliIo, interrupts?: Interrupts): Promise<number> {
  const clock = new ReplayClock();
  const environment = cliEnvironment();
  const store = await openEventStore(environment.LEDGER_DB, { create: true, clock: clock.now, writeWaitMs: environment.LEDGER_WRITE_WAIT_MS, bulkLoad: true, notice: (message) => io.err(message) });
  const progress = new TerminalProgress();
  const started = process.hrtime.bigint();
  try {
    const history = await historyFile(file);
    const loader = new HistoryLoader(store, clock, {
      ...(history.lastRecordedAt !== undefined ? { lastRecordedAt: history.lastRecordedAt } : {}),
      ...(interrupts ? { signal: interrupts.signal } : {}),
      onStart: (where) => {
        if (where.kind === 'resume') {
          io.err(
            `resuming the interrupted load of ${file}: the ledger holds its first ${where.batches} of ${history.count} batches whole ` +
              `(${where.events} events, recorded up to ${where.recordedAt}); loading the other ${history.count - where.batches}`,
          );
        }
        // Counted in events, whose rate is steady, not in batches (a day of 2020 holds a thousand times a day of 2021's).
        if (where.kind !== 'complete') progress.phase('events', history.lines);
        if (where.kind === 'resume') progress.advance(where.events);
      },
      onBatch: (kept) => progress.advance(kept.events),
    });
    try {
      const result = await loader.load(history.batches);
      const start: HistoryStart = result.start;
      progress.stop();
      if (start.kind === 'complete') {
        const after = start.after > 0 ? `, and ${start.after} events recorded after them` : '';
        io.out(`${file} is already loaded: the ledger holds its ${start.events} events, recorded up to ${start.recordedAt}${after}; nothing to load`);
        return 0;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const resumed = start.kind === 'resume' ? `, after the ${start.batches} batches kept from an interrupted load` : '';
      io.out(
        `loaded ${file}: ${result.events} events in ${result.batches} recording batches${resumed} ` +
          `(${seconds.toFixed(1)} s, ${Math.round(result.events / Math.max(seconds, 1e-9))} events/s)`,
      );
      return 0;
    } catch (error) {
      progress.stop();
      const kept = loader.kept;
      const holds = kept.batches === 0 ? 'none of its batches' : `its first ${kept.batches} of ${history.count} batches whole (${kept.events} events, recorded up to ${kept.recordedAt})`;
      const signal = interrupts?.received();
      if (signal && loader.comparing) {
        io.err(`${file}: interrupted by ${signal} while comparing the ledger with it: nothing was written; the ledger is as it was.`);
        io.err(`Run \`ledger load-history ${file}\` again to resume.`);
        return INTERRUPTED;
      }
      if (signal) {
        io.err(`${file}: interrupted by ${signal}: nothing of the batches in progress was stored; the ledger keeps ${holds}.`);
        io.err(`Run \`ledger load-history ${file}\` again to resume from there.`);
        return INTERRUPTED;
      }
      if (error instanceof NotAPrefixError) {
        io.err(`${file}: ${error.message}`);
        return 2;
      }
      if (!(error instanceof EventsRejectedError)) throw error;
      io.err(`${file}: a batch was refused, and stored nothing (${error.errors.length} error(s)); the ledger keeps ${holds}:`);
      for (const e of error.errors.slice(0, 50)) io.err(`  ${formatRejection(e)}`);
      return 1;
    }
  } finally {
    await store.close();
  }
}
