/**
 * Calendar, recording days and time zones of the demo data set.
 *
 * Figures cut periods and months in UTC (KPIS.md), so every instant is drawn in UTC
 * milliseconds; the local offset only decides how `occurredAt` is written, as the
 * source system would have sent it.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** 2019-01-01T00:00Z: day 0 of the data set. */
export const T0 = Date.UTC(2019, 0, 1);
/** First instant after the data set's valid time (2020-12-31 is its last day). */
export const T_END = Date.UTC(2021, 0, 1);
export const MONTHS = 24;

/** Instants of the funding figures the report publishes: the ends of Dec 2019, Jan 2020 and Dec 2020. */
export const CHECKPOINTS = [Date.UTC(2020, 0, 1), Date.UTC(2020, 1, 1), Date.UTC(2021, 0, 1)] as const;

export function monthStart(month: number): number {
  return Date.UTC(2019 + Math.floor(month / 12), month % 12, 1);
}

/** Month number (0 = Jan 2019) of a UTC instant. */
export function monthOf(ms: number): number {
  const d = new Date(ms);
  return (d.getUTCFullYear() - 2019) * 12 + d.getUTCMonth();
}

export function monthKey(month: number): string {
  return `${2019 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
}

export function dayIndex(ms: number): number {
  return Math.floor((ms - T0) / DAY);
}

/**
 * The replay clock of recording day `day`: the nightly import at 01:00Z that records the
 * events of UTC day `day` (and late ones that arrived that day). Day -1 is the migration of
 * pre-2019 history, recorded at 2019-01-01T01:00Z.
 */
export function recordingInstant(day: number): number {
  return T0 + (day + 1) * DAY + HOUR;
}

/** Last recording day whose batch exists as known at `knownAtMs`. */
export function lastRecordingDayAt(knownAtMs: number): number {
  return Math.floor((knownAtMs - T0 - HOUR) / DAY) - 1;
}

// ---------------------------------------------------------------------------------------
// Time zones

/** DST rules of the zones used; 2018-2021 only. */
type DstRule = 'none' | 'eu' | 'us' | 'lb';

export interface Zone {
  /** Standard offset, minutes east of UTC. */
  readonly std: number;
  readonly dst: DstRule;
}

function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
}

function nthSunday(year: number, month: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - first) % 7) + 7 * (n - 1);
}

const transitions = new Map<string, readonly [number, number]>();

/** [start, end) of summer time in UTC for a rule, a standard offset and a year. */
function summerTime(rule: DstRule, std: number, year: number): readonly [number, number] {
  const key = `${rule}${std}/${year}`;
  let found = transitions.get(key);
  if (found === undefined) {
    switch (rule) {
      case 'eu': // last Sunday of March to last Sunday of October, 01:00 UTC
        found = [Date.UTC(year, 2, lastSunday(year, 2), 1), Date.UTC(year, 9, lastSunday(year, 9), 1)];
        break;
      case 'us': // second Sunday of March to first Sunday of November, 02:00 local
        found = [
          Date.UTC(year, 2, nthSunday(year, 2, 2), 2) - std * MINUTE,
          Date.UTC(year, 10, nthSunday(year, 10, 1), 2) - (std + 60) * MINUTE,
        ];
        break;
      case 'lb': // Lebanon: last Sunday of March to last Sunday of October, midnight local
        found = [
          Date.UTC(year, 2, lastSunday(year, 2)) - std * MINUTE,
          Date.UTC(year, 9, lastSunday(year, 9)) - (std + 60) * MINUTE,
        ];
        break;
      default:
        found = [0, 0];
    }
    transitions.set(key, found);
  }
  return found;
}

export function offsetAt(zone: Zone, utcMs: number): number {
  if (zone.dst === 'none') return zone.std;
  const [start, end] = summerTime(zone.dst, zone.std, new Date(utcMs).getUTCFullYear());
  return utcMs >= start && utcMs < end ? zone.std + 60 : zone.std;
}

const offsetTexts = new Map<number, string>();

function offsetText(minutes: number): string {
  let text = offsetTexts.get(minutes);
  if (text === undefined) {
    const abs = Math.abs(minutes);
    text = `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    offsetTexts.set(minutes, text);
  }
  return text;
}

/**
 * RFC 3339 text of an instant as a source in `zone` writes it: local wall time and offset,
 * or UTC with `Z` for systems that log in UTC; milliseconds only when the source has them.
 */
