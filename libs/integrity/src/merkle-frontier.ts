import { HASH_BYTES, nodeHash, sha256 } from './hashing';

/** The RFC 6962 root of the empty tree: SHA-256 of nothing. */
const EMPTY_TREE_ROOT = sha256();

/** The number of one bits of a safe integer (the number of complete subtrees of a tree of that size). */
function onesOf(size: number): number {
  let ones = 0;
  for (let n = size; n > 0; n = Math.floor(n / 2)) ones += n % 2;
  return ones;
}

/** A frontier that cannot be the compact range of its size (wrong length, not whole hashes). */
export class FrontierError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'FrontierError';
  }
}

/**
 * The Merkle frontier (compact range) of an RFC 6962 tree: the roots of its complete
 * subtrees, largest first, one per one bit of its size. Kept with a checkpoint, it lets the
 * next checkpoint's root be computed from the new leaves alone: O(new leaves + log size)
 * hashing instead of O(size). The same root as `merkleRoot` of every leaf (tested at many sizes).
 */
export class MerkleFrontier {
  private constructor(
    private count: number,
    private readonly roots: Buffer[],
  ) {}

  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  /** From a frontier as kept (`toBytes`): the subtree roots one after another; checked against the size. */
  static fromBytes(size: number, bytes: Uint8Array): MerkleFrontier {
    if (!Number.isSafeInteger(size) || size < 0) throw new FrontierError(`a tree size is a whole number, 0 or more (got ${size})`);
    const expected = onesOf(size);
    if (bytes.length !== expected * HASH_BYTES) {
      throw new FrontierError(`the frontier of a tree of ${size} leaves is ${expected} hashes (${expected * HASH_BYTES} bytes), not ${bytes.length} bytes`);
    }
    const roots: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += HASH_BYTES) roots.push(Buffer.from(bytes.subarray(at, at + HASH_BYTES)));
    return new MerkleFrontier(size, roots);
  }

  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash: each trailing one bit of the old size is a complete subtree as tall as the new node, merged. */
  push(leafHash: Uint8Array): this {
    if (leafHash.length !== HASH_BYTES) throw new FrontierError(`a leaf hash is ${HASH_BYTES} bytes, not ${leafHash.length}`);
    let node: Buffer = Buffer.from(leafHash);
    for (let n = this.count; n % 2 === 1; n = (n - 1) / 2) {
      const left = this.roots.pop();
      if (left === undefined) throw new FrontierError('the frontier is out of step with its size');
      node = nodeHash(left, node);
    }
    this.roots.push(node);
    this.count += 1;
    return this;
  }

  /** Appends the 32-byte leaf hashes of a page, one after another. */
  pushAll(page: Uint8Array): this {
    if (page.length % HASH_BYTES !== 0) throw new FrontierError(`a page of leaf hashes is whole hashes of ${HASH_BYTES} bytes, not ${page.length} bytes`);
    for (let at = 0; at < page.length; at += HASH_BYTES) this.push(page.subarray(at, at + HASH_BYTES));
    return this;
  }

  /** The RFC 6962 root: the subtree roots folded from the smallest (right) to the largest. */
  root(): Buffer {
    let root: Buffer | undefined;
    for (let i = this.roots.length - 1; i >= 0; i--) {
      const subtree = this.roots[i] as Buffer;
      root = root === undefined ? subtree : nodeHash(subtree, root);
    }
    return Buffer.from(root ?? EMPTY_TREE_ROOT);
  }

  /** The frontier as kept: the subtree roots, largest first, one after another. */
  toBytes(): Buffer {
    return Buffer.concat(this.roots);
  }

  /** A copy, to go on from without changing this one. */
  clone(): MerkleFrontier {
    return new MerkleFrontier(this.count, this.roots.map((root) => Buffer.from(root)));
  }
}
