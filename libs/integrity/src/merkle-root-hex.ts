import { hash as oneShotHash } from 'node:crypto';
import { EMPTY_ROOT } from './merkle-tree';

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