export function formatInstant(utcMs: number, zone: Zone | 'utc', millis = false): string {
  const offset = zone === 'utc' ? 0 : offsetAt(zone, utcMs);
  const wall = new Date(utcMs + offset * MINUTE).toISOString();
  const base = millis ? wall.slice(0, 23) : wall.slice(0, 19);
  return zone === 'utc' ? `${base}Z` : `${base}${offsetText(offset)}`;
}

/**
 * The instant at local wall time `localMinute` (minutes after local midnight) of the local
 * date that starts `dayStartUtcMs` (a UTC midnight standing for the local date).
 */
export function localToUtc(zone: Zone, dayStartUtcMs: number, localMinute: number): number {
  const wall = dayStartUtcMs + localMinute * MINUTE;
  // The offset at the approximate instant; off by an hour only inside a DST switch night.
  return wall - offsetAt(zone, wall - zone.std * MINUTE) * MINUTE;
}

// ---------------------------------------------------------------------------------------
// Countries of the learners (ISO 3166-1 alpha-2) with the zone of their usual place

const EU_CET: Zone = { std: 60, dst: 'eu' };
const EU_WET: Zone = { std: 0, dst: 'eu' };
const EU_EET: Zone = { std: 120, dst: 'eu' };
const fixed = (std: number): Zone => ({ std, dst: 'none' });
export const PARIS = EU_CET;
export const US_EASTERN: Zone = { std: -300, dst: 'us' };

/** [country, zone, weight among free users]: a French-speaking platform, learners in many countries. */
const COUNTRY_TABLE: readonly (readonly [string, Zone, number])[] = [
  ['FR', EU_CET, 5200],
  ['MA', fixed(60), 700],
  ['DZ', fixed(60), 500],
  ['TN', fixed(60), 350],
  ['CI', fixed(0), 350],
  ['SN', fixed(0), 300],
  ['CM', fixed(60), 300],
  ['BE', EU_CET, 300],
  ['CA', { std: -300, dst: 'us' }, 300],
  ['CH', EU_CET, 150],
  ['BJ', fixed(60), 120],
  ['US', US_EASTERN, 120],
  ['BF', fixed(0), 100],
  ['MG', fixed(180), 100],
  ['CD', fixed(60), 100],
  ['TG', fixed(0), 80],
  ['GN', fixed(0), 80],
  ['ML', fixed(0), 80],
  ['IN', fixed(330), 80],
  ['GA', fixed(60), 60],
  ['RE', fixed(240), 60],
  ['GB', EU_WET, 60],
  ['CG', fixed(60), 50],
  ['NE', fixed(60), 40],
  ['HT', { std: -300, dst: 'us' }, 40],
  ['LB', { std: 120, dst: 'lb' }, 40],
  ['DE', EU_CET, 40],
  ['ES', EU_CET, 40],
  ['NG', fixed(60), 40],
  ['IT', EU_CET, 30],
  ['GP', fixed(-240), 30],
  ['MQ', fixed(-240), 30],
  ['LU', EU_CET, 30],
  ['VN', fixed(420), 30],
  ['BR', fixed(-180), 30],
  ['MU', fixed(240), 30],
  ['PT', EU_WET, 30],
  ['DJ', fixed(180), 20],
  ['TD', fixed(60), 20],
  ['RW', fixed(120), 20],
  ['EG', fixed(120), 20],
  ['NC', fixed(660), 20],
  ['MR', fixed(0), 20],
  ['PK', fixed(300), 20],
  ['PH', fixed(480), 20],
  ['KE', fixed(180), 20],
  ['GH', fixed(0), 20],
  ['ZA', fixed(120), 20],
  ['RO', EU_EET, 20],
  ['PL', EU_CET, 20],
  ['MX', fixed(-360), 20],
  ['NL', EU_CET, 20],
  ['KM', fixed(180), 10],
  ['PF', fixed(-600), 10],
  ['GF', fixed(-180), 10],
  ['YT', fixed(180), 10],
  ['BI', fixed(120), 10],
  ['IE', EU_WET, 10],
  ['MC', EU_CET, 5],
];

export const COUNTRIES: readonly string[] = COUNTRY_TABLE.map((row) => row[0]);
export const COUNTRY_ZONES: readonly Zone[] = COUNTRY_TABLE.map((row) => row[1]);
export const COUNTRY_WEIGHTS: readonly number[] = COUNTRY_TABLE.map((row) => row[2]);

export function countryIndex(code: string): number {
  const index = COUNTRIES.indexOf(code);
  if (index < 0) throw new RangeError(`no zone for country ${code}`);
  return index;
}

export function zoneOfCountry(index: number): Zone {
  return COUNTRY_ZONES[index] ?? PARIS;
}
