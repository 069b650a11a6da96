import { HASH_BYTES, leafHashHex } from '@ledger/integrity';
import { hashFromHex, inclusionProof, rootFromInclusionProof, toHex } from '@ledger/integrity';
import type { EventStore } from '@ledger/store';
import type { LogRecord } from '@ledger/store';
import { canonicalRecord } from '@ledger/store';

export const PROOF_FORMAT = 'impact-ledger-proof/1';

/** The type of the events that seal a publication (its Merkle root and tree size). */
export const PUBLICATION_TYPE = 'ReportPublished';

/**
 * Everything needed to check that one event is in the log, and nothing else: the event as
 * stored (what its leaf hash commits to), the leaf hash, its RFC 6962 inclusion proof and
 * the root it leads to. `tools/verify-proof.js` checks it with no access to the ledger.
 */
export interface ProofBundle {
  readonly format: typeof PROOF_FORMAT;
  readonly event: Omit<LogRecord, 'hash' | 'chain'>;
  /** RFC 6962 leaf hash of the event's canonical record (hex). */
  readonly leafHash: string;
  /** Always `event.position - 1`: the tree's leaves are the log in position order. */
  readonly leafIndex: number;
  /** The tree covers positions 1..treeSize. */
  readonly treeSize: number;
  readonly rootHash: string;
  /** Sibling subtree roots from the leaf up (RFC 6962 §2.1.1), hex. */
  readonly inclusionProof: string[];
  /** Present when the tree is the one a publication sealed: `rootHash` is its sealed root. */
  readonly sealedBy?: { readonly publicationId: string; readonly eventId: string; readonly position: number };
}

export type ProofErrorKind = 'unknown-event' | 'unknown-publication' | 'not-in-sealed-tree' | 'altered-log';

/** A proof that cannot be given, for a reason the user must read (not a bug). */
export class ProofError extends Error {
  constructor(
    readonly kind: ProofErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ProofError';
  }
}

interface Seal {
  readonly publicationId: string;
  readonly record: LogRecord;
  readonly treeSize: number;
  readonly merkleRoot: string;
}

/**
 * The proof bundle of one event: against the whole log at its head, or, with `against` (a
 * publication id), against the tree that publication sealed, whose root must still be the
 * sealed one. Reads the leaf hashes of the tree once, into one buffer (32 bytes an event).
 */
export async function buildProofBundle(store: EventStore, eventId: string, against?: string): Promise<ProofBundle> {
  const record = (await store.findEvents([eventId])).get(eventId);
  if (record === undefined) throw new ProofError('unknown-event', `no event with id ${eventId} in the log`);
  // The bundle hands out the event itself: it must be what its stored leaf hash commits to.
  if (leafHashHex(canonicalRecord(record)) !== record.hash) {
    throw new ProofError(
      'altered-log',
      `event ${eventId} at position ${record.position} has been altered: its content does not match its stored leaf hash`,
    );
  }

  const seal = against === undefined ? undefined : await findSeal(store, against);
  const treeSize = seal ? seal.treeSize : (await store.head()).position;
  if (seal && record.position > treeSize) {
    throw new ProofError(
      'not-in-sealed-tree',
      `event ${eventId} is at position ${record.position}, after the ${treeSize} events sealed by publication ${seal.publicationId}: it is not in that tree`,
    );
  }

  const leaves = await readLeaves(store, treeSize, seal);
  const leafAt = (index: number): Buffer => leaves.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  const leafIndex = record.position - 1;
  const proof = inclusionProof(leafAt, leafIndex, treeSize);
  // The proof's nodes are subtree roots of these leaves, so the root it leads to is the tree's
  // root: computed in O(log n) instead of hashing the whole tree a second time.
  const root = rootFromInclusionProof(leafAt(leafIndex), leafIndex, treeSize, proof);
  if (root === null) throw new Error(`inclusion proof of leaf ${leafIndex} does not fit a tree of ${treeSize}`); // a bug, not the log
  const rootHash = toHex(root);

  if (seal && rootHash !== seal.merkleRoot) {
    throw new ProofError(
      'altered-log',
      `the log no longer matches the root sealed by publication ${seal.publicationId} (position ${seal.record.position}): ` +
        `its first ${treeSize} events have root ${rootHash}, the sealed root is ${seal.merkleRoot}. The log was altered after it was sealed.`,
    );
  }

  return {
    format: PROOF_FORMAT,
    event: {
      position: record.position,
      eventId: record.eventId,
      streamId: record.streamId,
      streamRevision: record.streamRevision,
      type: record.type,
      learnerId: record.learnerId,
      occurredAt: record.occurredAt,
      recordedAt: record.recordedAt,
      data: record.data,
    },
    leafHash: record.hash,
    leafIndex,
    treeSize,
    rootHash,
    inclusionProof: proof.map(toHex),
    ...(seal ? { sealedBy: { publicationId: seal.publicationId, eventId: seal.record.eventId, position: seal.record.position } } : {}),
  };
}

/** The first `ReportPublished` event with this publication id, and its seal, checked for shape. */
async function findSeal(store: EventStore, publicationId: string): Promise<Seal> {
  for await (const record of store.readAll(1, { types: [PUBLICATION_TYPE] })) {
    let data: unknown;
    try {
      data = JSON.parse(record.data);
    } catch {
      continue; // not ours to judge here: `verify` names an altered record
    }
    if (!isObject(data) || data.publicationId !== publicationId) continue;
    const seal = data.seal;
    const root = isObject(seal) ? hashFromHex(seal.merkleRoot) : null;
    if (!isObject(seal) || !Number.isSafeInteger(seal.treeSize) || (seal.treeSize as number) < 1 || root === null) {
      throw new ProofError(
        'unknown-publication',
        `publication ${publicationId} (event ${record.eventId}, position ${record.position}) has no valid seal (treeSize and 64-hex merkleRoot)`,
      );
    }
    return { publicationId, record, treeSize: seal.treeSize as number, merkleRoot: toHex(root) };
  }
  throw new ProofError('unknown-publication', `no sealed publication ${publicationId} in the log (no ${PUBLICATION_TYPE} event with that publicationId)`);
}

/**
 * The stored leaf hashes of positions 1..treeSize, in one buffer (11 million events: 352 MB).
 * A missing position or a malformed stored hash means the log was tampered with.
 */
async function readLeaves(store: EventStore, treeSize: number, seal: Seal | undefined): Promise<Buffer> {
  const leaves = Buffer.alloc(treeSize * HASH_BYTES);
  let expected = 1;
  for await (const page of store.readPages(1, { toPosition: treeSize, pageSize: 10_000 })) {
    for (const record of page) {
      if (record.position !== expected) {
        throw new ProofError('altered-log', `position ${expected} is missing from the log: the next event found is at position ${record.position}`);
      }
      const hash = hashFromHex(record.hash);
      if (hash === null) throw new ProofError('altered-log', `event at position ${record.position} has no valid stored leaf hash`);
      hash.copy(leaves, (expected - 1) * HASH_BYTES);
      expected += 1;
    }
  }
  if (expected - 1 !== treeSize) {
    const of = seal ? `the ${treeSize} events sealed by publication ${seal.publicationId}` : `${treeSize} events`;
    throw new ProofError('altered-log', `the log holds only ${expected - 1} events, not ${of}`);
  }
  return leaves;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
