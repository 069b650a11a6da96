import { readFile } from 'node:fs/promises';
import type { LedgerEvent } from '@ledger/events';
import type { EventIngestor, RejectedEvent } from './event-ingestor';
import { EventsRejectedError } from './event-ingestor';
import { parseNdjson, parseNdjsonInSteps } from './ndjson-file';
import { canValidateInParallel, validateTextInParallel } from './parallel-validation';

export interface ImportSummary {
  readonly events: number;
  readonly appended: number;
  readonly alreadyPresent: number;
  /** Positions of the first and last appended events, when any was appended. */
  readonly positions?: { readonly first: number; readonly last: number };
}

export interface ImportProgress {
  phase(name: 'reading' | 'checking' | 'writing', total: number): void;
  advance(done: number): void;
}

/**
 * Imports an NDJSON file all or nothing: one atomic append, committed only once every
 * line has been checked; a file with one bad line stores nothing. Re-importing the same
 * file appends nothing (every event is already present). Errors name the file line.
 * An abort of `signal` (Ctrl-C) stops it at any phase before the commit: nothing is
 * stored, and the signal's reason is thrown.
 */
export async function importNdjsonFile(
  path: string,
  ingestor: EventIngestor,
  progress?: ImportProgress,
  signal?: AbortSignal,
): Promise<ImportSummary> {
  progress?.phase('reading', 0);
  const text = await readFile(path, { encoding: 'utf8', ...(signal ? { signal } : {}) });
  return importNdjsonText(text, ingestor, progress, signal);
}

/** `importNdjsonFile` for NDJSON already in memory (a slice of a larger file, for instance). */
export async function importNdjsonText(
  text: string,
  ingestor: EventIngestor,
  progress?: ImportProgress,
  signal?: AbortSignal,
): Promise<ImportSummary> {
  signal?.throwIfAborted();
  const roughCount = countLines(text);
  progress?.phase('checking', roughCount);
  const indexOfLine = new Map<number, number>();
  // A large file's shapes are checked on worker threads while this thread parses and writes it;
  // the store commits only once every line passed.
  const validation = canValidateInParallel(roughCount)
    ? validateTextInParallel(text, ingestor.now(), (n) => progress?.advance(n), signal).then(({ duplicateKeys, errors }) => {
        // As in a small file, a line with a key named twice refuses the file before any shape is judged.
        const refused = duplicateKeys.length > 0 ? duplicateKeys : errors;
        if (refused.length === 0) return;
        throw new EventsRejectedError(
          'invalid',
          refused.map((e) => ({ ...e, index: indexOfLine.get(e.line) ?? -1 })).sort((a, b) => a.line - b.line),
        );
      })
    : undefined;
  // Keep a rejection from going unhandled while this thread parses.
  validation?.catch(() => undefined);
  // A large file is parsed a slice at a time, so that Ctrl-C is heard while it is; its duplicate
  // keys are looked for by the validation threads. A small file's, by this thread.
  const { raws, lines } = validation ? await parseNdjsonInSteps(text, signal) : parseNdjson(text, { duplicateKeys: true });
  lines.forEach((line, index) => indexOfLine.set(line, index));
  const withLines = (errors: readonly RejectedEvent[]) =>
    errors.map((e) => (e.line === undefined && lines[e.index] !== undefined ? { ...e, line: lines[e.index] } : e));
  try {
    const events = validation ? (raws as LedgerEvent[]) : ingestor.validate(raws, { onChecked: (n) => progress?.advance(n) });
    if (!validation) progress?.phase('writing', events.length);
    const outcomes = await ingestor.appendValidated(events, { ...(validation ? { validation } : {}), ...(signal ? { signal } : {}) });
    let appended = 0;
    let first: number | undefined;
    let last: number | undefined;
    for (const outcome of outcomes) {
      if (outcome.status !== 'appended') continue;
      appended += 1;
      first ??= outcome.position;
      last = outcome.position;
    }
    return {
      events: outcomes.length,
      appended,
      alreadyPresent: outcomes.length - appended,
      ...(first !== undefined && last !== undefined ? { positions: { first, last } } : {}),
    };
  } catch (error) {
    if (!(error instanceof EventsRejectedError)) throw error;
    throw new EventsRejectedError(error.kind, withLines(error.errors));
  }
}

function countLines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}
