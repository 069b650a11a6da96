import fc from 'fast-check';
import { leafHash, sha256 } from './hashing';
import { HexMerkleRootBuilder } from './merkle-root-hex';
import { MerkleRootBuilder } from './merkle-tree';
import { EMPTY_TREE_ROOT_HEX, LEAF_INPUTS_HEX, ROOTS_HEX } from './rfc6962-test-vectors';

describe('HexMerkleRootBuilder', () => {
  it("gives RFC 6962's roots of the test vectors at every size", () => {
    const builder = new HexMerkleRootBuilder();
    expect(builder.root()).toBe(EMPTY_TREE_ROOT_HEX);
    LEAF_INPUTS_HEX.forEach((input, i) => {
      builder.push(leafHash(Buffer.from(input, 'hex')).toString('hex'));
      expect(builder.size).toBe(i + 1);
      expect(builder.root()).toBe(ROOTS_HEX[i]);
    });
  });

  it('gives the roots MerkleRootBuilder gives, leaf after leaf, whether the leaves are checked or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.boolean(), (size, checked) => {
        const bytes = new MerkleRootBuilder();
        const hex = new HexMerkleRootBuilder();
        for (let i = 0; i < size; i++) {
          const leaf = sha256(Buffer.from(`leaf ${i}`));
          bytes.push(leaf);
          if (checked) hex.push(leaf.toString('hex'));
          else hex.pushHashed(leaf.toString('hex'));
          if (hex.root() !== bytes.root().toString('hex')) return false;
        }
        return hex.size === size;
      }),
      { numRuns: 40 },
    );
  });

  it('gives the same tree when ranges aligned on a power of two are built apart and pushed as subtrees (verify by ranges)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.constantFrom(1, 2, 4, 8, 16), (size, range) => {
        const leaves = Array.from({ length: size }, (_, i) => sha256(Buffer.from(`leaf ${i}`)).toString('hex'));
        const whole = new HexMerkleRootBuilder();
        const joined = new HexMerkleRootBuilder();
        for (let from = 0; from < size; from += range) {
          const part = new HexMerkleRootBuilder();
          for (const leaf of leaves.slice(from, from + range)) {
            part.pushHashed(leaf);
            whole.pushHashed(leaf);
            // The root at every size within the range: the tree so far, then the range's frontier up to that leaf.
            if (joined.clone().pushTree(HexMerkleRootBuilder.fromFrontier(part.toFrontier())).root() !== whole.root()) return false;
          }
          joined.pushTree(part);
        }
        return joined.root() === whole.root() && joined.size === size;
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a subtree that does not start on a multiple of its size', () => {
    const builder = new HexMerkleRootBuilder().pushHashed('00'.repeat(32));
    expect(() => builder.pushSubtree('11'.repeat(32), 2)).toThrow(RangeError);
    expect(() => builder.pushSubtree('11'.repeat(32), 3)).toThrow(RangeError);
    expect(builder.size).toBe(1);
  });

  it.each(['', 'ab', 'AB'.repeat(32), `${'0'.repeat(63)}g`, '0'.repeat(66)])('refuses %j as a leaf hash, as MerkleRootBuilder refuses a hash that is not 32 bytes', (leaf) => {
    const builder = new HexMerkleRootBuilder();
    expect(() => builder.push(leaf)).toThrow(TypeError);
    expect(builder.size).toBe(0);
  });
});
