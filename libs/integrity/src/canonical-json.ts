/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * JCS serialises strings and numbers exactly as ECMAScript's JSON.stringify does, and
 * sorts object members by the UTF-16 code units of their names, which is also what
 * JavaScript's default string comparison does. So a canonical form is JSON.stringify
 * with sorted keys, no white space, and a refusal of what JSON cannot hold.
 */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JCS cannot represent the number ${value}`);
      return JSON.stringify(value);
    case 'string':
      // RFC 8785 §3.2.2.2: a lone surrogate has no UTF-8 form, so it must be refused.
      if (!value.isWellFormed()) throw new TypeError('JCS cannot represent a string with a lone surrogate');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let i = 0; i < value.length; i += 1) {
          if (!(i in value)) throw new TypeError('JCS cannot represent a sparse array');
          items.push(canonicalJson(value[i]));
        }
        return `[${items.join(',')}]`;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) {
        throw new TypeError('JCS represents plain objects only (not a Date, a Map or a class instance)');
      }
      const record = value as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        if (!key.isWellFormed()) throw new TypeError('JCS cannot represent a member name with a lone surrogate');
        const member = record[key];
        if (member === undefined) continue; // as JSON.stringify: an absent optional field
        members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`JCS cannot represent a value of type ${typeof value}`);
  }
}
