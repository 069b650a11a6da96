import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventStore } from '@ledger/store';
import type { LogChecker } from './log-checker';
import type { RangeResult, RangeTask, RangeWorkerData } from './verify-range';
import { verifyRange } from './verify-range';
import { HexMerkleRootBuilder, isPowerOfTwo } from '@ledger/integrity';

/** The compiled worker; absent when running from TypeScript sources (unit tests), where the ranges can be checked in turn on this thread (`inThisThread`). */
const WORKER = join(__dirname, 'verify-range.worker.js');

/** Events per range: a power of two, so that each range is a complete subtree of the Merkle tree (its root joins the tree as one node). */
export const RANGE_EVENTS = 65_536;

export interface ParallelOptions {
  /** Events per range, a power of two (default RANGE_EVENTS); a log of fewer than two ranges is checked on one thread. */
  readonly rangeEvents?: number;
  /** Worker threads (default: one per core, at most 4). */
  readonly workers?: number;
  /**
   * The ranges checked one after another on this thread, through this store, and joined as the
   * workers' are: what tests of the joining run from TypeScript sources, where no worker can start.
   */
  readonly inThisThread?: boolean;
}

interface Options {
  readonly toPosition?: number;
  readonly onProgress?: (checked: number) => void;
  readonly leaves?: Buffer;
  readonly rootsAt?: ReadonlySet<number>;
  readonly parallel?: ParallelOptions | false;
}

/** Checks one range somewhere: on a worker thread, or on this one. */
interface RangeRunner {
  run(task: RangeTask): Promise<RangeResult>;
  close(): Promise<void>;
}

/**
 * Checks the log by ranges of `rangeEvents` positions on worker threads, each opening the log
 * itself (`store.source`) and checking its range's positions, leaves, chain (from the stored
 * chain of the event before the range), recordedAt and the revisions of the streams within it
 * (verify-range.ts). This thread joins the ranges in position order into `checker`: each
 * stream's first revision in a range must follow its last before; the range's Merkle subtree
 * joins the tree; the sizes of `rootsAt` within it get their roots; the next range's chain
 * starts from this one's last event. It stops before the first range that is not whole or does
 * not join, leaving `checker` at that range's first position, from which the caller checks on
 * one thread: what is found there is said exactly as a check of the whole log on one thread says it.
 * Does nothing (the caller checks everything) when workers cannot help or cannot start.
 */
