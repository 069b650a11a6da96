import { chainHashHex, HexMerkleRootBuilder } from '@ledger/integrity';
import type { LogRecord } from '@ledger/store';
import { EMPTY_HEAD, recomputeLeaf } from '@ledger/store';

/** The first thing found wrong in the log, located by position. */
export interface LogFault {
  readonly position: number;
  readonly problem: string;
}

/**
 * The streams a range of the log touched (its events not erased), in parallel arrays: each
 * stream's first revision in the range, and its last revision there. Whether the
 * first revision follows the stream's last one before the range is for whoever knows that.
 */
export interface RangeStreams {
  readonly ids: string[];
  readonly firstRevisions: number[];
  readonly lastRevisions: number[];
}

/**
 * The checks of `verifyLog`, one record after another in position order: positions gapless,
 * the leaf recomputed (v1, v2, erased), the chain, recordedAt never going back, each stream's
 * revisions following each other; the leaf pushed onto the Merkle tree. One checker checks
 * the whole log (`verifyLog` on one thread), or one range of it (a worker's, `rangeStreams`
 * set: a stream first seen in the range is recorded rather than checked, its revision before
 * the range being unknown there). Stops at the first fault: `check` returns it.
 */
export class LogChecker {
  expected: number;
  previousChain: string;
  previousRecordedAt: string;
  erased = 0;
  leavesNotRecomputed = 0;
  readonly merkle: HexMerkleRootBuilder;
  /** Each stream's last revision; in a range, an index into `rangeStreams`' arrays instead. */
  private readonly streams: Map<string, number>;
  private readonly range: RangeStreams | undefined;
  /** Each leaf hash (hex) as it is pushed (the audit's leaf buffer). */
  onLeaf: ((position: number, leafHashHex: string) => void) | undefined;

  constructor(start: {
    readonly expected?: number;
    readonly previousChain?: string;
    readonly previousRecordedAt?: string;
    readonly merkle?: HexMerkleRootBuilder;
    /** The streams' last revisions before `expected` (the whole log's check); taken, not copied. */
    readonly streamRevisions?: Map<string, number>;
    /** A range's check: the streams it touches are recorded here, not checked against what came before. */
    readonly rangeStreams?: RangeStreams;
  } = {}) {
    this.expected = start.expected ?? 1;
    this.previousChain = start.previousChain ?? EMPTY_HEAD.chain;
    this.previousRecordedAt = start.previousRecordedAt ?? '';
    this.merkle = start.merkle ?? new HexMerkleRootBuilder();
    this.streams = start.streamRevisions ?? new Map<string, number>();
    this.range = start.rangeStreams;
  }

  /** Checks the next record read; a fault stops the check (the record is not counted). */
  check(record: LogRecord): LogFault | undefined {
    const expected = this.expected;
    if (record.position !== expected) {
      return { position: expected, problem: `position ${expected} is missing: the next event found is at position ${record.position}` };
    }
    const recomputed = recomputeLeaf(record);
    if (recomputed === null) this.leavesNotRecomputed += 1;
    else if (recomputed !== record.hash) {
      return { position: expected, problem: `event ${record.eventId}: its content does not match its hash (altered record)` };
    }
    // A v2 record's stored commitment is checked by `recomputeLeaf` (its payload and salt must give it); an erased record must hold no salt any more.
    if (record.erased === true && record.salt !== undefined) {
      return { position: expected, problem: `event ${record.eventId}: it is marked erased but still holds its salt` };
    }
    if (chainHashHex(this.previousChain, record.hash) !== record.chain) {
      return { position: expected, problem: `event ${record.eventId}: its chain value does not follow from the event before` };
    }
    if (record.recordedAt < this.previousRecordedAt) {
      return { position: expected, problem: `recordedAt ${record.recordedAt} is before the previous event's ${this.previousRecordedAt}` };
    }
    // An erased event's stream and revision were personal (they named the learner): gone.
    if (record.erased === true) this.erased += 1;
    else {
      const fault = this.range === undefined ? this.followStream(record) : this.followRangeStream(record, this.range);
      if (fault !== undefined) return fault;
    }
    // A leaf recomputed and found equal is crypto's own hex; one taken as stored is checked as it goes in.
    if (recomputed === null || recomputed.length !== 64) this.merkle.push(record.hash);
    else this.merkle.pushHashed(record.hash);
    this.onLeaf?.(expected, record.hash);
    this.previousChain = record.chain;
    this.previousRecordedAt = record.recordedAt;
    this.expected = expected + 1;
    return undefined;
  }

  /**
   * Takes in a range another checker checked alone (its streams recorded, `rangeStreams`): the
   * first revision of each stream it touched must follow the stream's last revision here. When
   * every one does, the range's last revisions become the streams' own and true is returned;
   * else nothing changes (the caller checks the range again, one record after another, to name
   * the fault as this checker would have). Positions, chain and tree are the caller's to join.
   */
  joinStreams(range: RangeStreams): boolean {
    const { ids, firstRevisions, lastRevisions } = range;
    for (let i = 0; i < ids.length; i++) {
      if ((firstRevisions[i] as number) !== (this.streams.get(ids[i] as string) ?? -1) + 1) return false;
    }
    for (let i = 0; i < ids.length; i++) this.streams.set(ids[i] as string, lastRevisions[i] as number);
    return true;
  }

  /** Events checked so far. */
  get checked(): number {
    return this.expected - 1;
  }

  private followStream(record: LogRecord): LogFault | undefined {
    const lastRevision = this.streams.get(record.streamId) ?? -1;
    if (record.streamRevision !== lastRevision + 1) return revisionFault(record, lastRevision);
    this.streams.set(record.streamId, record.streamRevision);
    return undefined;
  }

  private followRangeStream(record: LogRecord, range: RangeStreams): LogFault | undefined {
    const at = this.streams.get(record.streamId);
    if (at === undefined) {
      this.streams.set(record.streamId, range.ids.length);
      range.ids.push(record.streamId);
      range.firstRevisions.push(record.streamRevision);
      range.lastRevisions.push(record.streamRevision);
      return undefined;
    }
    const lastRevision = range.lastRevisions[at] ?? -1;
    if (record.streamRevision !== lastRevision + 1) return revisionFault(record, lastRevision);
    range.lastRevisions[at] = record.streamRevision;
    return undefined;
  }
}

function revisionFault(record: LogRecord, lastRevision: number): LogFault {
  return { position: record.position, problem: `stream ${record.streamId}: revision ${record.streamRevision} follows revision ${lastRevision}` };
}

export function emptyRangeStreams(): RangeStreams {
  return { ids: [], firstRevisions: [], lastRevisions: [] };
}
