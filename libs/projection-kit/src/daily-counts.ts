import type { Period } from './period';
import { inPeriod } from './period';

/**
 * Counters by UTC day and key: the state of projections that count events (or sum a field)
 * in a period. Small whatever the log: days times keys.
 */
export type DailyCounts<K extends string> = Record<string, Partial<Record<K, number>>>;

export function addToDay<K extends string>(counts: DailyCounts<K>, day: string, key: K, delta: number): void {
  const byKey = (counts[day] ??= {});
  byKey[key] = (byKey[key] ?? 0) + delta;
}

/** The totals per key over the days of a period (every key listed, 0 when nothing). */
export function sumOverPeriod<K extends string>(counts: DailyCounts<K>, keys: readonly K[], period: Period): Totals<K> {
  const totals = new Map<K, number>(keys.map((k) => [k, 0]));
  for (const [day, byKey] of Object.entries(counts)) {
    if (!inPeriod(day, period)) continue;
    for (const key of keys) totals.set(key, (totals.get(key) ?? 0) + (byKey[key] ?? 0));
  }
  return { of: (key) => totals.get(key) ?? 0 };
}

/** Totals by key: 0 for a key nothing was counted for. */
export interface Totals<K extends string> {
  of(key: K): number;
}
