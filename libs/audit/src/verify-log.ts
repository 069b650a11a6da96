import type { EventStore } from '@ledger/store';
import type { LogFault } from './log-checker';
import { LogChecker } from './log-checker';
import type { ParallelOptions } from './verify-in-parallel';
import { verifyRangesInParallel } from './verify-in-parallel';

export type { LogFault } from './log-checker';
export type { ParallelOptions } from './verify-in-parallel';
export { RANGE_EVENTS } from './verify-in-parallel';

export interface LogVerification {
  readonly ok: boolean;
  /** Events read and checked. */
  readonly checked: number;
  /** RFC 6962 Merkle root (hex) of the events checked, in position order. */
  readonly merkleRoot: string;
  /** The root (hex) of the first n events, for each size n asked for in `rootsAt` that was reached. */
  readonly rootsAt: ReadonlyMap<number, string>;
  /** Events whose personal part was erased (their leaf and chain were checked from what stays). */
  readonly erased: number;
  /**
   * Erased events of leaf v1 among them: their leaf hashed the erased payload, so it cannot be
   * recomputed; only the chain, the tree and the seals bind it (docs/erasure.md).
   */
  readonly leavesNotRecomputed: number;
  readonly fault?: LogFault;
}

export interface VerifyLogOptions {
  readonly toPosition?: number;
  readonly onProgress?: (checked: number) => void;
  /**
   * Where each verified leaf hash is written, 32 bytes at (position - 1) * 32 (what an audit
   * builds its Merkle proofs from); needs `toPosition` (the buffer holds that many). Over a
   * SharedArrayBuffer, the worker threads write into it themselves; over any other memory the
   * log is checked on this thread alone.
   */
  readonly leaves?: Buffer;
  /** Tree sizes whose roots to give too, taken from the same tree as it grows (the sealed sizes of an audit). */
  readonly rootsAt?: ReadonlySet<number>;
  /** Checking ranges of the log on worker threads (verify-in-parallel.ts); false: on this thread alone. */
  readonly parallel?: ParallelOptions | false;
}

/**
 * Reads the whole log once, in bounded memory, and checks every event: positions are
 * gapless from 1, each record's leaf hash is the hash of its canonical form, each chain
 * value chains it to the one before, recordedAt never goes back, and every stream's
 * revisions follow each other. Stops at the first fault and names its position.
 *
 * Leaves by version (docs/erasure.md): v1 from the canonical record; v2 from the public part
 * and the commitment, the commitment itself recomputed from the salt and the personal part
 * while they are there; an erased v2 event from the commitment that stays; an erased v1 event
 * from nothing (counted in `leavesNotRecomputed`), its chain still checked.
 *
 * A large log that another thread can open (`EventStore.source`) is checked by ranges on worker
 * threads (verify-in-parallel.ts), joined here in position order; a range with anything wrong is
 * checked again on this thread from the state before it, so the result, fault and message
 * included, is the one the check on one thread gives.
 */
export async function verifyLog(store: EventStore, options: VerifyLogOptions = {}): Promise<LogVerification> {
  if (options.leaves !== undefined && options.toPosition === undefined) throw new RangeError('verifyLog: `leaves` needs `toPosition`');
  const checker = new LogChecker();
  if (options.leaves) {
    const leaves = options.leaves;
    checker.onLeaf = (position, leaf) => leaves.write(leaf, (position - 1) * 32, 32, 'hex');
  }
  const rootsAt = new Map<number, string>();
  if (options.rootsAt?.has(0)) rootsAt.set(0, checker.merkle.root());
  if (options.parallel !== false) await verifyRangesInParallel(store, checker, rootsAt, options);
  return continueOnThisThread(store, checker, rootsAt, options);
}

/** The check on this thread, from where `checker` stands (position 1, or the end of the ranges joined) to the end of the log. */
async function continueOnThisThread(
  store: EventStore,
  checker: LogChecker,
  rootsAt: Map<number, string>,
  options: VerifyLogOptions,
): Promise<LogVerification> {
  const fail = (fault: LogFault): LogVerification => ({
    ok: false,
    checked: checker.checked,
    merkleRoot: checker.merkle.root(),
    rootsAt,
    erased: checker.erased,
    leavesNotRecomputed: checker.leavesNotRecomputed,
    fault,
  });
  const readOptions = options.toPosition === undefined ? {} : { toPosition: options.toPosition };
  if (options.toPosition === undefined || checker.expected <= options.toPosition) {
    for await (const page of store.readPages(checker.expected, { ...readOptions, pageSize: 5000, scan: true })) {
      for (const record of page) {
        const fault = checker.check(record);
        if (fault !== undefined) return fail(fault);
        if (options.rootsAt?.has(record.position)) rootsAt.set(record.position, checker.merkle.root());
        if (options.onProgress && checker.expected % 5000 === 0) options.onProgress(checker.checked);
      }
    }
  }
  const last = checker.checked;
  if (options.toPosition === undefined) {
    const head = await store.head();
    if (head.position !== last) return fail({ position: last + 1, problem: `the log's head says position ${head.position}, but the log ends at ${last}` });
  }
  return { ok: true, checked: last, merkleRoot: checker.merkle.root(), rootsAt, erased: checker.erased, leavesNotRecomputed: checker.leavesNotRecomputed };
}
