import fc from 'fast-check';
import { leafHash } from './hashing';
import { FrontierError, MerkleFrontier } from './merkle-frontier';
import { merkleRoot } from './merkle-tree';
import { EMPTY_TREE_ROOT_HEX, LEAF_INPUTS_HEX, ROOTS_HEX } from './rfc6962-test-vectors';

const leaves = Array.from({ length: 1100 }, (_, i) => leafHash(`leaf ${i}`));

describe('MerkleFrontier (the compact range kept with a checkpoint)', () => {
  it('gives the RFC 6962 test vectors\' roots', () => {
    const frontier = MerkleFrontier.empty();
    expect(frontier.root().toString('hex')).toBe(EMPTY_TREE_ROOT_HEX);
    LEAF_INPUTS_HEX.forEach((leaf, i) => {
      frontier.push(leafHash(Buffer.from(leaf, 'hex')));
      expect(frontier.root().toString('hex')).toBe(ROOTS_HEX[i]);
    });
  });

  it('incremental and full roots agree at every size from 0 to 1100, restarting from the kept frontier of every earlier size tried', () => {
    const frontier = MerkleFrontier.empty();
    const kept = new Map<number, Buffer>();
    const roots: Buffer[] = [];
    for (let size = 0; size <= leaves.length; size++) {
      roots.push(merkleRoot(leaves.slice(0, size)));
      expect(frontier.root()).toEqual(roots[size]);
      kept.set(size, frontier.toBytes());
      const next = leaves[size];
      if (next) frontier.push(next);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1100 }), fc.integer({ min: 0, max: 1100 }), (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const resumed = MerkleFrontier.fromBytes(from, kept.get(from) ?? Buffer.alloc(0));
        resumed.pushAll(Buffer.concat(leaves.slice(from, to)));
        expect(resumed.size).toBe(to);
        expect(resumed.root()).toEqual(roots[to]);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees at large sizes around powers of two (2^k - 1, 2^k, 2^k + 1) through many resumptions', () => {
    const many = Array.from({ length: 70_000 }, (_, i) => leafHash(`big ${i}`));
    for (const size of [4095, 4096, 4097, 65_535, 65_536, 65_537, 70_000]) {
      let frontier = MerkleFrontier.empty();
      // Resume every 1,000 leaves from the bytes, as successive checkpoints would.
      for (let at = 0; at < size; at += 1000) {
        frontier = MerkleFrontier.fromBytes(frontier.size, frontier.toBytes()).pushAll(Buffer.concat(many.slice(at, Math.min(size, at + 1000))));
      }
      expect({ size, root: frontier.root().toString('hex') }).toEqual({ size, root: merkleRoot(many.slice(0, size)).toString('hex') });
    }
  });

  it('refuses a frontier that cannot be the compact range of its size, and a leaf that is not a hash', () => {
    const frontier = MerkleFrontier.empty().pushAll(Buffer.concat(leaves.slice(0, 7)));
    expect(frontier.toBytes()).toHaveLength(3 * 32);
    expect(() => MerkleFrontier.fromBytes(8, frontier.toBytes())).toThrow(new FrontierError('the frontier of a tree of 8 leaves is 1 hashes (32 bytes), not 96 bytes'));
    expect(() => MerkleFrontier.fromBytes(-1, Buffer.alloc(0))).toThrow(FrontierError);
    expect(() => frontier.push(Buffer.alloc(31))).toThrow(/a leaf hash is 32 bytes, not 31/);
    expect(() => frontier.pushAll(Buffer.alloc(33))).toThrow(/whole hashes/);
    const copy = frontier.clone().push(leaves[7] as Buffer);
    expect(frontier.size).toBe(7);
    expect(copy.root()).toEqual(merkleRoot(leaves.slice(0, 8)));
  });
});
