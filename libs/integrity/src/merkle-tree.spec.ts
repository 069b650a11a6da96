import fc from 'fast-check';
import { leafHash, nodeHash, sha256 } from './hashing';
import {
  EMPTY_ROOT,
  MerkleRootBuilder,
  consistencyProof,
  hashFromHex,
  inclusionProof,
  merkleRoot,
  rootFromInclusionProof,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from './merkle-tree';
import {
  COMPACT_TREES,
  CONSISTENCY_NODES,
  CONSISTENCY_PROOFS,
  EMPTY_TREE_ROOT_HEX,
  INCLUSION_NODES,
  INCLUSION_PROOFS,
  LEAF_INPUTS_HEX,
  NODE_HASHES_HEX,
  ROOTS_HEX,
  SOME_HASH_HEX,
  type ProofNode,
} from './rfc6962-test-vectors';

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`no item ${index} of ${items.length}`);
  return item;
}

const hex = (h: string): Buffer => Buffer.from(h, 'hex');
const hexes = (hs: readonly string[]): Buffer[] => hs.map(hex);
const hexOf = (hs: readonly Uint8Array[]): string[] => hs.map(toHex);

function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  const byte = Math.floor(bit / 8);
  copy[byte] = (copy[byte] ?? 0) ^ (1 << (bit % 8));
  return copy;
}

// ---- Reference algorithms written straight from the RFC 6962 §2.1 recursions ----