export async function verifyRangesInParallel(store: EventStore, checker: LogChecker, rootsAt: Map<number, string>, options: Options): Promise<void> {
  const parallel = options.parallel === false ? undefined : options.parallel;
  const rangeEvents = parallel?.rangeEvents ?? RANGE_EVENTS;
  if (!Number.isSafeInteger(rangeEvents) || !isPowerOfTwo(rangeEvents)) throw new RangeError('verifyLog: rangeEvents must be a power of two');
  const inThisThread = parallel?.inThisThread === true;
  const source = store.source;
  if (!inThisThread && (source === undefined || !existsSync(WORKER) || availableParallelism() < 2)) return;
  // Leaf hashes are written by the workers straight into shared memory; other memory: one thread.
  const shared = options.leaves?.buffer instanceof SharedArrayBuffer ? options.leaves.buffer : undefined;
  if (!inThisThread && options.leaves !== undefined && shared === undefined) return;
  const end = options.toPosition ?? (await store.head()).position;
  const ranges = Math.ceil(end / rangeEvents);
  if (ranges < 2) return;
  const sealedSizes = [...(options.rootsAt ?? [])];
  const tasks: RangeTask[] = Array.from({ length: ranges }, (_, index) => {
    const from = index * rangeEvents + 1;
    const to = Math.min(end, from + rangeEvents - 1);
    return { index, from, to, rootsAt: sealedSizes.filter((n) => n >= from && n <= to) };
  });
  const count = inThisThread ? 1 : Math.max(1, Math.min(parallel?.workers ?? Math.min(4, availableParallelism()), ranges));
  const runners: RangeRunner[] = [];
  if (inThisThread) runners.push({ run: (task) => verifyRange(store, task, options.leaves), close: async () => undefined });
  else {
    for (let i = 0; i < count; i++) runners.push(workerRunner({ source: source as NonNullable<typeof source>, ...(shared ? { leaves: shared } : {}) }));
  }

  const results = new Map<number, RangeResult>();
  let next = 0;
  let joined = 0;
  let stopped = false;
  // Whoever waits (the joining loop, a feeder ahead of it) waits for the next change: a result in, a range joined, a stop.
  let waiting: Array<() => void> = [];
  const changed = (): void => {
    const woken = waiting;
    waiting = [];
    for (const resolve of woken) resolve();
  };
  const nextChange = (): Promise<void> => new Promise<void>((resolve) => waiting.push(resolve));
  /** Ranges given out ahead of the next one to join: bounds the results held waiting. */
  const window = 2 * count;
  const feed = async (runner: RangeRunner): Promise<void> => {
    while (!stopped && next < ranges) {
      if (next - joined >= window) {
        await nextChange();
        continue;
      }
      const task = tasks[next++] as RangeTask;
      const result = await runner.run(task);
      results.set(task.index, result);
      changed();
    }
  };
  const feeding = runners.map((runner) =>
    feed(runner).catch(() => {
      // A worker that failed (its store would not open, it died): what is not joined is checked on this thread.
      stopped = true;
      changed();
    }),
  );
  try {
    while (joined < ranges && !stopped) {
      const result = results.get(joined);
      if (result === undefined) {
        await nextChange();
        continue;
      }
      results.delete(joined);
      if (!joinRange(checker, rootsAt, result, tasks[joined] as RangeTask)) break;
      joined += 1;
      changed();
      options.onProgress?.(checker.checked);
    }
  } finally {
    stopped = true;
    changed();
    await Promise.all(feeding);
    await Promise.all(runners.map((r) => r.close()));
  }
}

/** Joins a whole range onto the check so far; false (nothing changed) when it is not whole or its streams do not follow. */
function joinRange(checker: LogChecker, rootsAt: Map<number, string>, result: RangeResult, task: RangeTask): boolean {
  if (!result.whole || checker.expected !== task.from) return false;
  if (!checker.joinStreams(result.streams)) return false;
  for (const [size, frontier] of result.rootsAt) rootsAt.set(size, checker.merkle.clone().pushTree(HexMerkleRootBuilder.fromFrontier(frontier)).root());
  checker.merkle.pushTree(HexMerkleRootBuilder.fromFrontier(result.frontier));
  checker.erased += result.erased;
  checker.leavesNotRecomputed += result.leavesNotRecomputed;
  checker.previousChain = result.lastChain;
  checker.previousRecordedAt = result.lastRecordedAt;
  checker.expected = task.to + 1;
  return true;
}

/** A worker thread checking the ranges it is sent, one at a time. */
function workerRunner(data: RangeWorkerData): RangeRunner {
  const worker = new Worker(WORKER, { workerData: data });
  let pending: { resolve: (r: RangeResult) => void; reject: (e: Error) => void } | undefined;
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    pending?.reject(failure);
    pending = undefined;
  };
  worker.on('message', (message: RangeResult | { error: string }) => {
    if ('error' in message) fail(new Error(`a verify worker failed: ${message.error}`));
    else {
      pending?.resolve(message);
      pending = undefined;
    }
  });
  worker.once('error', (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
  worker.once('exit', (code) => fail(new Error(`a verify worker exited with code ${code}`)));
  return {
    run: (task) =>
      new Promise<RangeResult>((resolve, reject) => {
        if (failure) return reject(failure);
        pending = { resolve, reject };
        worker.postMessage(task);
      }),
    close: async () => {
      if (failure) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ close: true });
      // A worker that does not end by itself within a while is stopped.
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
