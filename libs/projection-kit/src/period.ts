import { epochMsOf } from '@ledger/events';

/** A period of KPIS.md: whole UTC days `from`..`to`, both inclusive (YYYY-MM-DD). */
export interface Period {
  readonly from: string;
  readonly to: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks a period given by a person; the message names what is wrong. */
export function parsePeriod(from: string, to: string): Period {
  const days: ReadonlyArray<readonly [string, string]> = [
    ['from', from],
    ['to', to],
  ];
  for (const [name, value] of days) {
    const m = DAY.exec(value);
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
      throw new RangeError(`${name} must be a calendar day YYYY-MM-DD, not ${JSON.stringify(value)}`);
    }
  }
  if (from > to) throw new RangeError(`from (${from}) is after to (${to})`);
  return { from, to };
}

const DAY_MS = 86_400_000;
/** Day numbers to YYYY-MM-DD: a ledger spans a few thousand days, and this runs once per event folded. */
const dayNames = new Map<number, string>();

/** The UTC day an instant falls on: periods are compared in UTC whatever the offset sent. */
export function utcDayOf(occurredAt: string): string {
  const day = Math.floor(epochMsOf(occurredAt) / DAY_MS);
  let name = dayNames.get(day);
  if (name === undefined) {
    name = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayNames.set(day, name);
  }
  return name;
}

export function inPeriod(day: string, period: Period): boolean {
  return day >= period.from && day <= period.to;
}

/** The months of a period (KPIS.md): the calendar months whose first day is in it, as YYYY-MM. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  let [year, month] = [Number(period.from.slice(0, 4)), Number(period.from.slice(5, 7))];
  if (period.from.slice(8) !== '01') [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  for (;;) {
    const first = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
    if (first > period.to) return months;
    months.push(first.slice(0, 7));
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
}

/** The period as instants: `startMs` its first, `endMs` the first after it (P.end of KPIS.md). */
export function periodBounds(period: Period): { readonly startMs: number; readonly endMs: number } {
  return { startMs: Date.parse(`${period.from}T00:00:00Z`), endMs: Date.parse(`${period.to}T00:00:00Z`) + DAY_MS };
}

/** Day numbers to month numbers (year × 12 + month − 1, UTC): cached, as for `utcDayOf`. */
const monthOfDay = new Map<number, number>();

/** The UTC month an instant falls in, as year × 12 + month − 1. */
export function utcMonthNumberOf(epochMs: number): number {
  const day = Math.floor(epochMs / DAY_MS);
  let month = monthOfDay.get(day);
  if (month === undefined) {
    const date = new Date(day * DAY_MS);
    month = date.getUTCFullYear() * 12 + date.getUTCMonth();
    monthOfDay.set(day, month);
  }
  return month;
}

/** `YYYY-MM` as year × 12 + month − 1. */
export function monthNumber(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}
