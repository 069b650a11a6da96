import { createHash, hash as oneShotHash } from 'node:crypto';

/** RFC 6962 §2.1: leaves and interior nodes are hashed with distinct one-byte prefixes. */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const HASH_BYTES = 32;

export function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/**
 * RFC 6962 leaf hash: SHA-256(0x00 || leaf). A string leaf is hashed as its UTF-8 bytes,
 * with the one-shot `crypto.hash` (about twice as fast as createHash for small inputs:
 * this runs once per appended and per verified event).
 */
export function leafHash(leaf: Uint8Array | string): Buffer {
  if (typeof leaf === 'string') return oneShotHash('sha256', `\u0000${leaf}`, 'buffer');
  return sha256(LEAF_PREFIX, leaf);
}

const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES, 0x01);

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right), one-shot through a reused buffer (a tree of n leaves has n - 1 nodes). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.byteLength !== HASH_BYTES || right.byteLength !== HASH_BYTES) return sha256(NODE_PREFIX, left, right);
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return oneShotHash('sha256', nodeInput, 'buffer');
}

/** The hash chain: each event's chain value commits to every event before it. */
export function chainHash(previousChain: Uint8Array, leaf: Uint8Array): Buffer {
  return oneShotHash('sha256', Buffer.concat([previousChain, leaf]), 'buffer');
}

/** `leafHash` as hex: the form records carry; no Buffer is allocated. */
export function leafHashHex(leaf: string): string {
  return oneShotHash('sha256', `\u0000${leaf}`, 'hex');
}

const chainInput = Buffer.alloc(2 * HASH_BYTES);

/** `chainHash` over hex values, through one reused buffer: no allocation per event. */
export function chainHashHex(previousChainHex: string, leafHex: string): string {
  chainInput.write(previousChainHex, 0, HASH_BYTES, 'hex');
  chainInput.write(leafHex, HASH_BYTES, HASH_BYTES, 'hex');
  return oneShotHash('sha256', chainInput, 'hex');
}
