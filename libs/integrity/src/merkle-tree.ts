import { HASH_BYTES, nodeHash, sha256 } from './hashing';

/**
 * RFC 6962 (Certificate Transparency) Merkle tree over leaf hashes that are already
 * leaf-hashed (SHA-256(0x00 || leaf)): roots, inclusion proofs and consistency proofs.
 *
 * Depends only on `./hashing` (node:crypto) so that a small stand-alone verifier can copy
 * `verifyInclusion` / `verifyConsistency` as they are. Generators throw on bad arguments
 * (a caller's bug); verifiers never throw and answer false to anything malformed, because
 * their input comes from whoever wants to be believed.
 */

/** MTH({}) = SHA-256 of the empty string (RFC 6962 §2.1). */
export const EMPTY_ROOT: Buffer = sha256();

/** Leaf hashes, either held in memory or read on demand (e.g. from a store). */
export type LeafSource = readonly Uint8Array[] | ((index: number) => Uint8Array);

/** Sizes and indices are non-negative safe integers: anything else is refused. */
function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_BYTES;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Division rather than `>>`: bit operators truncate to 32 bits and sizes may exceed 2^31. */
function halve(n: number): number {
  return Math.floor(n / 2);
}

/** Whether n is a power of two (by division: bit operators truncate to 32 bits). */
export function isPowerOfTwo(n: number): boolean {
  let m = n;
  while (m > 1 && m % 2 === 0) m /= 2;
  return m === 1;
}

/** The k of RFC 6962 §2.1: the largest power of two smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function leafReader(leaves: LeafSource, size: number): (index: number) => Uint8Array {
  if (typeof leaves === 'function') {
    return (index) => {
      const hash = leaves(index);
      if (!isHash(hash)) throw new TypeError(`leaf ${index} is not a ${HASH_BYTES}-byte hash`);
      return hash;
    };
  }
  if (size > leaves.length) throw new RangeError(`tree size ${size} exceeds the ${leaves.length} leaves given`);
  return (index) => {
    const hash = leaves[index];
    if (!isHash(hash)) throw new TypeError(`leaf ${index} is not a ${HASH_BYTES}-byte hash`);
    return hash;
  };
}

/** MTH(D[start:end]) by the RFC 6962 recursion: O(n) hashing, O(log n) depth. */
function rangeRoot(leafAt: (index: number) => Uint8Array, start: number, end: number): Buffer {
  const n = end - start;
  if (n === 0) return Buffer.from(EMPTY_ROOT); // copies: callers may write into what they get
  if (n === 1) return Buffer.from(leafAt(start));
  const k = splitPoint(n);
  return nodeHash(rangeRoot(leafAt, start, start + k), rangeRoot(leafAt, start + k, end));
}

/** MTH(D[0:size]); `size` defaults to every leaf of an array. */
export function merkleRoot(leaves: LeafSource, size?: number): Buffer {
  const n = size ?? (typeof leaves === 'function' ? Number.NaN : leaves.length);
  if (!isCount(n)) throw new RangeError(`tree size must be a non-negative safe integer, got ${size}`);
  return rangeRoot(leafReader(leaves, n), 0, n);
}

/**
 * Streams leaf hashes into a root in O(log n) memory: it keeps the roots of the complete
 * subtrees the leaves so far decompose into (one per set bit of the size, largest first),
 * which is all the RFC 6962 tree needs, since its root folds them from the right.
 */
export class MerkleRootBuilder {
  private readonly frontierRoots: Buffer[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(leafHash: Uint8Array): this {
    if (!isHash(leafHash)) throw new TypeError(`a leaf hash must be ${HASH_BYTES} bytes`);
    let node: Buffer = Buffer.from(leafHash);
    // Each trailing one bit of the old size is a complete subtree as tall as `node`: merge.
    for (let n = this.count; n % 2 === 1; n = halve(n)) {
      const left = this.frontierRoots.pop();
      if (left === undefined) throw new Error('MerkleRootBuilder: frontier out of step with size');
      node = nodeHash(left, node);
    }
    this.frontierRoots.push(node);
    this.count += 1;
    return this;
  }

  root(): Buffer {
    let root: Buffer | undefined;
    for (let i = this.frontierRoots.length - 1; i >= 0; i--) {
      const subtree = this.frontierRoots[i] as Buffer;
      root = root === undefined ? subtree : nodeHash(subtree, root);
    }
    return Buffer.from(root ?? EMPTY_ROOT); // a copy, so the caller cannot alter the frontier
  }

  /** The complete subtree roots, largest first (a "compact range"), as copies. */
  frontier(): Buffer[] {
    return this.frontierRoots.map((hash) => Buffer.from(hash));
  }
}

/**
 * PATH(index, D[0:size]) of RFC 6962 §2.1.1: the sibling subtree roots from the leaf up.
 * Walks down from the root; the siblings cover disjoint ranges, so O(size) hashing.
 */
export function inclusionProof(leaves: LeafSource, index: number, size: number): Buffer[] {
  if (!isCount(size) || !isCount(index) || index >= size) {
    throw new RangeError(`no inclusion proof for leaf ${index} in a tree of size ${size}`);
  }
  const leafAt = leafReader(leaves, size);
  const topDown: Buffer[] = [];
  let start = 0;
  let n = size;
  let m = index;
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      topDown.push(rangeRoot(leafAt, start + k, start + n));
      n = k;
    } else {
      topDown.push(rangeRoot(leafAt, start, start + k));
      start += k;
      m -= k;
      n -= k;
    }
  }
  return topDown.reverse();
}

