import { Column, LearnerIndex } from '@ledger/projection-kit';
import { decodeState, encodeState } from './state-encoding';

describe('projection states stored as JSON and bytes', () => {
  it('takes byte arrays out of the JSON and gives them back, each aligned for any typed column', () => {
    const odd = new Uint8Array([1, 2, 3]);
    const floats = new Column(Float64Array);
    [0.5, -1, 1e15].forEach((v) => floats.push(v));
    const learners = LearnerIndex.empty();
    ['a', 'lrn-b', 'c.d_e-f'].forEach((id) => learners.intern(id));
    const { json, bytes } = encodeState({ small: { n: 1, text: 'x' }, odd, floats: floats.toJson(), learners: learners.toJson() });
    expect(json).not.toContain('0.5'); // the column is not in the JSON text
    const back = decodeState(json, bytes) as { small: unknown; odd: Uint8Array; floats: Uint8Array; learners: ReturnType<LearnerIndex['toJson']> };
    expect(back.small).toEqual({ n: 1, text: 'x' });
    expect([...back.odd]).toEqual([1, 2, 3]);
    expect(back.floats.byteOffset % 8).toBe(0);
    expect([...Column.fromJson(Float64Array, back.floats).values()]).toEqual([0.5, -1, 1e15]);
    const index = LearnerIndex.fromJson(back.learners);
    expect(index.size).toBe(3);
    expect([index.idOf(0), index.idOf(2), index.find('lrn-b')]).toEqual(['a', 'c.d_e-f', 1]);
  });

  it('stores a plain JSON state as it is', () => {
    const { json, bytes } = encodeState({ byDay: { '2020-01-01': { data: 3 } } });
    expect(bytes.byteLength).toBe(0);
    expect(decodeState(json, null)).toEqual({ byDay: { '2020-01-01': { data: 3 } } });
  });

  it('refuses a state that refers to bytes it does not hold', () => {
    const { json } = encodeState({ column: new Uint8Array(16) });
    expect(() => decodeState(json, new Uint8Array(8))).toThrow('refers to bytes 0+16');
  });

  it('refuses a state that refers to bytes when none were stored', () => {
    const { json } = encodeState({ column: new Uint8Array(4) });
    expect(() => decodeState(json, null)).toThrow('refers to bytes 0+4');
  });

  it('keeps a state loaded from its bytes as bytes when it is saved again (a Buffer, not its toJSON array)', () => {
    const learners = LearnerIndex.empty();
    ['lrn-a', 'lrn-b'].forEach((id) => learners.intern(id));
    const first = encodeState({ learners: learners.toJson() });
    const loaded = LearnerIndex.fromJson((decodeState(first.json, first.bytes) as { learners: ReturnType<LearnerIndex['toJson']> }).learners);
    const again = encodeState({ learners: loaded.toJson(), buffer: Buffer.from('raw') });
    expect(again.json.length).toBeLessThan(100);
    const back = decodeState(again.json, again.bytes) as { learners: ReturnType<LearnerIndex['toJson']>; buffer: Uint8Array };
    expect(LearnerIndex.fromJson(back.learners).idOf(1)).toBe('lrn-b');
    expect(Buffer.from(back.buffer).toString()).toBe('raw');
  });
});