function splitOf(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function refRoot(d: readonly Buffer[]): Buffer {
  if (d.length === 0) return sha256();
  if (d.length === 1) return at(d, 0);
  const k = splitOf(d.length);
  return nodeHash(refRoot(d.slice(0, k)), refRoot(d.slice(k)));
}

function refPath(m: number, d: readonly Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const k = splitOf(d.length);
  return m < k
    ? [...refPath(m, d.slice(0, k)), refRoot(d.slice(k))]
    : [...refPath(m - k, d.slice(k)), refRoot(d.slice(0, k))];
}

function refSubproof(m: number, d: readonly Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [refRoot(d)];
  const k = splitOf(d.length);
  return m <= k
    ? [...refSubproof(m, d.slice(0, k), b), refRoot(d.slice(k))]
    : [...refSubproof(m - k, d.slice(k), false), refRoot(d.slice(0, k))];
}

/** Which side each PATH element sits on, from the leaf up: all a verifier learns from a size. */
function pathShape(m: number, n: number): string {
  if (n <= 1) return '';
  const k = splitOf(n);
  return m < k ? `${pathShape(m, k)}R` : `${pathShape(m - k, n - k)}L`;
}

// ---- Published vectors ----

const vectorLeaves = LEAF_INPUTS_HEX.map((input) => leafHash(hex(input)));
const nodeHex = (level: number, index: number): string => at(at(NODE_HASHES_HEX, level), index);

function resolveNode(node: ProofNode): string {
  if ('rehash' in node) {
    // proof.Nodes.Rehash: hash = HashChildren(next, hash), folding left to right.
    const [first, ...rest] = node.rehash;
    if (first === undefined) throw new Error('empty rehash');
    let hash = hex(nodeHex(first[0], first[1]));
    for (const [level, index] of rest) hash = nodeHash(hex(nodeHex(level, index)), hash);
    return toHex(hash);
  }
  return nodeHex(node[0], node[1]);
}

const rootHex = (size: number): string => (size === 0 ? EMPTY_TREE_ROOT_HEX : at(ROOTS_HEX, size - 1));

type InclusionProbe = { desc: string; index: number; size: number; leaf: Uint8Array; proof: Uint8Array[]; root: Uint8Array };

/** transparency-dev/merkle proof/verify_test.go corruptInclusionProof, ported. */
function corruptInclusion(index: number, size: number, proof: Buffer[], root: Buffer, leaf: Buffer): InclusionProbe[] {
  const someHash = hex(SOME_HASH_HEX);
  const emptyRoot = hex(EMPTY_TREE_ROOT_HEX);
  const probes: InclusionProbe[] = [
    { desc: 'leafIndex - 1', index: index - 1, size, leaf, proof, root },
    { desc: 'leafIndex + 1', index: index + 1, size, leaf, proof, root },
    { desc: 'leafIndex ^ 2', index: index ^ 2, size, leaf, proof, root },
    { desc: 'treeSize * 2', index, size: size * 2, leaf, proof, root },
    { desc: 'treeSize / 2', index, size: Math.floor(size / 2), leaf, proof, root },
    { desc: 'wrong leaf', index, size, leaf: Buffer.from('WrongLeaf'), proof, root },
    { desc: 'empty root', index, size, leaf, proof, root: emptyRoot },
    { desc: 'random root', index, size, leaf, proof, root: someHash },
    { desc: 'trailing garbage', index, size, leaf, proof: [...proof, Buffer.alloc(0)], root },
    { desc: 'trailing root', index, size, leaf, proof: [...proof, root], root },
    { desc: 'preceding garbage', index, size, leaf, proof: [Buffer.alloc(0), ...proof], root },
    { desc: 'preceding root', index, size, leaf, proof: [root, ...proof], root },
  ];
  proof.forEach((_, i) => {
    const wrong = proof.map((h, j) => (j === i ? flipBit(h, 3) : h)); // proof[i][0] ^= 8
    probes.push({ desc: `modified proof[${i}] bit 3`, index, size, leaf, proof: wrong, root });
  });
  if (proof.length > 0) probes.push({ desc: 'removed component', index, size, leaf, proof: proof.slice(0, -1), root });
  if (proof.length > 1) {
    probes.push({ desc: 'inserted component', index, size, leaf, proof: [at(proof, 0), someHash, ...proof.slice(1)], root });
  }
  return probes;
}

type ConsistencyProbe = { desc: string; size1: number; size2: number; root1: Uint8Array; root2: Uint8Array; proof: Uint8Array[] };

/** transparency-dev/merkle proof/verify_test.go corruptConsistencyProof, ported. */
function corruptConsistency(size1: number, size2: number, root1: Buffer, root2: Buffer, proof: Buffer[]): ConsistencyProbe[] {
  const wrongRoot = Buffer.from('WrongRoot');
  const probes: ConsistencyProbe[] = [
    { desc: 'size1 - 1', size1: size1 - 1, size2, root1, root2, proof },
    { desc: 'size1 + 1', size1: size1 + 1, size2, root1, root2, proof },
    { desc: 'size1 ^ 2', size1: size1 ^ 2, size2, root1, root2, proof },
    { desc: 'size2 * 2', size1, size2: size2 * 2, root1, root2, proof },
    { desc: 'size2 / 2', size1, size2: Math.floor(size2 / 2), root1, root2, proof },
    { desc: 'wrong root1', size1, size2, root1: wrongRoot, root2, proof },
    { desc: 'wrong root2', size1, size2, root1, root2: wrongRoot, proof },
    { desc: 'swapped roots', size1, size2, root1: root2, root2: root1, proof },
    { desc: 'empty proof', size1, size2, root1, root2, proof: [] },
    { desc: 'trailing garbage', size1, size2, root1, root2, proof: [...proof, Buffer.alloc(0)] },
    { desc: 'trailing root1', size1, size2, root1, root2, proof: [...proof, root1] },
    { desc: 'trailing root2', size1, size2, root1, root2, proof: [...proof, root2] },
    { desc: 'preceding garbage', size1, size2, root1, root2, proof: [Buffer.alloc(0), ...proof] },
    { desc: 'preceding root1', size1, size2, root1, root2, proof: [root1, ...proof] },
    { desc: 'preceding root2', size1, size2, root1, root2, proof: [root2, ...proof] },
    { desc: 'preceding proof[0]', size1, size2, root1, root2, proof: [at(proof, 0), ...proof] },
  ];
  if (proof.length > 0) probes.push({ desc: 'truncated proof', size1, size2, root1, root2, proof: proof.slice(0, -1) });
  proof.forEach((_, i) => {
    const wrong = proof.map((h, j) => (j === i ? flipBit(h, 4) : h)); // proof[i][0] ^= 16
    probes.push({ desc: `modified proof[${i}] bit 4`, size1, size2, root1, root2, proof: wrong });
  });
  return probes;
}

describe('RFC 6962 Merkle tree: published test vectors', () => {
  it('hashes the leaf inputs to the published level-0 node hashes', () => {
    expect(hexOf(vectorLeaves)).toEqual(NODE_HASHES_HEX[0]);
  });

  it('computes the published roots for sizes 0..8, by MTH and by the streaming builder', () => {
    expect(toHex(EMPTY_ROOT)).toBe(EMPTY_TREE_ROOT_HEX);
    const builder = new MerkleRootBuilder();
    expect(toHex(builder.root())).toBe(EMPTY_TREE_ROOT_HEX);
    for (let size = 0; size <= 8; size++) {
      if (size > 0) builder.push(at(vectorLeaves, size - 1));
      expect(toHex(merkleRoot(vectorLeaves.slice(0, size)))).toBe(rootHex(size));
      expect(toHex(merkleRoot((i) => at(vectorLeaves, i), size))).toBe(rootHex(size));
      expect(toHex(builder.root())).toBe(rootHex(size));
      expect(builder.size).toBe(size);
    }
  });

  it('computes every published complete-subtree hash', () => {
    NODE_HASHES_HEX.forEach((level, l) => {
      level.forEach((expected, i) => {
        const width = 2 ** l;
        expect(toHex(merkleRoot(vectorLeaves.slice(i * width, (i + 1) * width)))).toBe(expected);
      });
    });
  });

  it('keeps exactly the published compact trees as its streaming frontier', () => {
    const builder = new MerkleRootBuilder();
    COMPACT_TREES.forEach((expected, size) => {
      if (size > 0) builder.push(at(vectorLeaves, size - 1));
      expect(hexOf(builder.frontier())).toEqual(expected.map(([level, index]) => nodeHex(level, index)));
    });
  });

  describe.each(INCLUSION_PROOFS.filter((v) => v.leaf > 0))('inclusion of leaf $leaf (1-based) in size $size', (v) => {
    const index = v.leaf - 1;
    const root = hex(rootHex(v.size));
    const leaf = at(vectorLeaves, index);
    const proof = hexes(v.proof);

    it('generates the published proof', () => {
      expect(hexOf(inclusionProof(vectorLeaves, index, v.size))).toEqual(v.proof);
    });

    it('verifies it, reaching the published root', () => {
      expect(rootFromInclusionProof(leaf, index, v.size, proof)).toEqual(root);
      expect(verifyInclusion(leaf, index, v.size, proof, root)).toBe(true);
    });

    it('refuses every corruption from verify_test.go', () => {
      const accepted = corruptInclusion(index, v.size, proof, root, leaf)
        .filter((p) => verifyInclusion(p.leaf, p.index, p.size, p.proof, p.root))
        .map((p) => p.desc);
      expect(accepted).toEqual([]);
    });
  });

  it('has no proof for the published invalid path (leaf 0, size 0)', () => {
    const invalid = at(INCLUSION_PROOFS, 0);
    expect(invalid).toEqual({ leaf: 0, size: 0, proof: [] });
    expect(() => inclusionProof(vectorLeaves, invalid.leaf - 1, invalid.size)).toThrow(RangeError);
    expect(verifyInclusion(at(vectorLeaves, 0), invalid.leaf - 1, invalid.size, [], EMPTY_ROOT)).toBe(false);
  });

  describe.each(CONSISTENCY_PROOFS)('consistency from size $size1 to size $size2', (v) => {
    const root1 = hex(rootHex(v.size1));
    const root2 = hex(rootHex(v.size2));
    const proof = hexes(v.proof);

    it('generates the published proof', () => {
      expect(hexOf(consistencyProof(vectorLeaves, v.size1, v.size2))).toEqual(v.proof);
    });

    it('verifies it', () => {
      expect(verifyConsistency(v.size1, v.size2, root1, root2, proof)).toBe(true);
    });

    it('refuses every corruption from verify_test.go', () => {
      // verify_test.go only corrupts non-trivial proofs (size1 != size2).
      const probes = proof.length === 0 ? [] : corruptConsistency(v.size1, v.size2, root1, root2, proof);
      const accepted = probes.filter((p) => verifyConsistency(p.size1, p.size2, p.root1, p.root2, p.proof)).map((p) => p.desc);
      expect(accepted).toEqual([]);
    });
  });

  it.each(INCLUSION_NODES)('builds the inclusion proof proof_test.go lists for index $index in size $size', (c) => {
    if (c.want === 'error') {
      expect(() => inclusionProof(vectorLeaves, c.index, c.size)).toThrow(RangeError);
    } else {
      expect(hexOf(inclusionProof(vectorLeaves, c.index, c.size))).toEqual(c.want.map(resolveNode));
    }
  });

  it.each(CONSISTENCY_NODES)('builds the consistency proof proof_test.go lists for $size1 -> $size2', (c) => {
    if (c.want === 'error') {
      expect(() => consistencyProof(vectorLeaves, c.size1, c.size2)).toThrow(RangeError);
    } else {
      expect(hexOf(consistencyProof(vectorLeaves, c.size1, c.size2))).toEqual(c.want.map(resolveNode));
    }
  });

  it('refuses the fixed invalid inclusion probes of verify_test.go', () => {
    const someHash = hex(SOME_HASH_HEX);
    const emptyRoot = hex(EMPTY_TREE_ROOT_HEX);
    const nothing = Buffer.alloc(0);
    for (const [index, size] of [[0, 0], [0, 1], [1, 0], [2, 1]] as const) {
      expect(verifyInclusion(someHash, index, size, [], nothing)).toBe(false);
      expect(verifyInclusion(nothing, index, size, [], emptyRoot)).toBe(false);
      expect(verifyInclusion(someHash, index, size, [], emptyRoot)).toBe(false);
    }
    // TestVerifyInclusionSingleEntry: a one-leaf tree's root is its leaf hash.
    const single = leafHash(Buffer.from('data'));
    expect(verifyInclusion(single, 0, 1, [], single)).toBe(true);
    expect(verifyInclusion(nothing, 0, 1, [], single)).toBe(false);
    expect(verifyInclusion(single, 0, 1, [], nothing)).toBe(false);
    expect(verifyInclusion(nothing, 0, 1, [], nothing)).toBe(false);
  });

  it('refuses the fixed invalid consistency cases of verify_test.go', () => {
    const root1 = Buffer.from("don't care 1");
    const root2 = Buffer.from("don't care 2");
    const emptyRoot = hex(EMPTY_TREE_ROOT_HEX);
    const proof2 = [emptyRoot];
    const refused: [number, number, Buffer, Buffer, Buffer[]][] = [
      [0, 0, root1, root2, []],
      [1, 1, root1, root2, []],
      [1, 0, root1, root2, []], // time travel to the past
      [2, 1, root1, root2, []],
      [1, 2, root1, root2, []], // empty proof
      [0, 0, emptyRoot, root2, []], // roots don't match
      [1, 1, emptyRoot, root2, []],
      [0, 0, emptyRoot, emptyRoot, proof2], // roots match but the proof is not empty
      [0, 1, emptyRoot, emptyRoot, proof2],
      [1, 1, emptyRoot, emptyRoot, proof2],
    ];
    for (const [size1, size2, r1, r2, proof] of refused) {
      expect(verifyConsistency(size1, size2, r1, r2, proof)).toBe(false);
    }
  });

  it('accepts the always-consistent sizes, but only with well-formed roots (stricter than verify_test.go)', () => {
    // verify_test.go accepts (0,0), (0,1) and (1,1) with 12-byte "don't care" roots; here a root
    // must be 32 bytes and the empty tree's root must be SHA-256(""), since a caller holding
    // anything else is holding a corrupted checkpoint.
    const root1 = Buffer.from("don't care 1");
    const root2 = Buffer.from("don't care 2");
    expect(verifyConsistency(0, 0, root1, root1, [])).toBe(false);
    expect(verifyConsistency(0, 1, root1, root2, [])).toBe(false);
    expect(verifyConsistency(1, 1, root2, root2, [])).toBe(false);
    const one = hex(rootHex(1));
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(true);
    expect(verifyConsistency(0, 1, EMPTY_ROOT, one, [])).toBe(true);
    expect(verifyConsistency(1, 1, one, one, [])).toBe(true);
    expect(verifyConsistency(0, 1, one, one, [])).toBe(false);
  });
});

// ---- Properties over generated logs ----

const MAX_LEAVES = 300;
const leaves: Buffer[] = Array.from({ length: MAX_LEAVES }, (_, i) => leafHash(`event ${i}`));
const rootOfSize: Buffer[] = Array.from({ length: MAX_LEAVES + 1 }, (_, n) => refRoot(leaves.slice(0, n)));
const rootAt = (size: number): Buffer => at(rootOfSize, size);

const PROPERTY_MAX = 260; // crosses 256, where a complete subtree gains a level
const indexAndSize = fc
  .integer({ min: 1, max: PROPERTY_MAX })
  .chain((size) => fc.tuple(fc.integer({ min: 0, max: size - 1 }), fc.constant(size)));
const oldAndNewSize = fc
  .integer({ min: 0, max: PROPERTY_MAX })
  .chain((newSize) => fc.tuple(fc.integer({ min: 0, max: newSize }), fc.constant(newSize)));
const nonTrivialSizes = fc
  .integer({ min: 2, max: PROPERTY_MAX })
  .chain((newSize) => fc.tuple(fc.integer({ min: 1, max: newSize - 1 }), fc.constant(newSize)));
const anyHash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes));
const RUNS = { numRuns: 300 };

