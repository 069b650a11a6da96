/**
 * A worker thread of `verifyLog` (verify-in-parallel.ts): opens the log itself, by the source
 * the main thread gives (its own SQLite connection or PostgreSQL pool), and checks the ranges
 * it is sent one after the other (`verifyRange`), answering each with its result. Leaf hashes
 * go straight into the shared buffer when there is one. `{ close: true }`: closes the store and ends.
 */
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { openStoreSource } from '@ledger/store';
import type { RangeTask, RangeWorkerData } from './verify-range';
import { verifyRange } from './verify-range';

const data = workerData as RangeWorkerData;
const leaves = data.leaves ? Buffer.from(data.leaves) : undefined;
const opening = openStoreSource(data.source);
// Messages are handled one at a time, in order: the main thread sends the next range after an answer.
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (message: RangeTask | { close: true }) => {
  queue = queue.then(async () => {
    const store = await opening;
    if ('close' in message) {
      await store.close();
      parentPort?.close();
      return;
    }
    parentPort?.postMessage(await verifyRange(store, message, leaves));
  });
  queue.catch((error: unknown) => {
    // Posted, not thrown: the main thread then checks what is left on its own thread.
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  });
});
