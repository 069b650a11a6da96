import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RejectedEvent } from './event-ingestor';

export interface SliceTask {
  readonly text: string;
  /** 1-based line number of the slice's first line in the file. */
  readonly firstLine: number;
  /** ISO instant: the ingest clock's reading, the same for every slice. */
  readonly now: string;
}

export type LineError = Omit<RejectedEvent, 'index'> & { readonly line: number };

export interface SliceResult {
  /** Lines that name a key twice in one object: refused as a whole, before any shape is judged. */
  readonly duplicateKeys: LineError[];
  /** The shape errors of the other lines. */
  readonly errors: LineError[];
}

/** The compiled worker; absent when running from TypeScript sources (unit tests), where validation runs in-thread. */
const WORKER = join(__dirname, 'validation.worker.js');

/** Below this many events, starting threads costs more than it saves. */
export const PARALLEL_THRESHOLD = 20_000;

export function canValidateInParallel(events: number): boolean {
  return events >= PARALLEL_THRESHOLD && existsSync(WORKER) && availableParallelism() > 1;
}

/**
 * Checks the shape of every event of an NDJSON text on worker threads, one slice each, while
 * the caller's thread does its own work (parsing and writing the same events); and that no
 * line names a key twice in one object, which costs the caller's thread nothing then.
 * Returns the errors, by line. An abort of `signal` stops the workers and rejects with its reason.
 */
export async function validateTextInParallel(
  text: string,
  now: Date,
  onChecked?: (checked: number) => void,
  signal?: AbortSignal,
): Promise<SliceResult> {
  signal?.throwIfAborted();
  // One core is left to the caller, which parses and writes meanwhile.
  const slices = sliceAtLines(text, Math.max(1, Math.min(4, availableParallelism() - 1)));
  let checked = 0;
  const workers: Worker[] = [];
  const stop = (): void => {
    for (const worker of workers) void worker.terminate();
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const results = await Promise.all(
      slices.map(
        (slice) =>
          new Promise<SliceResult>((resolve, reject) => {
            const task: SliceTask = { ...slice, now: now.toISOString() };
            const worker = new Worker(WORKER, { workerData: task });
            workers.push(worker);
            worker.on('message', (message: { checked: number; result?: SliceResult }) => {
              checked += message.checked;
              onChecked?.(checked);
              if (message.result) resolve(message.result);
            });
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (signal?.aborted) reject(signal.reason);
              else if (code !== 0) reject(new Error(`a validation worker exited with code ${code}`));
            });
          }),
      ),
    );
    return { duplicateKeys: results.flatMap((r) => r.duplicateKeys), errors: results.flatMap((r) => r.errors) };
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/** Cuts a text into about `count` slices, each ending at a line end, with the line each starts at. */
export function sliceAtLines(text: string, count: number): Array<{ text: string; firstLine: number }> {
  const slices: Array<{ text: string; firstLine: number }> = [];
  let start = 0;
  let firstLine = 1;
  for (let i = 1; i <= count && start < text.length; i += 1) {
    const target = i === count ? text.length : Math.floor((text.length * i) / count);
    const newline = text.indexOf('\n', Math.max(target - 1, start));
    const end = i === count || newline === -1 ? text.length : newline + 1;
    const slice = text.slice(start, end);
    slices.push({ text: slice, firstLine });
    for (let at = slice.indexOf('\n'); at !== -1; at = slice.indexOf('\n', at + 1)) firstLine += 1;
    start = end;
  }
  return slices;
}
