import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

/**
 * RFC 8785 (JCS) examples. Sources:
 * - the RFC text, cyberphone/ietf-json-canon `xmlv3/rfc8785.xml`: §3.2.2 sample, §3.2.3
 *   sorting sample, §3.2.4 UTF-8 bytes, Appendix B number table;
 * - the reference test data, cyberphone/json-canonicalization `testdata/input/*.json` and
 *   `testdata/output/*.json` (and `testdata/outhex/simpleString.txt`).
 * JSON texts are kept verbatim inside String.raw, so their escapes are the file's.
 */

/** An IEEE 754 double from the big-endian hex of its 64 bits, as Appendix B lists them. */
function ieee754(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
}

const canonicalOfText = (json: string): string => canonicalJson(JSON.parse(json));

describe('canonicalJson: RFC 8785 examples', () => {
  const sample = String.raw`{
    "numbers": [333333333.33333329, 1E30, 4.50,
                2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  }`;

  it('canonicalizes the §3.2.2 sample as §3.2.3 shows', () => {
    expect(canonicalOfText(sample)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('yields the §3.2.4 UTF-8 bytes for it', () => {
    const published = `7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
      75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
      5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
      65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
      5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
      30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d`.replace(/\s+/g, '');
    expect(Buffer.from(canonicalOfText(sample), 'utf8').toString('hex')).toBe(published);
  });

  it('sorts the §3.2.3 property names by UTF-16 code units, non-BMP included', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    const values = [...canonicalOfText(input).matchAll(/:"([^"]*)"/g)].map((match) => match[1]);
    expect(values).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    // The point of the sample: U+1F600 (surrogates D83D DE00) sorts before U+FB33, though by
    // code point it would come after.
    expect(canonicalJson({ '\ufb33': 1, '\u{1f600}': 2 })).toBe('{"\u{1f600}":2,"\ufb33":1}');
  });

  // Appendix B: IEEE 754 bit pattern -> JSON text.
  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serializes the number 0x%s as %s (Appendix B)', (bits, expected) => {
    expect(canonicalJson(ieee754(bits))).toBe(expected);
    expect(canonicalJson([ieee754(bits)])).toBe(`[${expected}]`);
  });

  it.each(['7fffffffffffffff', '7ff0000000000000'])('refuses the number 0x%s (NaN, Infinity: Appendix B)', (bits) => {
    expect(() => canonicalJson(ieee754(bits))).toThrow(TypeError);
  });
});

describe('canonicalJson: cyberphone/json-canonicalization test data', () => {
  it.each([
    [
      'values.json',
      String.raw`{
  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],
  "escaping": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`,
      String.raw`{"escaping":"€$\u000f\nA'B\"\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}`,
    ],
    [
      'structures.json',
      String.raw`{
  "1": {"f": {"f": "hi","F": 5} ,"\n": 56.0},
  "10": { },
  "": "empty",
  "a": { },
  "111": [ { } ],
  "A": { }
}`,
      String.raw`{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}`,
    ],
    [
      'french.json',
      `{
  "peach": "This sorting order",
  "péché": "is wrong according to French",
  "pêche": "but canonicalization MUST",
  "sin":   "ingnore locale"
}
`,
      '{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ingnore locale"}',
    ],
    [
      'unicode.json',
      String.raw`{
  "Unnormalized Unicode":"\u1e0d\u0307"
}
`,
      // The output file holds the two code points as they are: no normalization.
      '{"Unnormalized Unicode":"\u1e0d\u0307"}',
    ],
    [
      'weird.json',
      String.raw`{
  "\u20ac": "Euro Sign",
  "1": "One",
  "\u0080": "Control\u007f",
  "\ud83d\ude02": "Smiley",
  "\u00f6": "Latin Small Letter O With Diaeresis",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "</script>": "Browser Challenge"
}
`,
      // The output file holds U+0080 and U+007F raw (outside the escaped range); written here
      // as JavaScript escapes so they stay visible.
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    ],
  ])('canonicalizes testdata/input/%s to its testdata/output file', (_name, input, output) => {
    expect(canonicalOfText(input)).toBe(output);
  });

  it('canonicalizes simpleString.json to the bytes of outhex/simpleString.txt', () => {
    const outhex = '22 74 68 69 73 20 69 73 20 61 20 74 65 73 74 20 73 74 72 69 6E 67 20 31 32 33 35 22';
    expect(Buffer.from(canonicalOfText('    "this is a test string 1235"'), 'utf8').toString('hex')).toBe(
      outhex.replace(/ /g, '').toLowerCase(),
    );
  });
});

describe('canonicalJson: what JSON cannot hold', () => {
  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a function', () => 1],
    ['undefined', undefined],
    ['a symbol', Symbol('s')],
    ['a bigint', BigInt(1)],
  ])('refuses %s at top level', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('refuses them nested too, where JSON.stringify would quietly write null or drop them', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow(TypeError);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
  });

  it('leaves out an object member whose value is undefined, as an absent optional field', () => {
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
  });
});

describe('canonicalJson: properties', () => {
  const jsonValues = fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: 'grapheme' }), fc.jsonValue({ stringUnit: 'binary' }));

  it('is a fixed point: canonicalizing the parse of a canonical form gives it back', () => {
    fc.assert(
      fc.property(jsonValues, (value) => {
        const canonical = canonicalJson(value);
        expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the value: the canonical form parses to what JSON.stringify round-trips to', () => {
    fc.assert(
      fc.property(jsonValues, (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order members were added in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()), fc.nat(), (record, seed) => {
        const entries = Object.entries(record);
        const rotated = entries.slice(seed % (entries.length || 1)).concat(entries.slice(0, seed % (entries.length || 1)));
        const reversed = [...entries].reverse();
        const canonical = canonicalJson(record);
        expect(canonicalJson(Object.fromEntries(rotated))).toBe(canonical);
        expect(canonicalJson(Object.fromEntries(reversed))).toBe(canonical);
      }),
      { numRuns: 300 },
    );
  });

  it('emits no white space between tokens', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // Outside strings there is nothing but tokens: strip strings, then look for blanks.
        const outsideStrings = canonicalJson(value).replace(/"(?:[^"\\]|\\.)*"/g, '""');
        expect(outsideStrings).not.toMatch(/\s/);
      }),
      { numRuns: 300 },
    );
  });
});