/**
 * PROOF(oldSize, D[0:newSize]) of RFC 6962 §2.1.2 (SUBPROOF with b = true), empty when
 * oldSize is 0 or equals newSize. O(newSize) hashing.
 */
export function consistencyProof(leaves: LeafSource, oldSize: number, newSize: number): Buffer[] {
  if (!isCount(oldSize) || !isCount(newSize) || oldSize > newSize) {
    throw new RangeError(`no consistency proof from size ${oldSize} to size ${newSize}`);
  }
  const leafAt = leafReader(leaves, newSize);
  if (oldSize === 0) return [];
  const topDown: Buffer[] = [];
  let start = 0;
  let n = newSize;
  let m = oldSize;
  let oldRootKnown = true; // SUBPROOF's b: the verifier already holds this subtree's root
  for (;;) {
    if (m === n) {
      if (!oldRootKnown) topDown.push(rangeRoot(leafAt, start, start + n));
      break;
    }
    const k = splitPoint(n);
    if (m <= k) {
      topDown.push(rangeRoot(leafAt, start + k, start + n));
      n = k;
    } else {
      topDown.push(rangeRoot(leafAt, start, start + k));
      start += k;
      m -= k;
      n -= k;
      oldRootKnown = false;
    }
  }
  return topDown.reverse();
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or null when the proof does
 * not fit `index` and `size`. Never throws.
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Buffer | null {
  try {
    if (!isHash(leafHash) || !isCount(index) || !isCount(size) || index >= size) return null;
    if (!Array.isArray(proof)) return null;
    let fn = index;
    let sn = size - 1;
    let r: Buffer = Buffer.from(leafHash);
    for (const p of proof as readonly unknown[]) {
      if (!isHash(p) || sn === 0) return null;
      if (fn % 2 === 1 || fn === sn) {
        r = nodeHash(p, r);
        // A right-edge node with no sibling at the lower levels: climb to where it has one.
        while (fn % 2 === 0 && fn !== 0) {
          fn = halve(fn);
          sn = halve(sn);
        }
      } else {
        r = nodeHash(r, p);
      }
      fn = halve(fn);
      sn = halve(sn);
    }
    return sn === 0 ? r : null;
  } catch {
    return null; // fail closed, whatever the input was
  }
}

/**
 * Whether `proof` shows the leaf with hash `leafHash` at `index` in the tree of `size`
 * leaves whose root is `root`. The size must come authenticated with the root (a signed
 * checkpoint): like every RFC 9162 verifier, this one only checks the proof's shape
 * against the size it is told.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(root)) return false;
  const computed = rootFromInclusionProof(leafHash, index, size, proof);
  return computed !== null && sameBytes(computed, root);
}

/**
 * Whether `proof` shows the tree of `newSize` leaves with root `newRoot` extends the tree of
 * `oldSize` leaves with root `oldRoot` (RFC 9162 §2.1.4.2). Equal sizes need equal roots and
 * an empty proof; the empty tree (which must have root SHA-256("")) is a prefix of every tree.
 * Never throws.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  try {
    if (!isCount(oldSize) || !isCount(newSize) || oldSize > newSize) return false;
    if (!isHash(oldRoot) || !isHash(newRoot) || !Array.isArray(proof)) return false;
    const path = proof as readonly unknown[];
    if (!path.every(isHash)) return false;
    const hashes = path;
    if (oldSize === 0) return hashes.length === 0 && sameBytes(oldRoot, EMPTY_ROOT);
    if (oldSize === newSize) return hashes.length === 0 && sameBytes(oldRoot, newRoot);
    if (hashes.length === 0) return false;

    // When the old tree is a complete subtree of the new one its root is left out of the proof.
    const nodes = isPowerOfTwo(oldSize) ? [oldRoot, ...hashes] : hashes;
    let fn = oldSize - 1;
    let sn = newSize - 1;
    while (fn % 2 === 1) {
      fn = halve(fn);
      sn = halve(sn);
    }
    const first = nodes[0];
    if (first === undefined) return false;
    let fr: Buffer = Buffer.from(first);
    let sr: Buffer = Buffer.from(first);
    for (let i = 1; i < nodes.length; i++) {
      const c = nodes[i] as Uint8Array;
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        while (fn % 2 === 0 && fn !== 0) {
          fn = halve(fn);
          sn = halve(sn);
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn = halve(fn);
      sn = halve(sn);
    }
    return sn === 0 && sameBytes(fr, oldRoot) && sameBytes(sr, newRoot);
  } catch {
    return false;
  }
}

/** Lower-case hex, as LogRecord stores hashes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A 32-byte hash from 64 hex digits, or null: Buffer.from(hex) would silently truncate. */
export function hashFromHex(hex: unknown): Buffer | null {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) return null;
  return Buffer.from(hex, 'hex');
}
