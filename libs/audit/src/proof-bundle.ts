import { HASH_BYTES } from '@ledger/integrity';
import { hashFromHex, inclusionProof, rootFromInclusionProof, signCheckpoint, toHex } from '@ledger/integrity';
import type { Checkpoint, NoteSigner } from '@ledger/integrity';
import type { EventStore } from '@ledger/store';
import type { LogRecord } from '@ledger/store';
import { recomputeLeaf } from '@ledger/store';

export const PROOF_FORMAT = 'impact-ledger-proof/1';
/** The bundle of a leaf v2 event, or of an erased event (docs/erasure.md). */
export const PROOF_FORMAT_V2 = 'impact-ledger-proof/2';

/** The type of the events that seal a publication (its Merkle root and tree size). */
export const PUBLICATION_TYPE = 'ReportPublished';

/**
 * Everything needed to check that one event is in the log, and nothing else: the event as
 * stored (what its leaf hash commits to), the leaf hash, its RFC 6962 inclusion proof and
 * the root it leads to. `tools/verify-proof.js` checks it with no access to the ledger.
 */
export interface ProofBundleV1 {
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
  /**
   * The ledger's signed checkpoint of this tree (C2SP tlog-checkpoint, signed by the log key):
   * size `treeSize`, root `rootHash`, and, against a publication, the extension lines
   * `publication <id>` and `seal <eventId> <position>`, so the signature covers `sealedBy`.
   * Absent from bundles made before issue 9 item 6 (`verify-proof.js` says so).
   */
  readonly checkpoint?: string;
}

/** What a `impact-ledger-proof/2` bundle's leaf is: the public part its leaf hash is computed from. */
export type ProvenLeaf =
  | { readonly v: 2; readonly position: number; readonly type: string; readonly recordedAt: string; readonly commitment: string }
  /** An erased v1 event: its leaf hashed the payload that is gone, so only where it is can be shown. */
  | { readonly v: 1; readonly position: number; readonly type: string; readonly recordedAt: string };

/** A v2 event's personal part and salt, from which a verifier recomputes the commitment. */
export interface ProvenPayload {
  readonly data: string;
  readonly eventId: string;
  readonly learnerId: string | null;
  readonly occurredAt: string;
  readonly streamId: string;
  readonly streamRevision: number;
  readonly salt: string;
}

/**
 * The proof of a leaf v2 event, or of any erased event: its public part (`leaf`), and its
 * payload with its salt, or `'erased'`. Checked by `tools/verify-proof.js` like format 1.
 */
export interface ProofBundleV2 extends Omit<ProofBundleV1, 'format' | 'event'> {
  readonly format: typeof PROOF_FORMAT_V2;
  readonly leaf: ProvenLeaf;
  readonly payload: ProvenPayload | 'erased';
}

/** A proof bundle: format 1 for a v1 event with its payload, format 2 for a v2 event or an erased one. */
export type ProofBundle = ProofBundleV1 | ProofBundleV2;

/** The log's key, or how to get it when the bundle can be given (the CLI and API make the key file then). */
export type BundleSigner = NoteSigner | (() => Promise<NoteSigner>);

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
export async function buildProofBundle(store: EventStore, eventId: string, against?: string, signer?: BundleSigner): Promise<ProofBundle> {
  const record = (await store.findEvents([eventId])).get(eventId);
  if (record === undefined) throw new ProofError('unknown-event', `no event with id ${eventId} in the log`);
  return bundleOf(store, record, against, signer);
}

/**
 * The proof bundle of the event at a position: how an erased event is proved, its event id
 * being gone with its payload.
 */
export async function buildProofBundleAt(store: EventStore, position: number, against?: string, signer?: BundleSigner): Promise<ProofBundle> {
  let record: LogRecord | undefined;
  if (Number.isSafeInteger(position) && position >= 1) {
    for await (const found of store.readAll(position, { toPosition: position, pageSize: 1 })) record = found;
  }
  if (record === undefined) throw new ProofError('unknown-event', `no event at position ${position} in the log`);
  return bundleOf(store, record, against, signer);
}

