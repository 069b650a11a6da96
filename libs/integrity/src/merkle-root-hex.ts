import { hash as oneShotHash } from 'node:crypto';
import { EMPTY_ROOT, isPowerOfTwo } from './merkle-tree';

const HEX32 = /^[0-9a-f]{64}$/;
const EMPTY_ROOT_HEX = EMPTY_ROOT.toString('hex');
/** 0x01 || left || right, rewritten in place for every interior node. */
const nodeInput = Buffer.alloc(65, 0x01);

/** RFC 6962 interior node hash, hex in and hex out: no Buffer is made. */
function nodeHashHex(leftHex: string, rightHex: string): string {
  nodeInput.write(leftHex, 1, 32, 'hex');
  nodeInput.write(rightHex, 33, 32, 'hex');
  return oneShotHash('sha256', nodeInput, 'hex');
}

/**
 * `MerkleRootBuilder` over hex leaf hashes, the form records carry: the same frontier and the
 * same roots (a test holds them equal), without a Buffer per leaf and per node, which cost
 * more than the hashing itself when `verify` streams a log of millions of events.
 */
export class HexMerkleRootBuilder {
  private readonly frontierRoots: string[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** A leaf hash as 64 lower-case hex digits; anything else is refused, as MerkleRootBuilder refuses a non-32-byte hash. */
  push(leafHashHex: string): this {
    if (leafHashHex.length !== 64 || !HEX32.test(leafHashHex)) throw new TypeError('a leaf hash must be 32 bytes as 64 lower-case hex digits');
    return this.pushHashed(leafHashHex);
  }

  /** `push` of a hash the caller has just computed, or compared equal to one computed (node:crypto's hex output): not checked again. */
  pushHashed(leafHashHex: string): this {
    let node = leafHashHex;
    // Each trailing one bit of the old size is a complete subtree as tall as `node`: merge.
    for (let n = this.count; n % 2 === 1; n = Math.floor(n / 2)) {
      const left = this.frontierRoots.pop();
      if (left === undefined) throw new Error('HexMerkleRootBuilder: frontier out of step with size');
      node = nodeHashHex(left, node);
    }
    this.frontierRoots.push(node);
    this.count += 1;
    return this;
  }

  /**
   * Pushes a complete subtree of `leaves` leaves (a power of two) given by its root, as if its
   * leaves were pushed one by one: the tree's size must be a multiple of `leaves` (a verifier
   * that hashed a range of the log apart, aligned on that size, adds the range this way).
   */
  pushSubtree(rootHex: string, leaves: number): this {
    if (!Number.isSafeInteger(leaves) || !isPowerOfTwo(leaves) || this.count % leaves !== 0) {
      throw new RangeError(`HexMerkleRootBuilder: a subtree of ${leaves} leaves cannot follow ${this.count} leaves`);
    }
    if (rootHex.length !== 64 || !HEX32.test(rootHex)) throw new TypeError('a subtree root must be 32 bytes as 64 lower-case hex digits');
    let node = rootHex;
    for (let n = this.count / leaves; n % 2 === 1; n = Math.floor(n / 2)) {
      const left = this.frontierRoots.pop();
      if (left === undefined) throw new Error('HexMerkleRootBuilder: frontier out of step with size');
      node = nodeHashHex(left, node);
    }
    this.frontierRoots.push(node);
    this.count += leaves;
    return this;
  }

  /**
   * Pushes the leaves another builder holds, by its frontier (its complete subtrees, largest
   * first): the same tree as pushing them one by one, when this tree's size is a multiple of
   * the smallest power of two at least as large as the other's size (ranges of the log aligned on a power of two).
   */
  pushTree(other: HexMerkleRootBuilder): this {
    let remaining = other.count;
    for (const root of other.frontierRoots) {
      const leaves = 2 ** Math.floor(Math.log2(remaining));
      this.pushSubtree(root, leaves);
      remaining -= leaves;
    }
    return this;
  }

  /** A builder holding the same leaves, to grow apart from this one. */
  clone(): HexMerkleRootBuilder {
    const copy = new HexMerkleRootBuilder();
    copy.frontierRoots.push(...this.frontierRoots);
    copy.count = this.count;
    return copy;
  }

  /** The frontier (complete subtree roots, largest first) and size: what crosses to another thread. */
  toFrontier(): { readonly roots: readonly string[]; readonly size: number } {
    return { roots: [...this.frontierRoots], size: this.count };
  }

  /** A builder from a frontier `toFrontier` gave. */
  static fromFrontier(frontier: { readonly roots: readonly string[]; readonly size: number }): HexMerkleRootBuilder {
    const builder = new HexMerkleRootBuilder();
    let remaining = frontier.size;
    for (const root of frontier.roots) {
      const leaves = 2 ** Math.floor(Math.log2(remaining));
      builder.pushSubtree(root, leaves);
      remaining -= leaves;
    }
    if (remaining !== 0) throw new RangeError('HexMerkleRootBuilder: a frontier whose roots do not make its size');
    return builder;
  }

  /** The root as hex. */
  root(): string {
    let root: string | undefined;
    for (let i = this.frontierRoots.length - 1; i >= 0; i--) {
      const subtree = this.frontierRoots[i] as string;
      root = root === undefined ? subtree : nodeHashHex(subtree, root);
    }
    return root ?? EMPTY_ROOT_HEX;
  }
}
