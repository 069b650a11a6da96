import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writePrivateFile } from '@ledger/files';
import type { Checkpoint, NoteVerifier } from '@ledger/integrity';
import { CheckpointError, consistencyProof, Ed25519NoteSigner, FrontierError, KeyFormatError, MerkleFrontier, MerkleRootBuilder, NoteError, openCheckpoint, parseCheckpoint, parseNote, signCheckpoint } from '@ledger/integrity';
import type { EventStore, StoredCheckpoint } from '@ledger/store';

/**
 * The ledger's side of signed checkpoints (docs/signed-checkpoints.md): its origin, its
 * signing key file, the tree of the stored leaf hashes, signing the head, consistency proofs.
 */

/** `<name>/impact-ledger/<log id>`: two ledgers never share it, a restored backup keeps it. */
export function ledgerOrigin(ledgerName: string, logId: string): string {
  return `${ledgerName}/impact-ledger/${logId}`;
}

/** A read command needed the signing key and found none: it never makes one. */
export class SigningKeyMissingError extends RangeError {
  constructor(readonly file: string) {
    super(`no signing key at ${file} (LEDGER_SIGNING_KEY): it is made by the first command that signs (\`ledger checkpoint\`); a reading command never makes one`);
    this.name = 'SigningKeyMissingError';
  }
}

/** The key file is there but is not an unencrypted Ed25519 PKCS#8 PEM. */
export class SigningKeyFileError extends RangeError {
  constructor(readonly file: string, why: string) {
    super(`${file} (LEDGER_SIGNING_KEY): ${why}`);
    this.name = 'SigningKeyFileError';
  }
}

/**
 * The ledger's signing key, named after its origin. `create`: a missing file is made (a new
 * Ed25519 key, PKCS#8 PEM, mode 0600, its folder made); without it, a missing file is refused.
 */
export function loadSigningKey(file: string, origin: string, options: { readonly create: boolean }): Ed25519NoteSigner {
  if (!existsSync(file)) {
    if (!options.create) throw new SigningKeyMissingError(file);
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writePrivateFile(file, Ed25519NoteSigner.fromPrivateKey(origin, privateKey).toPem());
  }
  try {
    return Ed25519NoteSigner.fromPem(origin, readFileSync(file));
  } catch (error) {
    if (error instanceof KeyFormatError) throw new SigningKeyFileError(file, error.message);
    throw error;
  }
}

/**
 * The stored leaf hashes of the first `size` events, 32 bytes each, and their RFC 6962 root.
 * The leaves are read as stored, not recomputed: `verify` and `audit` recompute them.
 */
export async function storedTree(store: EventStore, size: number): Promise<{ readonly leaves: Buffer; readonly root: Buffer }> {
  const leaves = Buffer.alloc(size * 32);
  const builder = new MerkleRootBuilder();
  let at = 0;
  if (size > 0) {
    for await (const page of store.readLeafHashes(1, size)) {
      if (at * 32 + page.length > leaves.length || page.length % 32 !== 0) throw new Error(`the log holds more leaf hashes than its ${size} positions`);
      leaves.set(page, at * 32);
      for (let offset = 0; offset < page.length; offset += 32) builder.push(page.subarray(offset, offset + 32));
      at += page.length / 32;
    }
  }
  if (at !== size) throw new Error(`the log holds ${at} events, not ${size}`);
  return { leaves, root: builder.root() };
}

/** A checkpoint the ledger signed, as kept and served. */
export interface SignedCheckpoint extends StoredCheckpoint {
  readonly checkpoint: Checkpoint;
}

/**
 * The frontier of the latest checkpoint kept, when its root is that checkpoint's and the log
 * still reaches that size; else null (then the tree is computed from every leaf).
 */
async function lastFrontier(store: EventStore, head: number): Promise<MerkleFrontier | null> {
  const [last] = await store.checkpoints(1);
  if (!last || last.treeSize > head) return null;
  const bytes = await store.checkpointFrontier(last.treeSize);
  if (bytes === null) return null;
  try {
    const frontier = MerkleFrontier.fromBytes(last.treeSize, bytes);
    return frontier.root().equals(parseCheckpoint(parseNote(last.note).text).rootHash) ? frontier : null;
  } catch (error) {
    if (error instanceof FrontierError || error instanceof NoteError || error instanceof CheckpointError) return null;
    throw error;
  }
}

/**
 * Signs the head as it is now and keeps the checkpoint in the store, with its Merkle frontier.
 * Incremental: from the frontier kept with the last checkpoint, only the leaves appended since
 * are read and hashed (O(new events)); without one (the first checkpoint, a ledger signed
 * before frontiers were kept, a frontier that does not give the last root), every stored leaf.
 * Either way the root is the RFC 6962 root of the stored leaf hashes: the leaves the last
 * checkpoint covers are covered by it, and a log rewritten under it no longer contains it
 * (witnesses, `audit --trusted`).
 */
export async function signHead(store: EventStore, signer: Ed25519NoteSigner, signedAt: string, options: { readonly incremental?: boolean } = {}): Promise<SignedCheckpoint> {
  const treeSize = (await store.head()).position;
  const frontier = (options.incremental !== false ? await lastFrontier(store, treeSize) : null) ?? MerkleFrontier.empty();
  if (treeSize > frontier.size) for await (const page of store.readLeafHashes(frontier.size + 1, treeSize)) frontier.pushAll(page);
  if (frontier.size !== treeSize) throw new Error(`the log holds ${frontier.size} leaf hashes, not ${treeSize}`);
  const checkpoint: Checkpoint = { origin: signer.name, size: treeSize, rootHash: frontier.root(), extensions: [] };
  const note = signCheckpoint(checkpoint, signer);
  const stored = { treeSize, signedAt, note };
  await store.saveCheckpoint(stored, frontier.toBytes());
  return { ...stored, checkpoint };
}

/** The latest checkpoint kept, opened with the ledger's key, or null when none was signed. */
export async function latestCheckpoint(store: EventStore, logKey: NoteVerifier): Promise<SignedCheckpoint | null> {
  const [latest] = await store.checkpoints(1);
  if (!latest) return null;
  return { ...latest, checkpoint: openCheckpoint(latest.note, { logKey }).checkpoint };
}

/** A consistency request that the log cannot answer; `field` names the parameter at fault. */
export class ConsistencyRequestError extends RangeError {
  constructor(readonly field: 'from' | 'to', message: string) {
    super(message);
    this.name = 'ConsistencyRequestError';
  }
}

/** RFC 9162 §2.1.4 consistency proof from the tree of `from` leaves to the tree of `to` leaves of the log. */
export async function consistencyProofOf(store: EventStore, from: number, to: number): Promise<{ readonly from: number; readonly to: number; readonly proof: Buffer[] }> {
  if (!Number.isSafeInteger(from) || from < 0) throw new ConsistencyRequestError('from', `from must be a whole number, 0 or more (got ${from})`);
  if (!Number.isSafeInteger(to) || to < 0) throw new ConsistencyRequestError('to', `to must be a whole number, 0 or more (got ${to})`);
  if (from > to) throw new ConsistencyRequestError('from', `from (${from}) is beyond to (${to})`);
  const head = (await store.head()).position;
  if (to > head) throw new ConsistencyRequestError('to', `to (${to}) is beyond the head of the log (${head})`);
  const { leaves } = await storedTree(store, to);
  const leafAt = (index: number) => leaves.subarray(index * 32, index * 32 + 32);
  return { from, to, proof: consistencyProof(leafAt, from, to) };
}
