import type { EventType, RecordedEvent } from '@ledger/events';
import type { Period } from './period';
import { inPeriod, utcDayOf } from './period';

/**
 * The events that make a figure. A read model that keeps the positions of what it counts
 * names them (`positions`); one that keeps only counters says which existing events it
 * counted (`scan`), and those are found in the log.
 */
export type Evidence =
  | { readonly kind: 'positions'; readonly positions: readonly number[] }
  | { readonly kind: 'scan'; readonly types: readonly EventType[]; readonly matches: (event: RecordedEvent) => boolean };

/** What a figure counts, in words, and the events that make it. */
export interface Explanation {
  readonly rule: string;
  readonly evidence: Evidence;
}

/** Counting events of some types in a period: the scan that explains a counter. */
export function eventsInPeriod(types: readonly EventType[], period: Period, also: (event: RecordedEvent) => boolean = () => true): Evidence {
  return { kind: 'scan', types, matches: (event) => inPeriod(utcDayOf(event.occurredAt), period) && also(event) };
}
