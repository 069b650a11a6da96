import { Prng, ShareTracker } from './prng';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Prng', () => {
  it('is a pure function of seed and stream label', () => {
    const draw = (seed: number, label: string) => Array.from({ length: 5 }, ((rng) => () => rng.u32())(new Prng(seed, label)));
    expect(draw(7, 'a')).toEqual(draw(7, 'a'));
    expect(draw(7, 'a')).not.toEqual(draw(8, 'a'));
    expect(draw(7, 'a')).not.toEqual(draw(7, 'b'));
    expect(draw(2 ** 40, 'a')).not.toEqual(draw(0, 'a'));
  });

  it('makes lower-case UUIDs in the version 4 layout', () => {
    const rng = new Prng(1, 'ids');
    const ids = Array.from({ length: 2000 }, () => rng.uuid());
    ids.forEach((id) => expect(id).toMatch(UUID_V4));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('chooses exactly k of n, in order', () => {
    const rng = new Prng(3, 'choose');
    for (const [n, k] of [[10, 0], [10, 10], [1000, 137]] as const) {
      const chosen = rng.choose(n, k);
      expect(chosen).toHaveLength(k);
      expect([...chosen].sort((a, b) => a - b)).toEqual(chosen);
      expect(new Set(chosen).size).toBe(k);
    }
  });

  it('refuses seeds that are not non-negative safe integers', () => {
    expect(() => new Prng(-1, 'x')).toThrow(RangeError);
    expect(() => new Prng(1.5, 'x')).toThrow(RangeError);
  });
});

describe('ShareTracker', () => {
  it('keeps counts within a few units of their shares, even after decided draws', () => {
    const rng = new Prng(5, 'tracker');
    const shares = [0.49, 0.3, 0.15, 0.06];
    const tracker = new ShareTracker(shares);
    for (let i = 0; i < 500; i += 1) tracker.record(0); // decided elsewhere
    for (let i = 0; i < 20_000; i += 1) tracker.draw(rng);
    shares.forEach((share, k) => expect(Math.abs((tracker.counts[k] ?? 0) - share * tracker.total)).toBeLessThan(5));
  });
});
