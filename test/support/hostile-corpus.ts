import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The hostile corpus (test/hostile-corpus/*.json, described in its README.md): request bodies
 * for POST /events, each with what it tries and the answer it must get. Values too large or
 * too odd to write in a JSON file are written as macros, expanded here.
 */
export const CORPUS_DIR = join(__dirname, '..', 'hostile-corpus');

export interface CorpusExpectation {
  readonly status: number;
  /** For a refusal: its errors, in order, each matched on the properties given (`field`, `message`, `index`...). */
  readonly errors?: readonly Record<string, unknown>[];
  /** For an acceptance: its events, in order, each matched on the properties given. */
  readonly events?: readonly Record<string, unknown>[];
  /** The answer's body is at most this long (a refusal must not echo a huge value). */
  readonly maxBodyBytes?: number;
}

export interface CorpusCase {
  readonly name: string;
  /** What the case tries to break, and why the answer is the right one. */
  readonly tries: string;
  /** The body, with macros; sent as JSON text. */
  readonly body: unknown;
  readonly expect: CorpusExpectation;
}

export interface CorpusFile {
  readonly file: string;
  readonly about: string;
  readonly cases: readonly CorpusCase[];
}

export function loadCorpus(dir = CORPUS_DIR): CorpusFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<CorpusFile, 'file'>;
      for (const c of parsed.cases) {
        if (typeof c.name !== 'string' || typeof c.tries !== 'string' || c.body === undefined || typeof c.expect?.status !== 'number') {
          throw new Error(`${file}: case ${JSON.stringify(c.name)} needs name, tries, body and expect.status`);
        }
      }
      return { file, ...parsed };
    });
}

type Macro =
  /** `{"$repeat": "ab", "times": 3}`: the string "ababab". */
  | { readonly $repeat: string; readonly times: number }
  /** `{"$varied": 1000}`: 1000 astral code points, all different (text a database cannot compress). */
  | { readonly $varied: number }
  /** `{"$nest": 100000, "key": "a", "leaf": 1}`: `{"a":{"a":...1...}}`, or arrays without `key`; body text only. */
  | { readonly $nest: number; readonly key?: string; readonly leaf: unknown }
  /** `{"$raw": "1e400"}`: this JSON text as is (a number JSON.parse would round or turn to Infinity); body text only. */
  | { readonly $raw: string }
  /** `{"$concat": ["a", {"$repeat": ...}]}`: the strings joined. */
  | { readonly $concat: readonly unknown[] };

function macroOf(node: unknown): Macro | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.some((k) => k.startsWith('$')) ? (node as Macro) : undefined;
}

function varied(count: number): string {
  // Code points U+10000 onward, stepping by a prime modulo the astral range: none repeats.
  return Array.from({ length: count }, (_, i) => String.fromCodePoint(0x10000 + ((i * 7919) % 0xfffff))).join('');
}

/** A string macro's value (the only kind that may stand in an expectation). */
function stringOf(macro: Macro): string | undefined {
  if ('$repeat' in macro) return macro.$repeat.repeat(macro.times);
  if ('$varied' in macro) return varied(macro.$varied);
  if ('$concat' in macro) return macro.$concat.map((part) => expand(part)).join('');
  return undefined;
}

/** A value with its string macros expanded (expectations). */
export function expand(node: unknown): unknown {
  const macro = macroOf(node);
  if (macro !== undefined) {
    const text = stringOf(macro);
    if (text === undefined) throw new Error(`macro ${JSON.stringify(node)} stands only in a body`);
    return text;
  }
  if (Array.isArray(node)) return node.map(expand);
  if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, expand(v)]));
  return node;
}

/** The JSON text of a body, macros expanded; built as text, so depth and raw numbers survive. */
export function bodyText(node: unknown): string {
  const macro = macroOf(node);
  if (macro !== undefined) {
    if ('$raw' in macro) return macro.$raw;
    if ('$nest' in macro) {
      const [open, close] = macro.key === undefined ? ['[', ']'] : [`{${JSON.stringify(macro.key)}:`, '}'];
      return open.repeat(macro.$nest) + bodyText(macro.leaf) + close.repeat(macro.$nest);
    }
    return JSON.stringify(stringOf(macro));
  }
  if (Array.isArray(node)) return `[${node.map(bodyText).join(',')}]`;
  if (typeof node === 'object' && node !== null) {
    return `{${Object.entries(node).map(([k, v]) => `${JSON.stringify(k)}:${bodyText(v)}`).join(',')}}`;
  }
  return JSON.stringify(node);
}
