import { parseRfc3339 } from '@ledger/events';
import type { EventStore } from './event-store.port';
import type { LogRecord } from './log-record';

/** The record at one position of the log, if there is one: a one-record read, whatever the adapter. */
export async function recordAt(store: EventStore, position: number, options: { withoutHashes?: boolean } = {}): Promise<LogRecord | undefined> {
  for await (const record of store.readAll(position, { pageSize: 1, toPosition: position, ...options })) return record;
  return undefined;
}

/**
 * The last position that existed as known at `knownAt` (transaction time): the last
 * event whose `recordedAt` is at or before it, 0 when none. `recordedAt` never decreases
 * with position, so "as known at K" is a prefix of the log, found by bisection with
 * about log2(n) one-record reads, whatever the adapter.
 */
export async function positionAt(store: EventStore, knownAt: string): Promise<number> {
  const instant = parseRfc3339(knownAt);
  if (!instant) throw new RangeError(`knownAt must be an RFC 3339 timestamp with an offset: ${JSON.stringify(knownAt)}`);
  // recordedAt has millisecond precision: r <= K exactly when r <= K rounded down to the millisecond.
  const limit = new Date(instant.epochMs).toISOString();
  const head = await store.head();
  if (head.recordedAt === null || head.recordedAt <= limit) return head.position;
  const recordedAtOf = async (position: number): Promise<string> => {
    const record = await recordAt(store, position);
    if (!record) throw new Error(`the log has no event at position ${position}, below its head ${head.position}`);
    return record.recordedAt;
  };
  let known = 0; // recordedAt(known) <= limit, or the empty prefix
  let unknown = head.position; // recordedAt(unknown) > limit
  while (unknown - known > 1) {
    const middle = known + Math.floor((unknown - known) / 2);
    if ((await recordedAtOf(middle)) <= limit) known = middle;
    else unknown = middle;
  }
  return known;
}
