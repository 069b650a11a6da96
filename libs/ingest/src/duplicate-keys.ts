/**
 * Duplicate member names in JSON text. `JSON.parse` keeps the last of two equal keys
 * silently; RFC 8785 (the canonical form the ledger hashes) requires input without any,
 * so the ledger refuses them, naming the key, rather than hash something the sender did
 * not mean.
 *
 * The check must cost little next to `JSON.parse`, which has already run: the text's
 * member names are counted by one native regular-expression scan, and compared with the
 * keys of the parsed value. Each member of the text ends with a match of `"\s*:` (its
 * closing quote, then its colon), and a match can also come from inside a string (`":`
 * there is written `\":`, or a string starts with a colon), so the count is at least the
 * number of members: when it equals the number of parsed keys, no key was lost and there
 * is no duplicate. Otherwise (a duplicate, or a string holding such a sequence) a precise
 * scan decides and names the key.
 */

/** Where a duplicate key is: the path of the object that holds it twice, then the key. */
export interface DuplicateKey {
  /** Keys and array indices from the top of the value down to the key itself (included). */
  readonly path: ReadonlyArray<string | number>;
  readonly key: string;
}

const MEMBER_END = /"\s*:/g;

/** The duplicate key of `text` (which `JSON.parse` turned into `parsed`), or undefined when it has none. */
export function duplicateKeyOf(text: string, parsed: unknown): DuplicateKey | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const matches = text.match(MEMBER_END)?.length ?? 0;
  if (matches === keyCount(parsed)) return undefined;
  return findDuplicateKey(text);
}

/** `path` as a field name, as the validator names fields: `data.statusAssessment.held`, `items[2].id`. */
export function fieldOf(path: ReadonlyArray<string | number>): string {
  let field = '';
  for (const part of path) field += typeof part === 'number' ? `[${part}]` : field === '' ? part : `.${part}`;
  return field;
}

/**
 * Every key of every object of a parsed JSON value. With a stack of its own, not recursion:
 * a body may nest 100,000 arrays deep (the hostile corpus), deeper than the call stack goes.
 */
function keyCount(value: unknown): number {
  let count = 0;
  const pending: object[] = typeof value === 'object' && value !== null ? [value] : [];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (Array.isArray(next)) {
      for (const item of next as unknown[]) if (typeof item === 'object' && item !== null) pending.push(item);
      continue;
    }
    for (const key in next) {
      count += 1;
      const item = (next as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) pending.push(item);
    }
  }
  return count;
}

/**
 * The first duplicate key of a JSON text, in text order, by a scan that follows the
 * structure (the text is known to be valid JSON: `JSON.parse` accepted it).
 */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  // One frame per open container: an object's keys so far and its current key, or an array's current index.
  const frames: Array<{ readonly keys?: Set<string>; at: string | number }> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '{') {
      frames.push({ keys: new Set(), at: '' });
      expectKey = true;
    } else if (c === '[') {
      frames.push({ at: 0 });
    } else if (c === '}' || c === ']') {
      frames.pop();
      expectKey = false;
    } else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top?.keys) expectKey = true;
      else if (top) top.at = (top.at as number) + 1;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      const top = frames[frames.length - 1];
      if (expectKey && top?.keys) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return { path: [...frames.slice(0, -1).map((f) => f.at), key], key };
        top.keys.add(key);
        top.at = key;
        expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opened at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let backslashes = 0;
    for (let i = end - 1; text[i] === '\\'; i -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length - 1;
}
