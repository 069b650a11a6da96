import { createHash } from 'node:crypto';

/** RFC 6962 §2.1: leaves and interior nodes are hashed with distinct one-byte prefixes. */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const HASH_BYTES = 32;
/** The chain value before the first event. */
export const GENESIS_CHAIN = Buffer.alloc(HASH_BYTES);

export function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** RFC 6962 leaf hash: SHA-256(0x00 || leaf). */
export function leafHash(leaf: Uint8Array | string): Buffer {
  return sha256(LEAF_PREFIX, typeof leaf === 'string' ? Buffer.from(leaf, 'utf8') : leaf);
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/** The hash chain: each event's chain value commits to every event before it. */
export function chainHash(previousChain: Uint8Array, leaf: Uint8Array): Buffer {
  return sha256(previousChain, leaf);
}
