import { MerkleRootBuilder } from '@ledger/integrity';
import type { EventStore } from '@ledger/store';
import { EMPTY_HEAD, recomputeHashes } from '@ledger/store';

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
  readonly fault?: LogFault;
}

/**
 * Reads the whole log once, in bounded memory, and checks every event: positions are
 * gapless from 1, each record's leaf hash is the hash of its canonical form, each chain
 * value chains it to the one before, recordedAt never goes back, and every stream's
 * revisions follow each other. Stops at the first fault and names its position.
 */
export async function verifyLog(
  store: EventStore,
  options: {
    readonly toPosition?: number;
    readonly onProgress?: (checked: number) => void;
    /** Each verified leaf hash, in position order: what an audit builds its Merkle proofs from. */
    readonly onLeaf?: (position: number, leafHash: Buffer) => void;
    /** Tree sizes whose roots to give too, taken from the same tree as it grows (the sealed sizes of an audit). */
    readonly rootsAt?: ReadonlySet<number>;
  } = {},
): Promise<LogVerification> {
  const merkle = new MerkleRootBuilder();
  const rootsAt = new Map<number, string>();
  if (options.rootsAt?.has(0)) rootsAt.set(0, merkle.root().toString('hex'));
  const streamRevisions = new Map<string, number>();
  let previousChain = EMPTY_HEAD.chain;
  let previousRecordedAt = '';
  let expected = 1;
  const fail = (position: number, problem: string): LogVerification => ({
    ok: false,
    checked: expected - 1,
    merkleRoot: merkle.root().toString('hex'),
    rootsAt,
    fault: { position, problem },
  });

  const readOptions = options.toPosition === undefined ? {} : { toPosition: options.toPosition };
  for await (const page of store.readPages(1, { ...readOptions, pageSize: 5000 })) {
    for (const record of page) {
      if (record.position !== expected) {
        return fail(expected, `position ${expected} is missing: the next event found is at position ${record.position}`);
      }
      const recomputed = recomputeHashes(record, previousChain);
      if (recomputed.hash !== record.hash) {
        return fail(record.position, `event ${record.eventId}: its content does not match its hash (altered record)`);
      }
      if (recomputed.chain !== record.chain) {
        return fail(record.position, `event ${record.eventId}: its chain value does not follow from the event before`);
      }
      if (record.recordedAt < previousRecordedAt) {
        return fail(record.position, `recordedAt ${record.recordedAt} is before the previous event's ${previousRecordedAt}`);
      }
      const lastRevision = streamRevisions.get(record.streamId) ?? -1;
      if (record.streamRevision !== lastRevision + 1) {
        return fail(
          record.position,
          `stream ${record.streamId}: revision ${record.streamRevision} follows revision ${lastRevision}`,
        );
      }
      streamRevisions.set(record.streamId, record.streamRevision);
      const leaf = Buffer.from(record.hash, 'hex');
      merkle.push(leaf);
      if (options.rootsAt?.has(record.position)) rootsAt.set(record.position, merkle.root().toString('hex'));
      options.onLeaf?.(record.position, leaf);
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
  return { ok: true, checked: last, merkleRoot: merkle.root().toString('hex'), rootsAt };
}
