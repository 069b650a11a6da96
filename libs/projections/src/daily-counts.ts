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
export function sumOverPeriod<K extends string>(counts: DailyCounts<K>, keys: readonly K[], period: Period): Record<K, number> {
  const totals = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const [day, byKey] of Object.entries(counts)) {
    if (!inPeriod(day, period)) continue;
    for (const key of keys) totals[key] += byKey[key] ?? 0;
  }
  return totals;
}
