import type { EventStore } from '@ledger/store';
import type { LogRecord } from '@ledger/store';
import { toRecordedEvent } from '@ledger/store';
import { positionAt, recordAt } from '@ledger/store';
import type { Evidence, FigureSource, Period } from '@ledger/projection-kit';
import { explainFrom, figureEntry, figuresFrom, projectionsOf } from '@ledger/projection-kit';
import { normalizeKnownAt, statesAsKnownAt } from './figure-report';
import type { ProjectionStateStore } from './projection-state.store';

/** One event behind a figure: enough to find it in the log and to check it. */
export interface ExplainedEvent {
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly learnerId: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
  /**
   * The payload was erased (docs/erasure.md): `eventId` is the placeholder `erased:<position>`,
   * `learnerId` null, `occurredAt` ''; the position, the type and the leaf (`leaf`, when read with hashes) stay.
   */
  readonly erased?: true;
  readonly leaf?: string;
}

export interface FigureProvenance extends ProvenanceHead {
  /** How many events make the figure; `events` holds the first `limit` of them (after `after`), in log order. */
  readonly eventCount: number;
  readonly events: readonly ExplainedEvent[];
  /** The cursor of the next page (`after`): the position of the last event listed when more follow, else null. */
  readonly next: number | null;
}

export class UnknownFigureError extends RangeError {
  constructor(readonly figure: string) {
    super(`unknown figure id ${JSON.stringify(figure)} for this period (the figure ids are the keys of \`report\`'s figures)`);
    this.name = 'UnknownFigureError';
  }
}

/** The fields of a record that name an event in a finding or a provenance. */
export function explained(record: LogRecord): ExplainedEvent {
  return {
    position: record.position,
    eventId: record.eventId,
    type: record.type,
    learnerId: record.learnerId,
    occurredAt: record.occurredAt,
    recordedAt: record.recordedAt,
    ...(record.erased === true ? { erased: true as const, ...(record.hash !== '' ? { leaf: record.hash } : {}) } : {}),
  };
}

/** Which events of a provenance to list: those after a log position (the cursor of a page), at most `limit` of them. */
export interface EventWindow {
  readonly after?: number;
  readonly limit?: number;
}

/** What a listing says once its events are all read: how many make the figure, and the cursor of the next page. */
export interface ListingEnd {
  readonly eventCount: number;
  /** The position of the last event listed when more events follow it in the figure, else null. */
  readonly next: number | null;
}

/** Pages of events in log order, then what `ListingEnd` says: a listing read as it is written, in bounded memory. */
export type EventPages = AsyncGenerator<readonly ExplainedEvent[], ListingEnd>;

/** A figure's provenance but its events: what a stream writes before them. */
export interface ProvenanceHead {
  readonly figure: string;
  readonly value: number | null;
  readonly rule: string;
  readonly period: Period;
  readonly knownAt: string;
  readonly logPosition: number;
}

/** A provenance whose events are still to read: its head now, its events page by page. */
export interface OpenProvenance {
  readonly head: ProvenanceHead;
  /** How many events make the figure when that is known before reading them (a read model that names them), else undefined. */
  readonly eventCount: number | undefined;
  /** The events of the window in log order; each call reads the log again. */
  pages(window?: EventWindow): EventPages;
}

/** The positions, sorted and each once: 8 bytes a position, where a Set would take several times that. */
function sortedDistinct(positions: readonly number[]): Float64Array {
  const sorted = Float64Array.from(positions).sort();
  let kept = 0;
  for (let i = 0; i < sorted.length; i += 1) if (i === 0 || sorted[i] !== sorted[kept - 1]) sorted[kept++] = (sorted[i] ?? 0);
  return sorted.subarray(0, kept);
}

