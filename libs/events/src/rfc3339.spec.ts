import fc from 'fast-check';
import { epochMsOf, parseRfc3339, RFC3339, utcInstantKey } from './rfc3339';

describe('parseRfc3339', () => {
  it.each([
    ['2024-03-01T10:00:00Z', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01t10:00:00z', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01T10:00:00+00:00', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01T10:00:00-00:00', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01T11:00:00+01:00', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01T15:30:00+05:30', Date.UTC(2024, 2, 1, 10)],
    ['2024-02-29T23:00:00-11:00', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-02T09:59:00+23:59', Date.UTC(2024, 2, 1, 10)],
    ['2024-02-29T10:01:00-23:59', Date.UTC(2024, 2, 1, 10)],
  ])('reads %s with its offset', (text, epochMs) => {
    expect(parseRfc3339(text)).toEqual({ epochMs, subMsNanos: 0 });
  });

  it.each([
    ['.1', 100, 0],
    ['.12', 120, 0],
    ['.123', 123, 0],
    ['.1234', 123, 400_000],
    ['.123456', 123, 456_000],
    ['.123456789', 123, 456_789],
    ['.000000001', 0, 1],
    ['.999999999', 999, 999_999],
    ['.500000000', 500, 0],
  ])('reads the fraction %s to the nanosecond', (fraction, ms, subMsNanos) => {
    expect(parseRfc3339(`2024-03-01T10:00:00${fraction}Z`)).toEqual({ epochMs: Date.UTC(2024, 2, 1, 10, 0, 0, ms), subMsNanos });
  });

  it('rounds epochMs down before 1970 too, the nanoseconds adding up', () => {
    expect(parseRfc3339('1969-12-31T23:59:59.999999999Z')).toEqual({ epochMs: -1, subMsNanos: 999_999 });
  });

  it.each(['2000-02-29', '2024-02-29', '1600-02-29', '0004-02-29', '0000-02-29'])('accepts the leap day %s', (day) => {
    const instant = parseRfc3339(`${day}T12:00:00Z`);
    expect(instant).toBeDefined();
    expect(new Date(instant?.epochMs ?? Number.NaN).toISOString().slice(0, 10)).toBe(day);
  });

  it('keeps years 0000-0099 (Date.UTC would read them as 1900-1999)', () => {
    expect(parseRfc3339('0050-06-01T00:00:00Z')?.epochMs).toBe(new Date(0).setUTCFullYear(50, 5, 1));
    // Regression: 0000-02-29 used to land on 0000-03-01 (1900 is not a leap year).
    expect(parseRfc3339('0000-02-29T00:00:00Z')).not.toEqual(parseRfc3339('0000-03-01T00:00:00Z'));
  });

  it.each([
    ['no offset', '2024-03-01T10:00:00'],
    ['no offset, with a fraction', '2024-03-01T10:00:00.5'],
    ['a space for T', '2024-03-01 10:00:00Z'],
    ['date only', '2024-03-01'],
    ['no seconds', '2024-03-01T10:00Z'],
    ['a two-digit year', '24-03-01T10:00:00Z'],
    ['a five-digit year', '+02024-03-01T10:00:00Z'],
    ['basic format', '20240301T100000Z'],
    ['a week date', '2024-W09-5T10:00:00Z'],
    ['an offset without colon', '2024-03-01T10:00:00+0100'],
    ['an hour-only offset', '2024-03-01T10:00:00+01'],
    ['an offset of 24 hours', '2024-03-01T10:00:00+24:00'],
    ['an offset of 60 minutes', '2024-03-01T10:00:00+05:60'],
    ['a named zone', '2024-03-01T10:00:00 CET'],
    ['a bracketed zone', '2024-03-01T10:00:00+01:00[Europe/Paris]'],
    ['an empty fraction', '2024-03-01T10:00:00.Z'],
    ['a comma fraction', '2024-03-01T10:00:00,5Z'],
    ['ten fraction digits', '2024-03-01T10:00:00.1234567890Z'],
    ['2021-02-29 (not a leap year)', '2021-02-29T10:00:00Z'],
    ['1900-02-29 (century, not a leap year)', '1900-02-29T10:00:00Z'],
    ['2100-02-29', '2100-02-29T10:00:00Z'],
    ['April 31', '2024-04-31T10:00:00Z'],
    ['month 00', '2024-00-10T10:00:00Z'],
    ['month 13', '2024-13-10T10:00:00Z'],
    ['day 00', '2024-03-00T10:00:00Z'],
    ['day 32', '2024-01-32T10:00:00Z'],
    ['hour 24', '2024-03-01T24:00:00Z'],
    ['minute 60', '2024-03-01T10:60:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['a single-digit field', '2024-3-01T10:00:00Z'],
    ['non-ASCII digits', '２０２４-03-01T10:00:00Z'],
    ['a leading space', ' 2024-03-01T10:00:00Z'],
    ['a trailing space', '2024-03-01T10:00:00Z '],
    ['a trailing newline', '2024-03-01T10:00:00Z\n'],
    ['an empty string', ''],
  ])('refuses %s', (_name, text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});

describe('utcInstantKey', () => {
  it('is equal for the same instant written with different offsets and trailing zeros', () => {
    const keys = [
      '2024-03-01T09:00:00Z',
      '2024-03-01T10:00:00+01:00',
      '2024-03-01T04:00:00.000-05:00',
      '2024-02-29T23:30:00.000000000-09:30',
      '2024-03-02T08:59:00+23:59',
    ].map(utcInstantKey);
    expect(new Set(keys)).toEqual(new Set(['2024-03-01T09:00:00.000000000Z']));
  });

  it('tells instants a nanosecond apart', () => {
    expect(utcInstantKey('2024-03-01T09:00:00.000000001Z')).not.toBe(utcInstantKey('2024-03-01T09:00:00Z'));
    expect(utcInstantKey('2024-03-01T09:00:00.000000001Z') > utcInstantKey('2024-03-01T09:00:00Z')).toBe(true);
  });

  it('orders like the instants, whatever the offsets', () => {
    const texts = ['2024-03-01T10:00:00+01:00', '2024-03-01T09:00:00.5Z', '2024-03-01T03:59:59-05:00', '1999-12-31T23:59:59.999999999Z', '0001-01-01T00:00:00Z'];
    const byKey = [...texts].sort((a, b) => (utcInstantKey(a) < utcInstantKey(b) ? -1 : 1));
    expect(byKey).toEqual(['0001-01-01T00:00:00Z', '1999-12-31T23:59:59.999999999Z', '2024-03-01T03:59:59-05:00', '2024-03-01T10:00:00+01:00', '2024-03-01T09:00:00.5Z']);
  });

  const pad = (n: number, width: number) => String(Math.abs(n)).padStart(width, '0');
  /** An instant written in RFC 3339 at the given offset, with all nine fraction digits. */
  function format(epochMs: number, subMsNanos: number, offsetMinutes: number): string {
    const wall = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 23); // YYYY-MM-DDTHH:MM:SS.mmm
    const sign = offsetMinutes < 0 ? '-' : '+';
    return `${wall}${pad(subMsNanos, 6)}${sign}${pad(Math.trunc(offsetMinutes / 60), 2)}:${pad(offsetMinutes % 60, 2)}`;
  }
  const instant = fc.record({
    epochMs: fc.integer({ min: Date.UTC(100, 0, 1), max: Date.UTC(9900, 0, 1) }),
    subMsNanos: fc.integer({ min: 0, max: 999_999 }),
    offsetMinutes: fc.integer({ min: -1439, max: 1439 }),
  });

  it('reads back any instant written at any offset', () => {
    fc.assert(
      fc.property(instant, ({ epochMs, subMsNanos, offsetMinutes }) => {
        expect(parseRfc3339(format(epochMs, subMsNanos, offsetMinutes))).toEqual({ epochMs, subMsNanos });
      }),
    );
  });

  it('compares like the instants for any two timestamps (property)', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const ka = utcInstantKey(format(a.epochMs, a.subMsNanos, a.offsetMinutes));
        const kb = utcInstantKey(format(b.epochMs, b.subMsNanos, b.offsetMinutes));
        const order = Math.sign(a.epochMs - b.epochMs || a.subMsNanos - b.subMsNanos);
        expect(Math.sign(ka < kb ? -1 : ka > kb ? 1 : 0)).toBe(order);
        expect(ka).toHaveLength('YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ'.length);
      }),
    );
  });

  it('throws on a text that is not a timestamp with offset', () => {
    expect(() => utcInstantKey('2024-03-01T10:00:00')).toThrow(RangeError);
    expect(() => epochMsOf('2024-03-01')).toThrow(RangeError);
  });
});

