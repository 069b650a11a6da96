import type { EventStore, StoreSource } from '@ledger/store';
import type { LogFault, RangeStreams } from './log-checker';
import { emptyRangeStreams, LogChecker } from './log-checker';

/** A range of the log for one thread to check: positions `from` to `to`, both inclusive; `from` - 1 is a multiple of the range size (a power of two). */
export interface RangeTask {
  readonly index: number;
  readonly from: number;
  readonly to: number;
  /** Tree sizes within the range whose roots are asked for (an audit's sealed sizes). */
  readonly rootsAt: readonly number[];
}

/** The Merkle frontier of some leaves: complete subtree roots (hex), largest first, and how many leaves. */
export interface Frontier {
  readonly roots: readonly string[];
  readonly size: number;
}

/**
 * What a range's check gives back. `whole`: every position of the range was there and passed
 * every check that needs nothing from before the range; only then are the other fields worth
 * joining. Not whole (a fault, a position missing, the range ending early): the verifier checks
 * the range again on one thread from the state before it, which names the fault exactly as a
 * check of the whole log on one thread does.
 */
export interface RangeResult {
  readonly whole: boolean;
  /** The range's leaves as a tree of their own. */
  readonly frontier: Frontier;
  /** For each size asked in `rootsAt`, the range's own frontier after that leaf. */
  readonly rootsAt: ReadonlyArray<readonly [number, Frontier]>;
  readonly erased: number;
  readonly leavesNotRecomputed: number;
  readonly streams: RangeStreams;
  /** The stored chain value and recordedAt of the range's last event. */
  readonly lastChain: string;
  readonly lastRecordedAt: string;
}

/** What a worker thread is started with: how to open the log, and where to write leaf hashes (32 bytes at (position - 1) * 32), if anywhere. */
export interface RangeWorkerData {
  readonly source: StoreSource;
  readonly leaves?: SharedArrayBuffer;
}

/**
 * Checks one range of the log (`LogChecker`, with the streams recorded, not joined): reads from
 * the event before the range (its chain and recordedAt are where the range's chain starts) to
 * the range's end. Each leaf hash checked goes into `leaves` when given.
 */
export async function verifyRange(store: EventStore, task: RangeTask, leaves?: Buffer): Promise<RangeResult> {
  const streams = emptyRangeStreams();
  const checker = new LogChecker({ expected: task.from, rangeStreams: streams });
  if (leaves) checker.onLeaf = (position, leaf) => leaves.write(leaf, (position - 1) * 32, 32, 'hex');
  const wanted = new Set(task.rootsAt);
  const rootsAt: Array<readonly [number, Frontier]> = [];
  // The event before the range: its stored chain and recordedAt, taken as the previous range's check leaves them.
  let before = task.from === 1;
  let fault: LogFault | undefined;
  reading: for await (const page of store.readPages(Math.max(1, task.from - 1), { toPosition: task.to, pageSize: 5000, scan: true })) {
    for (const record of page) {
      if (!before) {
        before = true;
        if (record.position === task.from - 1) {
          checker.previousChain = record.chain;
          checker.previousRecordedAt = record.recordedAt;
          continue;
        }
        fault = { position: task.from - 1, problem: `position ${task.from - 1} is missing` };
        break reading;
      }
      fault = checker.check(record);
      if (fault !== undefined) break reading;
      if (wanted.has(record.position)) rootsAt.push([record.position, checker.merkle.toFrontier()]);
    }
  }
  return {
    whole: fault === undefined && checker.expected === task.to + 1,
    frontier: checker.merkle.toFrontier(),
    rootsAt,
    erased: checker.erased,
    leavesNotRecomputed: checker.leavesNotRecomputed,
    streams,
    lastChain: checker.previousChain,
    lastRecordedAt: checker.previousRecordedAt,
  };
}
