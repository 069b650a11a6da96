import fc from 'fast-check';
import { duplicateKeyOf, fieldOf, findDuplicateKey } from './duplicate-keys';

/** JSON text of `value`, with `gap` between each key and its colon, and an extra member `key` in the object at `at`. */
function serialize(value: unknown, gap: string, at?: ReadonlyArray<string | number>, extra?: { key: string; value: unknown }): string {
  const here = at !== undefined && at.length === 0;
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => serialize(item, gap, at?.[0] === i ? at.slice(1) : undefined, extra)).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value).map(
      ([k, v]) => `${JSON.stringify(k)}${gap}:${serialize(v, gap, at?.[0] === k ? at.slice(1) : undefined, extra)}`,
    );
    if (here && extra) members.push(`${JSON.stringify(extra.key)}${gap}:${JSON.stringify(extra.value)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The paths of every object inside `value` (the value itself included). */
function objectPaths(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((item, i) => objectPaths(item, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return [path, ...Object.entries(value).flatMap(([k, v]) => objectPaths(v, [...path, k]))];
  }
  return [];
}

function at(value: unknown, path: ReadonlyArray<string | number>): Record<string, unknown> {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value) as Record<string, unknown>;
}

const gaps = fc.constantFrom('', ' ', '\n\t ');
/** Keys and strings that hold what the fast count could mistake for a member's end: quotes, colons, backslashes. */
const tricky = fc.oneof(fc.string(), fc.constantFrom(':', '":', '\\":', ' :', '\\', '"', 'a\\\\":b'));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(tricky, tie('value'), { maxKeys: 5 }),
})).object;

describe('duplicate keys in JSON text', () => {
  it('finds none in text without any, whatever its strings and spacing hold', () => {
    fc.assert(
      fc.property(json, gaps, (value, gap) => {
        const text = serialize(value, gap);
        expect(duplicateKeyOf(text, JSON.parse(text))).toBeUndefined();
      }),
    );
  });

  it('finds a key named twice at any depth, and names its path', () => {
    fc.assert(
      fc.property(json, gaps, fc.nat(), (value, gap, pick) => {
        const paths = objectPaths(value).filter((path) => Object.keys(at(value, path)).length > 0);
        fc.pre(paths.length > 0);
        const path = paths[pick % paths.length] ?? [];
        const key = Object.keys(at(value, path))[pick % Object.keys(at(value, path)).length] ?? '';
        const text = serialize(value, gap, path, { key, value: 'again' });
        expect(duplicateKeyOf(text, JSON.parse(text))).toEqual({ path: [...path, key], key });
      }),
    );
  });

  it('names the path as the validator names fields', () => {
    expect(findDuplicateKey('[{"a":1},{"data":{"held":[{"x":1,"x":2}]}}]')).toEqual({ path: [1, 'data', 'held', 0, 'x'], key: 'x' });
    expect(fieldOf([1, 'data', 'held', 0, 'x'])).toBe('[1].data.held[0].x');
    expect(fieldOf(['data', 'reason'])).toBe('data.reason');
  });

  it('finds the first duplicate in text order, whatever follows it', () => {
    const text = '{"eventId":"e","data":{"courseId":"C1","courseId":"C2"},"type":"A","type":"B"}';
    expect(duplicateKeyOf(text, JSON.parse(text))).toEqual({ path: ['data', 'courseId'], key: 'courseId' });
  });

  it('tells apart keys that differ only by escapes, and equal keys written differently', () => {
    expect(findDuplicateKey('{"a\\"":1,"a":2}')).toBeUndefined();
    const escaped = '{"é":1,"\\u00e9":2}';
    expect(duplicateKeyOf(escaped, JSON.parse(escaped))).toEqual({ path: ['é'], key: 'é' });
  });
});