describe('epochMsOf', () => {
  it('agrees with Date.parse on millisecond timestamps', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9000, 0, 1) }), fc.integer({ min: -1439, max: 1439 }), (ms, offset) => {
        const text = format(ms, offset);
        expect(epochMsOf(text)).toBe(Date.parse(text));
      }),
    );
    function format(ms: number, offsetMinutes: number): string {
      const wall = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
      const abs = Math.abs(offsetMinutes);
      return `${wall}${offsetMinutes < 0 ? '-' : '+'}${String(Math.trunc(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    }
  });
});

describe('parseRfc3339 reads by hand exactly the grammar of the RFC3339 expression', () => {
  /** The reference: the expression, then the same range checks. */
  const reference = (text: string) => {
    const m = RFC3339.exec(text);
    if (!m) return undefined;
    const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
    const offset = m[9] === undefined ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
    if (m[9] !== undefined && (Number(m[10]) > 23 || Number(m[11]) > 59)) return undefined;
    const days = new Date(Date.UTC(2000, month as number, 0)).getUTCDate(); // in a leap year
    const leap = ((year as number) % 4 === 0 && (year as number) % 100 !== 0) || (year as number) % 400 === 0;
    if ((month as number) < 1 || (month as number) > 12 || (day as number) < 1 || (day as number) > (month === 2 && !leap ? 28 : days)) return undefined;
    if ((hour as number) > 23 || (minute as number) > 59 || (second as number) > 59) return undefined;
    const fraction = (m[7] ?? '').padEnd(9, '0');
    const wall = new Date(0);
    wall.setUTCFullYear(year as number, (month as number) - 1, day);
    wall.setUTCHours(hour as number, minute, second, Number(fraction.slice(0, 3)));
    return { epochMs: wall.getTime() - offset * 60_000, subMsNanos: Number(fraction.slice(3)) };
  };
  const piece = (values: string[]) => fc.constantFrom(...values);
  const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
  const timestamp = fc
    .tuple(
      fc.oneof(digits(4), piece(['2020', '0000', '1999', '2400', '20x0'])),
      piece(['-', '/']),
      fc.oneof(digits(2), piece(['02', '12', '13', '00'])),
      fc.oneof(digits(2), piece(['29', '30', '31', '00'])),
      piece(['T', 't', ' ']),
      fc.oneof(digits(2), piece(['23', '24'])),
      fc.oneof(digits(2), piece(['59', '60'])),
      fc.oneof(digits(2), piece(['59', '60'])),
      fc.oneof(piece(['', '.', '.5', '.123', '.1234567890']), fc.stringMatching(/^\.[0-9]{1,9}$/)),
      fc.oneof(piece(['Z', 'z', '', '+00:00', '-05:00', '+24:00', '+01:60', '+0100', 'Z ']), fc.stringMatching(/^[+-][0-9]{2}:[0-9]{2}$/)),
    )
    .map(([y, sep, mo, d, t, h, mi, s, f, z]) => `${y}${sep}${mo}-${d}${t}${h}:${mi}:${s}${f}${z}`);

  it('agrees with the reference on well-formed and malformed timestamps', () => {
    fc.assert(fc.property(timestamp, (text) => expect(parseRfc3339(text)).toEqual(reference(text))), { numRuns: 5000 });
  });
});
