/**
 * The demo data set's only source of chance: a seeded sfc32 generator (128-bit state,
 * passes PractRand), so a seed names one data set forever. Never Math.random, never the clock.
 */

const TWO_32 = 4294967296;

/** FNV-1a of a label: separates the named streams drawn from one seed. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i += 1) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 step: spreads a seed over the four words of sfc32's state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

export function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative safe integer, not ${seed}`);
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** One independent stream per (seed, label): adding a stream elsewhere never shifts this one. */
  constructor(seed: number, label: string) {
    checkSeed(seed);
    const state = { s: (seed >>> 0) ^ hashLabel(label) };
    const high = Math.floor(seed / TWO_32) >>> 0;
    this.a = splitmix32(state);
    this.b = splitmix32(state) ^ high;
    this.c = splitmix32(state);
    this.d = 1;
    for (let i = 0; i < 15; i += 1) this.u32();
  }

  u32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / TWO_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Index drawn from cumulative weights (ascending, last = total). */
  weighted(cumulative: ArrayLike<number>): number {
    const total = cumulative[cumulative.length - 1] ?? 0;
    const x = this.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** Exactly `k` distinct indices of [0, n), in increasing order (Knuth's selection sampling). */
  choose(n: number, k: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n && out.length < k; i += 1) {
      if (this.next() * (n - i) < k - out.length) out.push(i);
    }
    return out;
  }

  /** A random UUID in canonical lower-case text, version 4 layout (what clients send). */
  uuid(): string {
    const a = this.u32();
    const b = this.u32();
    const c = this.u32();
    const d = this.u32();
    const bh = hex32(b);
    const ch = hex32(c);
    const variant = (8 + (c >>> 30)).toString(16);
    return `${hex32(a)}-${bh.slice(0, 4)}-4${bh.slice(5, 8)}-${variant}${ch.slice(1, 4)}-${ch.slice(4, 8)}${hex32(d)}`;
  }
}

export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

/**
 * Draws categories so that the running counts track target shares within a few units:
 * each draw favours the categories behind their share (mean-reverting), so a published
 * share holds exactly after rounding, for any seed and at any scale, while single draws
 * stay random. Counts of draws decided elsewhere are fed in with `record`.
 */
export class ShareTracker {
  readonly counts: Float64Array;
  total = 0;
  private readonly scores: Float64Array;

  constructor(
    readonly shares: readonly number[],
    private readonly gain = 0.5,
  ) {
    this.counts = new Float64Array(shares.length);
    this.scores = new Float64Array(shares.length);
  }

  record(category: number): void {
    this.counts[category] = (this.counts[category] ?? 0) + 1;
    this.total += 1;
  }

  draw(rng: Prng): number {
    let sum = 0;
    for (let k = 0; k < this.shares.length; k += 1) {
      const share = this.shares[k] ?? 0;
      const score = Math.max(0, share + this.gain * (share * this.total - (this.counts[k] ?? 0)));
      sum += score;
      this.scores[k] = sum;
    }
    const category = rng.weighted(this.scores);
    this.record(category);
    return category;
  }
}