async function bundleOf(store: EventStore, record: LogRecord, against: string | undefined, signer: BundleSigner | undefined): Promise<ProofBundle> {
  const eventId = record.eventId;
  // The bundle hands out the event itself: it must be what its stored leaf hash commits to
  // (an erased v1 event's leaf cannot be recomputed: the bundle says so, and gives no payload).
  const leaf = recomputeLeaf(record);
  if (leaf !== null && leaf !== record.hash) {
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

  const sealedBy = seal ? { publicationId: seal.publicationId, eventId: seal.record.eventId, position: seal.record.position } : undefined;
  // The key is asked for only now: a proof refused above makes no key file.
  const key = typeof signer === 'function' ? await signer() : signer;
  const proven = {
    leafHash: record.hash,
    leafIndex,
    treeSize,
    rootHash,
    inclusionProof: proof.map(toHex),
    ...(sealedBy ? { sealedBy } : {}),
    ...(key ? { checkpoint: bundleCheckpoint(key, treeSize, root, sealedBy) } : {}),
  };
  if (record.leafVersion === 2 || record.erased === true) return { format: PROOF_FORMAT_V2, leaf: provenLeaf(record), payload: provenPayload(record), ...proven };
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
    ...proven,
  };
}

/**
 * The checkpoint of the bundle's tree, signed now rather than looked up: Ed25519 is
 * deterministic, so for a tree without a publication it is byte for byte the checkpoint the
 * ledger keeps for that size, if any; it is not kept (a smaller tree kept after a larger one
 * would read as a rollback). Against a publication, it is the publication's checkpoint.
 */
function bundleCheckpoint(signer: NoteSigner, size: number, rootHash: Buffer, sealedBy: ProofBundleV1['sealedBy']): string {
  if (sealedBy) return publicationCheckpoint(signer, { treeSize: size, merkleRoot: toHex(rootHash) }, sealedBy);
  return signCheckpoint({ origin: signer.name, size, rootHash, extensions: [] }, signer);
}

/**
 * The signed checkpoint of the tree a publication sealed, with the extension lines
 * `publication <id>` and `seal <eventId> <position>` (its `ReportPublished` event), which the
 * log's signature then covers. `ledger publish --out` writes it; every proof bundle against
 * the publication carries the same bytes.
 */
export function publicationCheckpoint(
  signer: NoteSigner,
  seal: { readonly treeSize: number; readonly merkleRoot: string },
  publication: { readonly publicationId: string; readonly eventId: string; readonly position: number },
): string {
  const rootHash = hashFromHex(seal.merkleRoot);
  if (rootHash === null) throw new RangeError(`the seal's merkleRoot is not 64 hex digits: ${seal.merkleRoot}`);
  const extensions = [`publication ${publication.publicationId}`, `seal ${publication.eventId} ${publication.position}`];
  const checkpoint: Checkpoint = { origin: signer.name, size: seal.treeSize, rootHash, extensions };
  return signCheckpoint(checkpoint, signer);
}

function provenLeaf(record: LogRecord): ProvenLeaf {
  const { position, type, recordedAt } = record;
  if (record.leafVersion === 2) return { v: 2, position, type, recordedAt, commitment: record.commitment ?? '' };
  return { v: 1, position, type, recordedAt };
}

function provenPayload(record: LogRecord): ProvenPayload | 'erased' {
  if (record.erased === true || record.salt === undefined) return 'erased';
  const { data, eventId, learnerId, occurredAt, streamId, streamRevision, salt } = record;
  return { data, eventId, learnerId, occurredAt, streamId, streamRevision, salt };
}

/** The first `ReportPublished` event with this publication id, and its seal, checked for shape. */
async function findSeal(store: EventStore, publicationId: string): Promise<Seal> {
  for await (const record of store.readAll(1, { types: [PUBLICATION_TYPE], scan: true })) {
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
