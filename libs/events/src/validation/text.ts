/**
 * EVENTS.md "Text limits (all versions)": every text of `data` has a length in Unicode code
 * points and a set of characters it may not hold. A rule is data, so each new field (v1.1's
 * `label.fr`, `mentorId`...) takes one of these rather than a copy of the checks.
 */
import { Rule, kindOf } from './rule';

export interface TextRule {
  /** Most code points allowed; the least is always 1. */
  readonly max: number;
  /** The characters the text may not hold (a one-character class). */
  readonly forbidden: RegExp;
  /** How the message names them. */
  readonly forbiddenName: string;
}

/** An id or reference (every `data` field EVENTS.md calls "string"): 1-128, no control character. */
export const ID_TEXT: TextRule = {
  max: 128,
  forbidden: /[\u0000-\u001f\u007f]/,
  forbiddenName: 'a control character (U+0000-U+001F, U+007F)',
};

/** `reason`'s character rule: tab, line feed and carriage return are the control characters a prose text may hold. */
const PROSE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const PROSE_FORBIDDEN_NAME = 'a control character other than tab, line feed and carriage return (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+007F)';

/** A prose text of 1-`max` code points with `EventRetracted.reason`'s character rule. */
export function proseText(max: number): TextRule {
  return { max, forbidden: PROSE_FORBIDDEN, forbiddenName: PROSE_FORBIDDEN_NAME };
}

/** `EventRetracted.reason`: 1-500. */
export const REASON_TEXT: TextRule = proseText(500);

/**
 * Whether `text` holds more than `max` code points, without building an array of them (a
 * 7.9 MB id must cost no more than a glance): a code point is one or two UTF-16 units.
 */
export function exceedsCodePoints(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > 2 * max) return true;
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point; a lone surrogate counts as one.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    count += 1;
    if (count > max) return true;
  }
  return false;
}

function codePoint(text: string, index: number): string {
  return `U+${(text.codePointAt(index) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The problem with a text under `rule`, if any: one message, the first of type, emptiness, length, characters. */
export function textProblem(value: unknown, rule: TextRule): string | undefined {
  if (typeof value !== 'string') return `must be a string, not ${kindOf(value)}`;
  if (value.length === 0) return 'must not be empty';
  if (exceedsCodePoints(value, rule.max)) return `must be at most ${rule.max} characters (Unicode code points)`;
  const found = rule.forbidden.exec(value);
  if (found === null) return undefined;
  // Positions in code points, 1-based, as a person counts characters.
  const position = [...value.slice(0, found.index)].length + 1;
  return `may not hold ${rule.forbiddenName}: ${codePoint(value, found.index)} at character ${position}`;
}

/** An id or reference of `data` (EVENTS.md "string"). */
export function IdText(): PropertyDecorator {
  return Rule('idText', (value) => textProblem(value, ID_TEXT));
}

export function Text(rule: TextRule): PropertyDecorator {
  return Rule('text', (value) => textProblem(value, rule));
}

/** `learnerId`'s pattern, also v1.1's `mentorId` and `commitmentId`: 1-64 of `[A-Za-z0-9._-]`. */
const PSEUDONYMOUS_ID = /^[A-Za-z0-9._-]+$/;
export const MAX_PSEUDONYMOUS_ID_CHARS = 64;

export function pseudonymousIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string, not ${kindOf(value)}`;
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_PSEUDONYMOUS_ID_CHARS) return `must be at most ${MAX_PSEUDONYMOUS_ID_CHARS} characters`;
  return PSEUDONYMOUS_ID.test(value) ? undefined : 'may only contain A-Z, a-z, 0-9, ".", "_" and "-"';
}
