/**
 * A worker thread that makes the demo's recording batches (`demoHistory(...).batches()`) and
 * checks the shape of their events, while the main thread appends the batches it made before:
 * making and checking the events costs about as much as hashing and storing them. Each batch
 * goes to the main thread as the JSON text of its events (an array) with the shape errors of
 * that same text, parsed here as the main thread parses it; a string crosses threads for the
 * cost of a copy, where the events as objects would cost a structured clone each.
 *
 * It makes `more` batches each time it is asked (`{ more }`), so that it never runs far ahead
 * of the writes; `{ done: true }` once there are no more.
 */
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { eventIdOf, validateEvent } from '@ledger/events';
import { demoHistory } from './demo-data.generator';
import type { DemoTextBatch, DemoWorkerTask } from './demo-history-in-worker';

const task = workerData as DemoWorkerTask;
const batches = demoHistory({ seed: task.seed, scale: task.scale }).batches();

parentPort?.on('message', (ask: { more: number }) => {
  for (let i = 0; i < ask.more; i += 1) {
    const next = batches.next();
    if (next.done === true) {
      parentPort?.postMessage({ done: true });
      return;
    }
    const { recordedAt, events } = next.value;
    const now = new Date(recordedAt);
    const lines = new Array<string>(events.length);
    const errors: DemoTextBatch['errors'][number][] = [];
    events.forEach((event, index) => {
      const line = JSON.stringify(event);
      lines[index] = line;
      const raw: unknown = JSON.parse(line);
      const result = validateEvent(raw, now);
      if (!result.ok) for (const e of result.errors) errors.push({ index, ...(eventIdOf(raw) !== undefined ? { eventId: eventIdOf(raw) } : {}), ...e });
    });
    parentPort?.postMessage({ recordedAt, text: `[${lines.join(',')}]`, errors } satisfies DemoTextBatch);
  }
});
