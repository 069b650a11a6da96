import type { RejectedEvent } from './event-ingestor';
import { EventsRejectedError } from './event-ingestor';

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
