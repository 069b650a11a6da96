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
  | {
      readonly kind: 'scan';
      readonly types: readonly EventType[];
      readonly matches: (event: RecordedEvent) => boolean;
      /** What `matches` asks of occurredAt alone: checked first, on the stored column, before the payload is parsed. */
      readonly occurred?: (occurredAt: string) => boolean;
      /** The first UTC day `occurred` accepts (a period's): the store may skip what occurred before it (`ReadAllOptions.occurredFromDay`). */
      readonly occurredFromDay?: string;
      /**
       * How many events the read model counted (a figure that is a plain count of them, or
       * derived from one): a listing of a window then stops once the window is full instead
       * of scanning every event of the types to count them. Absent: they are counted by the scan.
       */
      readonly count?: number;
    };

/** What a figure counts, in words, and the events that make it. */
export interface Explanation {
  readonly rule: string;
  readonly evidence: Evidence;
}

/**
 * Counting events of some types in a period: the scan that explains a counter; `count`, what
 * the counter's read model holds for them (`Evidence`'s `count`), when it counts them one each.
 */
export function eventsInPeriod(types: readonly EventType[], period: Period, also: (event: RecordedEvent) => boolean = () => true, count?: number): Evidence {
  const occurred = (occurredAt: string): boolean => inPeriod(utcDayOf(occurredAt), period);
  const matches = (event: RecordedEvent): boolean => occurred(event.occurredAt) && also(event);
  const scan = { kind: 'scan', types, matches, occurred, occurredFromDay: period.from } as const;
  return count === undefined ? scan : { ...scan, count };
}
