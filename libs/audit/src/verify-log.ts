import { HexMerkleRootBuilder } from '@ledger/integrity';
import type { EventStore } from '@ledger/store';
import { chainHashHex } from '@ledger/integrity';
import type { LogRecord } from '@ledger/store';
import { EMPTY_HEAD, recomputeLeaf } from '@ledger/store';

/** The first thing found wrong in the log, located by position. */
export interface LogFault {
  readonly position: number;
  readonly problem: string;
}

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
 */
export async function verifyLog(
  store: EventStore,
  options: {
    readonly toPosition?: number;
    readonly onProgress?: (checked: number) => void;
    /** Each verified leaf hash (hex), in position order: what an audit builds its Merkle proofs from. */
    readonly onLeaf?: (position: number, leafHashHex: string) => void;
    /** Tree sizes whose roots to give too, taken from the same tree as it grows (the sealed sizes of an audit). */
    readonly rootsAt?: ReadonlySet<number>;
  } = {},
): Promise<LogVerification> {
  const merkle = new HexMerkleRootBuilder();
  const rootsAt = new Map<number, string>();
  if (options.rootsAt?.has(0)) rootsAt.set(0, merkle.root());
  const streamRevisions = new Map<string, number>();
  let previousChain = EMPTY_HEAD.chain;
  let previousRecordedAt = '';
  let expected = 1;
  let erased = 0;
  let leavesNotRecomputed = 0;
  const fail = (position: number, problem: string): LogVerification => ({
    ok: false,
    checked: expected - 1,
    merkleRoot: merkle.root(),
    rootsAt,
    erased,
    leavesNotRecomputed,
    fault: { position, problem },
  });

  const readOptions = options.toPosition === undefined ? {} : { toPosition: options.toPosition };
  for await (const page of store.readPages(1, { ...readOptions, pageSize: 5000, scan: true })) {
    for (const record of page) {
      if (record.position !== expected) {
        return fail(expected, `position ${expected} is missing: the next event found is at position ${record.position}`);
      }
      const recomputed = recomputeLeaf(record);
      if (recomputed === null) leavesNotRecomputed += 1;
      else if (recomputed !== record.hash) {
        return fail(record.position, `event ${record.eventId}: its content does not match its hash (altered record)`);
      }
      const commitment = storedCommitmentProblem(record);
      if (commitment) return fail(record.position, `event ${record.eventId}: ${commitment}`);
      if (chainHashHex(previousChain, record.hash) !== record.chain) {
        return fail(record.position, `event ${record.eventId}: its chain value does not follow from the event before`);
      }
      if (record.recordedAt < previousRecordedAt) {
        return fail(record.position, `recordedAt ${record.recordedAt} is before the previous event's ${previousRecordedAt}`);
      }
      // An erased event's stream and revision were personal (they named the learner): gone.
      if (record.erased === true) erased += 1;
      else {
        const lastRevision = streamRevisions.get(record.streamId) ?? -1;
        if (record.streamRevision !== lastRevision + 1) {
          return fail(
            record.position,
            `stream ${record.streamId}: revision ${record.streamRevision} follows revision ${lastRevision}`,
          );
        }
        streamRevisions.set(record.streamId, record.streamRevision);
      }
      // A leaf recomputed and found equal is crypto's own hex; one taken as stored is checked as it goes in.
      if (recomputed === null || recomputed.length !== 64) merkle.push(record.hash);
      else merkle.pushHashed(record.hash);
      if (options.rootsAt?.has(record.position)) rootsAt.set(record.position, merkle.root());
      options.onLeaf?.(record.position, record.hash);
      previousChain = record.chain;
      previousRecordedAt = record.recordedAt;
      expected += 1;
      if (options.onProgress && expected % 5000 === 0) options.onProgress(expected - 1);
    }
  }
  const head = await store.head();
  const last = expected - 1;
  if (options.toPosition === undefined && head.position !== last) {
    return fail(last + 1, `the log's head says position ${head.position}, but the log ends at ${last}`);
  }
  return { ok: true, checked: last, merkleRoot: merkle.root(), rootsAt, erased, leavesNotRecomputed };
}

/**
 * What the leaf does not show. A v2 record's stored commitment is checked by `recomputeLeaf`
 * (its payload and salt must give it); an erased record must hold no salt any more.
 */
function storedCommitmentProblem(record: LogRecord): string | undefined {
  if (record.erased === true && record.salt !== undefined) return 'it is marked erased but still holds its salt';
  return undefined;
}
