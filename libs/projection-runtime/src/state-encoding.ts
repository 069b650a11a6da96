/**
 * A projection state as stored: its JSON, with every `Uint8Array` in it (the columns of a
 * columnar read model) taken out into one byte buffer. Millions of rows then cost their
 * bytes to save and load, not a base64 string inside a JSON text of hundreds of megabytes.
 */
export interface EncodedState {
  readonly json: string;
  /** The byte arrays, one after the other, each at an offset that is a multiple of 8. */
  readonly bytes: Buffer;
}

const MARK = '$bytes';

export function encodeState(state: unknown): EncodedState {
  const parts: Uint8Array[] = [];
  let size = 0;
  const json = JSON.stringify(state, function (this: Record<string, unknown>, key: string, value: unknown) {
    // The holder's own value: a Buffer (a Uint8Array too) has already been through its toJSON by now.
    const original = this[key];
    if (!(original instanceof Uint8Array)) return value;
    const offset = size;
    parts.push(original);
    size = Math.ceil((size + original.byteLength) / 8) * 8; // aligned, so a column can be read as Float64 without a copy
    return { [MARK]: [offset, original.byteLength] };
  });
  const bytes = Buffer.alloc(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset = Math.ceil((offset + part.byteLength) / 8) * 8;
  }
  return { json, bytes };
}

export function decodeState(json: string, bytes: Uint8Array | null): unknown {
  // A reviver is called for every value: only a state that has bytes pays for it (its JSON is small).
  if ((!bytes || bytes.byteLength === 0) && !json.includes(`"${MARK}"`)) return JSON.parse(json);
  const held = bytes ?? new Uint8Array(0);
  return JSON.parse(json, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || !(MARK in value)) return value;
    const mark: unknown = value[MARK];
    const offset: unknown = Array.isArray(mark) ? mark[0] : undefined;
    const length: unknown = Array.isArray(mark) ? mark[1] : undefined;
    if (typeof offset !== 'number' || typeof length !== 'number') throw new Error(`stored state has a malformed ${MARK} mark: ${JSON.stringify(mark)}`);
    if (offset + length > held.byteLength) throw new Error(`stored state refers to bytes ${offset}+${length} it does not hold`);
    return held.subarray(offset, offset + length);
  });
}
