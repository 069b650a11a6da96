import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DemoOptions } from './demo-data.generator';

export interface DemoWorkerTask {
  readonly seed: number;
  readonly scale: number;
}

/** One recording batch made on the worker thread: its events as JSON text (an array), and their shape errors. */
export interface DemoTextBatch {
  readonly recordedAt: string;
  readonly text: string;
  /** By 0-based index in the batch, as `validateEvent` of the parsed text gives them; empty: every event is well formed. */
  readonly errors: ReadonlyArray<{ readonly index: number; readonly eventId?: string; readonly field: string; readonly message: string }>;
}

/** The compiled worker; absent when running from TypeScript sources (unit tests). */
const WORKER = join(__dirname, 'demo-history.worker.js');

/** Batches asked of the worker at a time, and how many it may be ahead (a load groups up to 31; each a day of events, up to 6 MB of text at scale 1). */
const ASK = 8;
const AHEAD = 40;

/**
 * The demo's batches made and checked on a worker thread (demo-history.worker.ts), in order,
 * while the caller appends; undefined where that cannot help (one core) or cannot run (from
 * TypeScript sources): the caller then makes them itself (`demoHistory`). Ending the iteration
 * early (a `return`, an error) stops the worker.
 */
export function demoTextBatches(options: DemoOptions): AsyncGenerator<DemoTextBatch, void, undefined> | undefined {
  if (!existsSync(WORKER) || availableParallelism() < 2) return undefined;
  return inWorker({ seed: options.seed, scale: options.scale ?? 1 });
}

async function* inWorker(task: DemoWorkerTask): AsyncGenerator<DemoTextBatch, void, undefined> {
  const worker = new Worker(WORKER, { workerData: task });
  const ready: DemoTextBatch[] = [];
  let done = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let asked = 0;
  worker.on('message', (message: DemoTextBatch | { done: true }) => {
    if ('done' in message) done = true;
    else {
      ready.push(message);
      asked -= 1;
    }
    wake?.();
  });
  worker.once('error', (error: unknown) => {
    failure = error instanceof Error ? error : new Error(String(error));
    wake?.();
  });
  worker.once('exit', (code) => {
    if (!done && failure === undefined) failure = new Error(`the demo's worker thread exited with code ${code}`);
    wake?.();
  });
  const askMore = (): void => {
    if (done || asked + ready.length > AHEAD - ASK) return;
    asked += ASK;
    worker.postMessage({ more: ASK });
  };
  try {
    for (;;) {
      askMore();
      const next = ready.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (done) return;
      if (failure !== undefined) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    await worker.terminate();
  }
}
