/**
 * RFC 3339 timestamps with a mandatory offset (EVENTS.md `occurredAt`).
 *
 * The ledger keeps the text as sent and compares instants in UTC. `Date.parse` is not
 * used: it accepts forms RFC 3339 does not (no offset, a space, a two-digit year) and
 * drops digits past the millisecond, so two different instants could compare equal.
 */
/** The grammar accepted (`parseRfc3339` reads it by hand; the tests check both agree). */
export const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export interface Instant {
  /** Milliseconds since the epoch, rounded down: exact for comparisons with whole milliseconds. */
  readonly epochMs: number;
  /** Nanoseconds within that millisecond (0-999999). */
  readonly subMsNanos: number;
}

/** The number written by `count` ASCII digits at `from`, or -1 when one is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Parses an RFC 3339 timestamp with offset; returns undefined (never throws) when it is
 * not one. Read character by character (this runs for every event a projection folds),
 * with the same grammar as the RFC3339 expression above, which documents it.
 */
export function parseRfc3339(text: string): Instant | undefined {
  if (text.length < 20) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const t = text[10];
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || (t !== 'T' && t !== 't') || text[13] !== ':' || text[16] !== ':') return undefined;
  let at = 19;
  let fraction = 0; // nanoseconds
  if (text[at] === '.') {
    let scale = 100_000_000;
    at += 1;
    const start = at;
    for (; at < text.length && at - start < 10; at++) {
      const digit = text.charCodeAt(at) - 48;
      if (digit < 0 || digit > 9) break;
      fraction += digit * scale;
      scale /= 10;
    }
    if (at === start || at - start > 9) return undefined;
  }
  let offsetMinutes = 0;
  const zone = text[at];
  if (zone === 'Z' || zone === 'z') {
    if (at + 1 !== text.length) return undefined;
  } else if (zone === '+' || zone === '-') {
    if (at + 6 !== text.length || text[at + 3] !== ':') return undefined;
    const offHours = digitsAt(text, at + 1, 2);
    const offMinutes = digitsAt(text, at + 4, 2);
    if (offHours < 0 || offMinutes < 0 || offHours > 23 || offMinutes > 59) return undefined;
    offsetMinutes = (zone === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  } else {
    return undefined;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined; // leap seconds are not accepted
  const ms = Math.floor(fraction / 1_000_000);
  const subMsNanos = fraction - ms * 1_000_000;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear puts them back. Month and day are
  // passed again because 0000-02-29 exists but 1900-02-29 does not (it had rolled to March 1).
  const fixed = year < 100 ? new Date(wall).setUTCFullYear(year, month - 1, day) : wall;
  return { epochMs: fixed - offsetMinutes * 60_000, subMsNanos };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * A key equal for two timestamps exactly when they name the same instant, whatever their
 * offsets and trailing zeros; ordered as the instants are (within years 0000-9999 in UTC).
 */
export function utcInstantKey(text: string): string {
  const instant = parseRfc3339(text);
  if (!instant) throw new RangeError(`not an RFC 3339 timestamp with offset: ${JSON.stringify(text)}`);
  const iso = new Date(instant.epochMs).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 23)}${String(instant.subMsNanos).padStart(6, '0')}Z`;
}

/** The last timestamp parsed by `instantOf`: several projections folding one event ask for the same one in a row. */
let lastText = '';
let lastInstant: Instant = { epochMs: 0, subMsNanos: 0 };

/** The instant of a timestamp already validated (an event's occurredAt); throws when it is not one. */
export function instantOf(text: string): Instant {
  if (text === lastText) return lastInstant;
  const instant = parseRfc3339(text);
  if (!instant) throw new RangeError(`not an RFC 3339 timestamp with offset: ${JSON.stringify(text)}`);
  lastText = text;
  lastInstant = instant;
  return instant;
}

export function epochMsOf(text: string): number {
  return instantOf(text).epochMs;
}
