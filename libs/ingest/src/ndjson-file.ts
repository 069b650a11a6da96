import { duplicateKeyOf, fieldOf } from './duplicate-keys';
import type { RejectedEvent } from './event-ingestor';
import { EventsRejectedError } from './event-ingestor';
import { sliceAtLines } from './parallel-validation';

/** The events of an NDJSON file, with the file line each came from (blank lines are skipped). */
export interface NdjsonEvents {
  readonly raws: unknown[];
  /** `lines[i]` is the 1-based line number of `raws[i]`. */
  readonly lines: number[];
}

export interface ParseOptions {
  /**
   * Refuse a line that names a key twice in one object (default true). Off only when the
   * lines' duplicate keys are checked elsewhere (on the validation threads of a large import).
   */
  readonly duplicateKeys?: boolean;
}

/**
 * Parses a whole NDJSON text; a line that is not JSON, or names a key twice in one object,
 * refuses it all, naming the line (and the key).
 */
export function parseNdjson(text: string, options: ParseOptions = {}): NdjsonEvents {
  const checkKeys = options.duplicateKeys ?? true;
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
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      errors.push({ index: raws.length, line: lineNumber, field: '(line)', message: `is not JSON: ${(error as Error).message}` });
      continue;
    }
    const duplicate = checkKeys ? duplicateKeyRejection(line, raw) : undefined;
    if (duplicate) {
      const id = (raw as { eventId?: unknown } | null)?.eventId;
      errors.push({ index: raws.length, line: lineNumber, ...(typeof id === 'string' ? { eventId: id } : {}), ...duplicate });
    }
    raws.push(raw);
    lines.push(lineNumber);
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
      const parsed = parseNdjson(slice.text, { duplicateKeys: false });
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

/** The refusal of a JSON text that names a key twice in one object (`field`, `message`), or undefined. */
export function duplicateKeyRejection(text: string, parsed: unknown): { field: string; message: string } | undefined {
  const duplicate = duplicateKeyOf(text, parsed);
  if (!duplicate) return undefined;
  return {
    field: fieldOf(duplicate.path),
    message: `is a duplicate key: ${JSON.stringify(duplicate.key)} appears twice in one object, and JSON (RFC 8785) allows a key once`,
  };
}
