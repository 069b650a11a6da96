import { createHash } from 'node:crypto';
import type { RandomSource } from '@ledger/store';

/**
 * A deterministic random source for leaf v2 salts: SHA-256 of a seed and a counter. Two stores
 * given the same seed draw the same salts, so their logs can be compared byte for byte.
 */
export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  return (size) => {
    const out = Buffer.alloc(size);
    for (let at = 0; at < size; at += 32) {
      createHash('sha256').update(`${seed}:${counter}`).digest().copy(out, at);
      counter += 1;
    }
    return out;
  };
}