describe('RFC 6962 Merkle tree: properties', () => {
  it('streams the same root as MTH for every size 0..300', () => {
    const builder = new MerkleRootBuilder();
    for (let size = 0; size <= MAX_LEAVES; size++) {
      if (size > 0) builder.push(at(leaves, size - 1));
      expect(builder.root()).toEqual(merkleRoot(leaves.slice(0, size)));
      expect(builder.root()).toEqual(rootAt(size));
      expect(builder.frontier()).toHaveLength([...size.toString(2)].filter((b) => b === '1').length);
    }
  });

  it('generates, for every pair up to size 40, the proofs of the RFC recursion, and they verify', () => {
    for (let size = 1; size <= 40; size++) {
      const d = leaves.slice(0, size);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(leaves, index, size);
        expect(proof).toEqual(refPath(index, d));
        expect(verifyInclusion(at(leaves, index), index, size, proof, rootAt(size))).toBe(true);
      }
      for (let oldSize = 0; oldSize <= size; oldSize++) {
        const proof = consistencyProof(leaves, oldSize, size);
        expect(proof).toEqual(oldSize === 0 ? [] : refSubproof(oldSize, d, true));
        expect(verifyConsistency(oldSize, size, rootAt(oldSize), rootAt(size), proof)).toBe(true);
      }
    }
  });

  it('generates proofs that match the RFC recursion and verify, up to size 260', () => {
    fc.assert(
      fc.property(indexAndSize, ([index, size]) => {
        const proof = inclusionProof(leaves, index, size);
        expect(proof).toEqual(refPath(index, leaves.slice(0, size)));
        expect(inclusionProof((i) => at(leaves, i), index, size)).toEqual(proof);
        expect(verifyInclusion(at(leaves, index), index, size, proof, rootAt(size))).toBe(true);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(oldAndNewSize, ([oldSize, newSize]) => {
        const proof = consistencyProof(leaves, oldSize, newSize);
        expect(proof).toEqual(oldSize === 0 ? [] : refSubproof(oldSize, leaves.slice(0, newSize), true));
        expect(consistencyProof((i) => at(leaves, i), oldSize, newSize)).toEqual(proof);
        expect(verifyConsistency(oldSize, newSize, rootAt(oldSize), rootAt(newSize), proof)).toBe(true);
      }),
      RUNS,
    );
  });

  it('refuses an inclusion proof for any other index, including off by one', () => {
    fc.assert(
      fc.property(indexAndSize, fc.nat(), ([index, size], pick) => {
        const proof = inclusionProof(leaves, index, size);
        const root = rootAt(size);
        const leaf = at(leaves, index);
        expect(verifyInclusion(leaf, index - 1, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index + 1, size, proof, root)).toBe(false);
        const other = pick % size;
        expect(verifyInclusion(leaf, other, size, proof, root)).toBe(other === index);
      }),
      RUNS,
    );
  });

  it('refuses an inclusion proof checked against a wrong size unless that size gives the same path shape', () => {
    // A size only tells the verifier the left/right pattern of the path; where two sizes
    // share it (e.g. index 0 in sizes 3 and 4) the verifier cannot tell them apart, which is
    // why a checkpoint must authenticate size and root together.
    expect(verifyInclusion(at(leaves, 0), 0, 4, inclusionProof(leaves, 0, 3), rootAt(3))).toBe(true);
    fc.assert(
      fc.property(indexAndSize, fc.integer({ min: 0, max: PROPERTY_MAX + 1 }), ([index, size], wrongSize) => {
        fc.pre(wrongSize !== size);
        const proof = inclusionProof(leaves, index, size);
        const sameShape = index < wrongSize && pathShape(index, wrongSize) === pathShape(index, size);
        expect(verifyInclusion(at(leaves, index), index, wrongSize, proof, rootAt(size))).toBe(sameShape);
        expect(verifyInclusion(at(leaves, index), index, size + 1, proof, rootAt(size + 1))).toBe(false);
      }),
      RUNS,
    );
  });

  it('refuses an inclusion proof with a flipped bit in any hash, in the root or in the leaf', () => {
    fc.assert(
      fc.property(indexAndSize, fc.nat(), fc.integer({ min: 0, max: 255 }), ([index, size], which, bit) => {
        const proof = inclusionProof(leaves, index, size);
        const root = rootAt(size);
        const leaf = at(leaves, index);
        if (proof.length > 0) {
          const i = which % proof.length;
          const flipped = proof.map((h, j) => (j === i ? flipBit(h, bit) : h));
          expect(verifyInclusion(leaf, index, size, flipped, root)).toBe(false);
        }
        expect(verifyInclusion(leaf, index, size, proof, flipBit(root, bit))).toBe(false);
        expect(verifyInclusion(flipBit(leaf, bit), index, size, proof, root)).toBe(false);
      }),
      RUNS,
    );
  });

  it('refuses an inclusion proof with a hash appended, prepended or removed', () => {
    fc.assert(
      fc.property(indexAndSize, anyHash, ([index, size], extra) => {
        const proof = inclusionProof(leaves, index, size);
        const root = rootAt(size);
        const leaf = at(leaves, index);
        expect(verifyInclusion(leaf, index, size, [...proof, extra], root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, [...proof, root], root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, [extra, ...proof], root)).toBe(false);
        if (proof.length > 0) {
          expect(verifyInclusion(leaf, index, size, proof.slice(0, -1), root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.slice(1), root)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('refuses a consistency proof with swapped sizes', () => {
    fc.assert(
      fc.property(nonTrivialSizes, ([oldSize, newSize]) => {
        const proof = consistencyProof(leaves, oldSize, newSize);
        expect(verifyConsistency(newSize, oldSize, rootAt(oldSize), rootAt(newSize), proof)).toBe(false);
        expect(verifyConsistency(newSize, oldSize, rootAt(newSize), rootAt(oldSize), proof)).toBe(false);
      }),
      RUNS,
    );
  });

  it('refuses a consistency proof against a wrong or forked old root, or a forked new root', () => {
    fc.assert(
      fc.property(nonTrivialSizes, fc.nat(), fc.nat(), ([oldSize, newSize], otherPick, forkPick) => {
        const proof = consistencyProof(leaves, oldSize, newSize);
        const newRoot = rootAt(newSize);
        const otherOld = otherPick % newSize; // any other size's root is some other tree's root
        if (otherOld !== oldSize) {
          expect(verifyConsistency(oldSize, newSize, rootAt(otherOld), newRoot, proof)).toBe(false);
        }
        // A log that rewrote one of the first oldSize events: its old root differs.
        const forkAt = forkPick % oldSize;
        const forked = leaves.slice(0, newSize);
        forked[forkAt] = leafHash(`rewritten ${forkAt}`);
        const forkedOldRoot = merkleRoot(forked.slice(0, oldSize));
        const forkedNewRoot = merkleRoot(forked);
        expect(verifyConsistency(oldSize, newSize, forkedOldRoot, newRoot, proof)).toBe(false);
        expect(verifyConsistency(oldSize, newSize, rootAt(oldSize), forkedNewRoot, proof)).toBe(false);
        // And the forked log's own proof does not bridge the honest old root either.
        const forkedProof = consistencyProof(forked, oldSize, newSize);
        expect(verifyConsistency(oldSize, newSize, rootAt(oldSize), forkedNewRoot, forkedProof)).toBe(false);
        expect(verifyConsistency(oldSize, newSize, forkedOldRoot, forkedNewRoot, forkedProof)).toBe(true);
      }),
      RUNS,
    );
  });

  it('refuses a consistency proof with a flipped bit, or a hash appended, prepended or removed', () => {
    fc.assert(
      fc.property(nonTrivialSizes, fc.nat(), fc.integer({ min: 0, max: 255 }), anyHash, ([oldSize, newSize], which, bit, extra) => {
        const proof = consistencyProof(leaves, oldSize, newSize);
        const oldRoot = rootAt(oldSize);
        const newRoot = rootAt(newSize);
        const i = which % proof.length;
        const flipped = proof.map((h, j) => (j === i ? flipBit(h, bit) : h));
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, flipped)).toBe(false);
        expect(verifyConsistency(oldSize, newSize, flipBit(oldRoot, bit), newRoot, proof)).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, flipBit(newRoot, bit), proof)).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, [...proof, extra])).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, [extra, ...proof])).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof.slice(0, -1))).toBe(false);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof.slice(1))).toBe(false);
      }),
      RUNS,
    );
  });

  it('never throws from a verifier, whatever it is given', () => {
    const anyInput = fc.oneof(
      fc.anything(),
      fc.integer({ min: -3, max: 2 ** 53 + 2 }),
      fc.double(),
      anyHash,
      fc.array(fc.oneof(anyHash, fc.anything()), { maxLength: 70 }),
    );
    fc.assert(
      fc.property(anyInput, anyInput, anyInput, anyInput, anyInput, (a, b, c, d, e) => {
        type Inclusion = Parameters<typeof verifyInclusion>;
        type Consistency = Parameters<typeof verifyConsistency>;
        expect(typeof verifyInclusion(...([a, b, c, d, e] as unknown as Inclusion))).toBe('boolean');
        expect(typeof verifyConsistency(...([a, b, c, d, e] as unknown as Consistency))).toBe('boolean');
        const root = rootFromInclusionProof(...([a, b, c, d] as unknown as Parameters<typeof rootFromInclusionProof>));
        expect(root === null || Buffer.isBuffer(root)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses malformed sizes and hashes outright', () => {
    const proof = inclusionProof(leaves, 5, 10);
    const root = rootAt(10);
    const leaf = at(leaves, 5);
    for (const size of [0, -10, 10.5, Number.NaN, Infinity, 2 ** 53]) {
      expect(verifyInclusion(leaf, 5, size, proof, root)).toBe(false);
    }
    expect(verifyInclusion(leaf, 10, 10, proof, root)).toBe(false);
    expect(verifyInclusion(leaf.subarray(0, 31), 5, 10, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, 5, 10, proof, Buffer.concat([root, Buffer.alloc(1)]))).toBe(false);
    expect(verifyInclusion(leaf, 5, 10, [...proof.slice(0, -1), toHex(at(proof, proof.length - 1))] as unknown as Uint8Array[], root)).toBe(false);
    // Look-alikes of a hash (a plain array of its bytes, a shorter buffer) are not hashes.
    expect(verifyInclusion(leaf, 5, 10, proof, Array.from(root) as unknown as Uint8Array)).toBe(false);
    expect(verifyInclusion(Array.from(leaf) as unknown as Uint8Array, 5, 10, proof, root)).toBe(false);
    expect(rootFromInclusionProof(leaf, 5, 10, proof)).toEqual(root);
    expect(rootFromInclusionProof(leaf, 5, 10, [...proof, root])).toBeNull(); // a node past the root
    expect(rootFromInclusionProof(leaf, 5, 10, [...proof.slice(0, -1), at(proof, proof.length - 1).subarray(1)])).toBeNull();
    expect(verifyConsistency(3, 10, Array.from(rootAt(3)) as unknown as Uint8Array, root, consistencyProof(leaves, 3, 10))).toBe(false);
    const cProof = consistencyProof(leaves, 3, 10);
    for (const [m, n] of [[-1, 10], [3, 10.5], [Number.NaN, 10], [3, Infinity]] as const) {
      expect(verifyConsistency(m, n, rootAt(3), root, cProof)).toBe(false);
    }
  });

  it('handles sizes beyond 2^32 without 32-bit truncation', () => {
    // Two complete subtrees of 2^32 leaves each and one leaf: the RFC 6962 shape of a log of
    // 2^33 + 1 leaves seen from its last leaf is [root of the first 2^33]. The verifier must
    // walk the size with arithmetic, not 32-bit bit operators.
    const big = 2 ** 33;
    const left = leafHash('stand-in for the root of the first 2^33 leaves');
    const last = leafHash('the last leaf');
    expect(verifyInclusion(last, big, big + 1, [left], nodeHash(left, last))).toBe(true);
    expect(verifyInclusion(last, big, big + 2, [left], nodeHash(left, last))).toBe(false);
    expect(verifyConsistency(big, big + 1, left, nodeHash(left, last), [last])).toBe(true);
  });

  it('rejects bad arguments when generating', () => {
    expect(() => inclusionProof(leaves, 0, 0)).toThrow(RangeError);
    expect(() => inclusionProof(leaves, 3, 3)).toThrow(RangeError);
    expect(() => inclusionProof(leaves, 0, MAX_LEAVES + 1)).toThrow(RangeError);
    expect(() => consistencyProof(leaves, 5, 4)).toThrow(RangeError);
    expect(() => consistencyProof(leaves, -1, 4)).toThrow(RangeError);
    expect(() => merkleRoot((i) => at(leaves, i))).toThrow(RangeError); // a function needs a size
    expect(() => new MerkleRootBuilder().push(Buffer.alloc(31))).toThrow(TypeError);
    expect(() => merkleRoot([Buffer.alloc(31)])).toThrow(TypeError);
  });

  it('reads hashes from hex strictly', () => {
    const root = rootAt(7);
    expect(hashFromHex(toHex(root))).toEqual(root);
    expect(hashFromHex(toHex(root).toUpperCase())).toEqual(root);
    for (const bad of ['', 'zz'.repeat(32), toHex(root).slice(1), `${toHex(root)}00`, 42, null]) {
      expect(hashFromHex(bad)).toBeNull();
    }
  });
});
