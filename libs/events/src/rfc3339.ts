/**
 * RFC 3339 timestamps with a mandatory offset (EVENTS.md `occurredAt`).
 *
 * The ledger keeps the text as sent and compares instants in UTC. `Date.parse` is not
 * used: it accepts forms RFC 3339 does not (no offset, a space, a two-digit year) and
 * drops digits past the millisecond, so two different instants could compare equal.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export interface Instant {
  /** Milliseconds since the epoch, rounded down: exact for comparisons with whole milliseconds. */
  readonly epochMs: number;
  /** Nanoseconds within that millisecond (0-999999). */
  readonly subMsNanos: number;
}

/** Parses an RFC 3339 timestamp with offset; returns undefined (never throws) when it is not one. */
export function parseRfc3339(text: string): Instant | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined; // leap seconds are not accepted
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offHours = Number(m[10]);
    const offMinutes = Number(m[11]);
    if (offHours > 23 || offMinutes > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const fraction = (m[7] ?? '').padEnd(9, '0');
  const ms = Number(fraction.slice(0, 3));
  const subMsNanos = Number(fraction.slice(3));
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

export function epochMsOf(text: string): number {
  const instant = parseRfc3339(text);
  if (!instant) throw new RangeError(`not an RFC 3339 timestamp with offset: ${JSON.stringify(text)}`);
  return instant.epochMs;
}