/** The index of the first position above `after` in sorted positions. */
function firstAbove(sorted: Float64Array, after: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The records at these sorted positions, in log order, page by page: a point read each when
 * they are few, else one pass over the log from the first to the last (as many pages of
 * the log as it takes, never all of it in memory).
 */
async function* recordPagesAt(store: EventStore, sorted: Float64Array): AsyncGenerator<readonly ExplainedEvent[]> {
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return;
  if (sorted.length <= 2_000) {
    let page: ExplainedEvent[] = [];
    for (const position of sorted) {
      const lean = await recordAt(store, position, { withoutHashes: true });
      // An erased event is listed with its leaf, which stays: read it again with its hashes.
      const record = lean?.erased === true ? await recordAt(store, position) : lean;
      if (record) page.push(explained(record));
      if (page.length === 500) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
    return;
  }
  // Both in log order: one cursor through the positions wanted, no set of them.
  let wanted = 0;
  for await (const records of store.readPages(first, { pageSize: 5_000, toPosition: last, withoutHashes: true, scan: true })) {
    const page: ExplainedEvent[] = [];
    for (const record of records) {
      while (wanted < sorted.length && (sorted[wanted] ?? 0) < record.position) wanted += 1;
      if (sorted[wanted] === record.position) page.push(explained(record));
    }
    if (page.length > 0) yield page;
  }
}

/** The records at these positions, in log order: a point read each, or one pass when there are many. */
export async function recordsAt(store: EventStore, positions: readonly number[]): Promise<ExplainedEvent[]> {
  const events: ExplainedEvent[] = [];
  for await (const page of recordPagesAt(store, sortedDistinct(positions))) events.push(...page);
  return events;
}

/** The window of the events a read model names: known before any is read. */
async function* namedPages(store: EventStore, sorted: Float64Array, window: EventWindow): EventPages {
  const start = firstAbove(sorted, window.after ?? 0);
  const end = Math.min(sorted.length, start + (window.limit ?? sorted.length));
  yield* recordPagesAt(store, sorted.subarray(start, end));
  return { eventCount: sorted.length, next: end < sorted.length ? (end > start ? (sorted[end - 1] ?? 0) : (window.after ?? 0)) : null };
}

/**
 * The existing events (as known at `knownAt`, a position) of some types that `matches`
 * keeps, in log order: the whole scan counts them, the window's are listed as they are met.
 * When the read model gives their count (`evidence.count`) and the window has a limit, the
 * scan stops at the first matching event after a full window (it proves a next page), or,
 * from the start, once it has listed that many: the count is then the read model's; a scan
 * read to the end gives its own.
 */
async function* scannedPages(store: EventStore, evidence: Extract<Evidence, { kind: 'scan' }>, knownAt: number, window: EventWindow): EventPages {
  const retracted = new Set<string>();
  // The retractions only (the store's index by type): a few reads, not a pass over the log.
  for await (const record of store.readAll(1, { toPosition: knownAt, types: ['EventRetracted'], withoutHashes: true, scan: true })) {
    if (record.erased === true) continue; // erased: no payload, and not counted (docs/erasure.md)
    const retraction = toRecordedEvent(record);
    if (retraction.type === 'EventRetracted') retracted.add(retraction.data.retractedEventId);
  }
  const after = window.after ?? 0;
  const limit = window.limit ?? Number.MAX_SAFE_INTEGER;
  const stopEarly = evidence.count !== undefined && window.limit !== undefined;
  let count = 0;
  let listed = 0;
  let lastListed = after;
  let more = false;
  // Read from `after` on when the read model counts: what lies before it is not listed.
  const from = stopEarly ? after + 1 : 1;
  const read = {
    pageSize: stopEarly ? Math.min(5_000, limit + 1) : 5_000,
    toPosition: knownAt,
    types: [...evidence.types],
    withoutHashes: true,
    scan: true,
    // The events of the types that occurred before the period (a year's before it): skipped by the store, not parsed here.
    ...(evidence.occurredFromDay !== undefined ? { occurredFromDay: evidence.occurredFromDay } : {}),
  };
  for await (const records of store.readPages(from, read)) {
    const page: ExplainedEvent[] = [];
    for (const record of records) {
      if (record.erased === true || retracted.has(record.eventId)) continue;
      if ((evidence.occurred && !evidence.occurred(record.occurredAt)) || !evidence.matches(toRecordedEvent(record))) continue;
      count += 1;
      if (record.position <= after) continue;
      if (listed < limit) {
        page.push(explained(record));
        listed += 1;
        lastListed = record.position;
      } else {
        more = true;
        if (stopEarly) break;
      }
    }
    if (page.length > 0) yield page;
    if (more && stopEarly) return { eventCount: evidence.count ?? count, next: lastListed };
    // From the start, every event the read model counts is listed: none is left to find.
    if (stopEarly && after === 0 && listed === evidence.count) return { eventCount: listed, next: null };
  }
  return { eventCount: stopEarly ? (evidence.count ?? count) : count, next: more ? lastListed : null };
}

/**
 * A figure's provenance, opened: its value as the report gives it and what it counts, from
 * the read model that answers it; its events are read when `pages` is, as they are written.
 */
export async function openProvenance(
  store: EventStore,
  states: ProjectionStateStore,
  sources: readonly FigureSource[],
  request: { figure: string; period: Period; knownAt?: string; now: string; save?: boolean },
): Promise<OpenProvenance> {
  const knownAt = normalizeKnownAt(request.knownAt ?? request.now, request.now);
  const logPosition = await positionAt(store, knownAt);
  const projections = projectionsOf(sources);
  const known = await statesAsKnownAt(store, states, projections, logPosition, request.save === false ? { save: false } : {});
  for (const source of sources) {
    if (!source.explain) continue;
    const at = { states: known, knownAt: logPosition, knownAtMs: Date.parse(knownAt) };
    const value = figuresFrom(source, at, request.period)[request.figure];
    if (value === undefined) continue;
    const explanation = explainFrom(source, at, request.period, request.figure);
    if (!explanation) continue;
    // What it counts is the catalogue's word for it; the family's own rule for an id it does not list.
    const rule = figureEntry(source.catalogue, request.figure)?.counts.en ?? explanation.rule;
    const head: ProvenanceHead = { figure: request.figure, value, rule, period: request.period, knownAt, logPosition };
    const evidence = explanation.evidence;
    if (evidence.kind === 'positions') {
      const sorted = sortedDistinct(evidence.positions);
      return { head, eventCount: sorted.length, pages: (window = {}) => namedPages(store, sorted, window) };
    }
    return { head, eventCount: undefined, pages: (window = {}) => scannedPages(store, evidence, logPosition, window) };
  }
  throw new UnknownFigureError(request.figure);
}

/** The events of a window, all in memory, and what the listing says at its end: for a bounded window only. */
export async function listEvents(pages: EventPages): Promise<ListingEnd & { events: ExplainedEvent[] }> {
  const events: ExplainedEvent[] = [];
  for (;;) {
    const step = await pages.next();
    if (step.done) return { ...step.value, events };
    events.push(...step.value);
  }
}

/**
 * A figure's provenance (`ledger explain`) in one object: its value as the report gives it,
 * what it counts, and the first `limit` events that make it. Whole in memory: a caller that
 * may list millions of events streams `openProvenance` instead.
 */
export async function explainFigure(
  store: EventStore,
  states: ProjectionStateStore,
  sources: readonly FigureSource[],
  request: { figure: string; period: Period; knownAt?: string; now: string; save?: boolean } & EventWindow,
): Promise<FigureProvenance> {
  const opened = await openProvenance(store, states, sources, request);
  const { eventCount, events, next } = await listEvents(opened.pages({ after: request.after, limit: request.limit }));
  return { ...opened.head, eventCount, events, next };
}
