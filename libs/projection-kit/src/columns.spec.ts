import { LearnerIndex } from './columns';

describe('LearnerIndex', () => {
  const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `lrn-${(i * 7919).toString(36).padStart(7, '0')}`);

  it('interns ids to 0..n-1 in order of first sight, and finds them again', () => {
    const index = LearnerIndex.empty();
    const all = ids(5000); // past the first table and the first byte array: both grow
    for (const id of all) index.intern(id);
    for (const id of all) index.intern(id); // seen: the same index, nothing added
    expect(index.size).toBe(5000);
    const indexes = all.map((_, i) => i);
    expect(all.map((id) => index.find(id))).toEqual(indexes);
    expect(all.map((id) => index.intern(id))).toEqual(indexes);
    expect(indexes.map((i) => index.idOf(i))).toEqual(all);
    expect(index.find('lrn-unknown')).toBe(-1);
    expect(index.find('')).toBe(-1);
    expect(() => index.idOf(5000)).toThrow(RangeError);
    expect(() => index.idOf(-1)).toThrow(RangeError);
  });

  it('stores the ids as UTF-8, one a line, and reads them back without a change', () => {
    const index = LearnerIndex.empty();
    for (const id of ['lrn-a', 'lrn-é', 'lrn-b', 'lrn-日本']) index.intern(id);
    const stored = index.toJson();
    expect(stored.count).toBe(4);
    expect(new TextDecoder().decode(stored.ids)).toBe('lrn-a\nlrn-é\nlrn-b\nlrn-日本');
    const back = LearnerIndex.fromJson({ count: stored.count, ids: Uint8Array.from(stored.ids) });
    expect(back.idOf(3)).toBe('lrn-日本');
    expect(back.find('lrn-é')).toBe(1);
    expect(back.find('lrn-e')).toBe(-1);
    expect(back.intern('lrn-日本')).toBe(3);
  });

  it('reads the form the index stored before (ids joined by newlines, encoded as UTF-8)', () => {
    const before = ['lrn-0000001', 'lrn-zzzzzzz', 'lrn-ü'];
    const index = LearnerIndex.fromJson({ count: 3, ids: new TextEncoder().encode(before.join('\n')) });
    expect(before.map((id) => index.find(id))).toEqual([0, 1, 2]);
    expect(LearnerIndex.fromJson({ count: 0, ids: new Uint8Array(0) }).find('lrn-a')).toBe(-1);
  });

  it('copies loaded bytes before interning: the stored state it was read from is left as it was', () => {
    const stored = new TextEncoder().encode('lrn-a\nlrn-b');
    const copy = Uint8Array.from(stored);
    const index = LearnerIndex.fromJson({ count: 2, ids: stored });
    expect(index.intern('lrn-c')).toBe(2);
    expect(index.intern('lrn-a')).toBe(0);
    expect(stored).toEqual(copy);
    expect(new TextDecoder().decode(index.toJson().ids)).toBe('lrn-a\nlrn-b\nlrn-c');
  });

  it('refuses stored ids whose count is not the one recorded', () => {
    expect(() => LearnerIndex.fromJson({ count: 3, ids: new TextEncoder().encode('lrn-a\nlrn-b') }).find('lrn-a')).toThrow(/holds 2 ids where it says 3/);
  });
});
