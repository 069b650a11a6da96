import type { RejectedEvent } from './event-ingestor';
import { EventsRejectedError } from './event-ingestor';
import { sliceAtLines } from './parallel-validation';

/** The events of an NDJSON file, with the file line each came from (blank lines are skipped). */
export interface NdjsonEvents {
  readonly raws: unknown[];
  /** `lines[i]` is the 1-based line number of `raws[i]`. */
  readonly lines: number[];
}

/** Parses a whole NDJSON text; a line that is not JSON refuses it all, naming the line. */
export function parseNdjson(text: string): NdjsonEvents {
  const raws: unknown[] = [];
  const lines: number[] = [];
  const errors: RejectedEvent[] = [];
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    lineNumber += 1;
    const line = text.slice(start, stop).trim();
    start = stop + 1;
    if (line === '') continue;
    try {
      raws.push(JSON.parse(line));
      lines.push(lineNumber);
    } catch (error) {
      errors.push({ index: raws.length, line: lineNumber, field: '(line)', message: `is not JSON: ${(error as Error).message}` });
    }
  }
  if (errors.length > 0) throw new EventsRejectedError('invalid', errors);
  return { raws, lines };
}

/**
 * `parseNdjson` a slice at a time (about `linesPerStep` lines each), giving the event loop a
 * turn between slices: a large file's parse then lets a signal (Ctrl-C) and the validation
 * workers' messages in. Throws the signal's reason once it is aborted.
 */
export async function parseNdjsonInSteps(text: string, signal?: AbortSignal, linesPerStep = 20_000): Promise<NdjsonEvents> {
  const raws: unknown[] = [];
  const lines: number[] = [];
  const errors: RejectedEvent[] = [];
  const steps = Math.max(1, Math.ceil(countNewlines(text) / linesPerStep));
  for (const [i, slice] of sliceAtLines(text, steps).entries()) {
    if (i > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
    }
    try {
      const parsed = parseNdjson(slice.text);
      for (const raw of parsed.raws) raws.push(raw);
      for (const line of parsed.lines) lines.push(line + slice.firstLine - 1);
    } catch (error) {
      if (!(error instanceof EventsRejectedError)) throw error;
      // The slice's good lines are not kept: the file is refused; its other errors are still named.
      for (const e of error.errors) errors.push({ ...e, index: raws.length, ...(e.line !== undefined ? { line: e.line + slice.firstLine - 1 } : {}) });
    }
  }
  if (errors.length > 0) throw new EventsRejectedError('invalid', errors);
  return { raws, lines };
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}
