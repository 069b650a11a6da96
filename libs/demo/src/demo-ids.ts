/**
 * Pseudonymous learner ids: a keyed 32-bit Feistel permutation of the learner's index, so ids
 * look random, never collide, and depend on the seed only.
 */
import { Prng } from './prng';

export class LearnerIds {
  private readonly keys: readonly number[];

  constructor(seed: number) {
    const rng = new Prng(seed, 'learner-ids');
    this.keys = [rng.u32(), rng.u32(), rng.u32(), rng.u32()];
  }

  of(index: number): string {
    let left = (index >>> 16) & 0xffff;
    let right = index & 0xffff;
    for (const key of this.keys) {
      let f = Math.imul(right ^ key, 0x9e3779b1);
      f ^= f >>> 15;
      f = Math.imul(f, 0x85ebca77);
      const next = (left ^ (f >>> 16)) & 0xffff;
      left = right;
      right = next;
    }
    const value = left * 65536 + right;
    return `lrn-${value.toString(36).padStart(7, '0')}`;
  }
}
