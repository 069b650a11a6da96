import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { LedgerEvent } from '../../events/src/catalog';
import type { EventStore } from '../../store/src/event-store.port';
import { EventIngestor, EventsRejectedError } from './event-ingestor';
import type { ImportSummary } from './import-file';
import { importNdjsonText } from './import-file';

/** One recording batch of a history: its lines were recorded together, at `recordedAt`. */
export interface RecordingBatch {
  readonly recordedAt: string;
  readonly fromLine: number;
  readonly toLine: number;
}

/**
 * A clock that says what it is told: replaying a recorded history, the store's `recordedAt`
 * is each batch's recording instant, not the moment of the replay.
 */
export class ReplayClock {
  private current = new Date(0);
  readonly now = (): Date => new Date(this.current);
  set(instant: string): void {
    this.current = new Date(instant);
  }
}

/**
 * Imports a recorded history (an NDJSON file and the manifest of its recording batches,
 * as `ledger generate` writes them) into an EMPTY ledger, one atomic import per batch,
 * with the store's clock set to each batch's `recordedAt`: the ledger then holds the same
 * transaction time as the history, so "as known at" questions about its past have
 * answers. Refused on a ledger that already holds events: transaction time cannot be
 * rewritten into an existing past.
 */
export async function importRecordedHistory(
  file: string,
  store: EventStore,
  clock: ReplayClock,
  onBatch?: (done: number, total: number, summary: ImportSummary) => void,
): Promise<{ batches: number; events: number }> {
  if ((await store.head()).position !== 0) {
    throw new Error('a recorded history can only be imported into an empty ledger: this one already holds events');
  }
  const batches = JSON.parse(await readFile(`${file}.batches.json`, 'utf8')) as RecordingBatch[];
  const ingestor = new EventIngestor(store, clock.now);
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })[Symbol.asyncIterator]();
  let lineNumber = 0;
  let events = 0;
  for (const [i, batch] of batches.entries()) {
    let text = '';
    while (lineNumber < batch.toLine) {
      const next = await lines.next();
      if (next.done) throw new Error(`${file} ends at line ${lineNumber}, before the end of batch ${i + 1} (line ${batch.toLine})`);
      lineNumber += 1;
      if (lineNumber >= batch.fromLine) text += `${next.value}\n`;
    }
    clock.set(batch.recordedAt);
    try {
      const summary = await importNdjsonText(text, ingestor);
      events += summary.events;
      onBatch?.(i + 1, batches.length, summary);
    } catch (error) {
      if (!(error instanceof EventsRejectedError)) throw error;
      // Name the file's lines, not the batch's.
      throw new EventsRejectedError(error.kind, error.errors.map((e) => (e.line === undefined ? e : { ...e, line: e.line + batch.fromLine - 1 })));
    }
  }
  return { batches: batches.length, events };
}

/**
 * `importRecordedHistory` from batches in memory (the demo generator's, streamed without a
 * file): into an EMPTY ledger, one atomic append per batch, with the store's clock at the
 * batch's `recordedAt`.
 */
export async function importRecordedBatches(
  batches: Iterable<{ readonly recordedAt: string; readonly events: readonly LedgerEvent[] }>,
  store: EventStore,
  clock: ReplayClock,
  onBatch?: (recordedAt: string, events: number) => void,
): Promise<{ batches: number; events: number }> {
  if ((await store.head()).position !== 0) {
    throw new Error('a recorded history can only be imported into an empty ledger: this one already holds events');
  }
  const ingestor = new EventIngestor(store, clock.now);
  let count = 0;
  let events = 0;
  for (const batch of batches) {
    clock.set(batch.recordedAt);
    await ingestor.ingest(batch.events);
    count += 1;
    events += batch.events.length;
    onBatch?.(batch.recordedAt, events);
  }
  return { batches: count, events };
}
