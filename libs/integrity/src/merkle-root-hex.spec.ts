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

  it.each(['', 'ab', 'AB'.repeat(32), `${'0'.repeat(63)}g`, '0'.repeat(66)])('refuses %j as a leaf hash, as MerkleRootBuilder refuses a hash that is not 32 bytes', (leaf) => {
    const builder = new HexMerkleRootBuilder();
    expect(() => builder.push(leaf)).toThrow(TypeError);
    expect(builder.size).toBe(0);
  });
});
