import type { EventRetracted, EventType, RecordedEvent } from '../../events/src/catalog';
import type { EventStore } from '../../store/src/event-store.port';
import type { LogRecord } from '../../store/src/log-record';
import { toRecordedEvent } from '../../store/src/log-record';
import { positionAt, recordAt } from '../../store/src/position-at';
import type { FigureSource } from './figure-report';
import { normalizeKnownAt, statesAsKnownAt } from './figure-report';
import type { Period } from './period';
import { inPeriod, utcDayOf } from './period';
import type { ProjectionStateStore } from './projection-state.store';

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

/** One event behind a figure: enough to find it in the log and to check it. */
export interface ExplainedEvent {
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly learnerId: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
}

export interface FigureProvenance {
  readonly figure: string;
  readonly value: number | null;
  readonly rule: string;
  readonly period: Period;
  readonly knownAt: string;
  readonly logPosition: number;
  /** How many events make the figure; `events` holds the first `limit` of them, in log order. */
  readonly eventCount: number;
  readonly events: readonly ExplainedEvent[];
}

export class UnknownFigureError extends RangeError {
  constructor(readonly figure: string) {
    super(`unknown figure id ${JSON.stringify(figure)} for this period (the figure ids are the keys of \`report\`'s figures)`);
    this.name = 'UnknownFigureError';
  }
}

/** Counting events of some types in a period: the scan that explains a counter. */
export function eventsInPeriod(types: readonly EventType[], period: Period, also: (event: RecordedEvent) => boolean = () => true): Evidence {
  return { kind: 'scan', types, matches: (event) => inPeriod(utcDayOf(event.occurredAt), period) && also(event) };
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
  };
}

/** The records at these positions, in log order: a point read each, or one pass when there are many. */
export async function recordsAt(store: EventStore, positions: readonly number[]): Promise<ExplainedEvent[]> {
  const sorted = [...positions].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return [];
  const events: ExplainedEvent[] = [];
  if (sorted.length <= 2_000) {
    for (const position of sorted) {
      const record = await recordAt(store, position, { withoutHashes: true });
      if (record) events.push(explained(record));
    }
    return events;
  }
  const wanted = new Set(sorted);
  for await (const record of store.readAll(first, { pageSize: 5_000, toPosition: last, withoutHashes: true })) {
    if (wanted.has(record.position)) events.push(explained(record));
  }
  return events;
}

/** The existing events (as known at `knownAt`, a position) of some types that `matches` keeps. */
async function scan(store: EventStore, evidence: Extract<Evidence, { kind: 'scan' }>, knownAt: number, limit: number): Promise<{ count: number; events: ExplainedEvent[] }> {
  const retracted = new Set<string>();
  for await (const record of store.readAll(1, { toPosition: knownAt, types: ['EventRetracted'], withoutHashes: true })) {
    retracted.add((toRecordedEvent(record) as RecordedEvent<EventRetracted>).data.retractedEventId);
  }
  const events: ExplainedEvent[] = [];
  let count = 0;
  for await (const record of store.readAll(1, { pageSize: 5_000, toPosition: knownAt, types: [...evidence.types], withoutHashes: true })) {
    if (retracted.has(record.eventId) || !evidence.matches(toRecordedEvent(record))) continue;
    count += 1;
    if (events.length < limit) events.push(explained(record));
  }
  return { count, events };
}

/**
 * A figure's provenance (`ledger explain`): its value as the report gives it, what it
 * counts, and the events that make it, from the read model that answers it.
 */
export async function explainFigure(
  store: EventStore,
  states: ProjectionStateStore,
  sources: readonly FigureSource[],
  request: { figure: string; period: Period; knownAt?: string; now: string; save?: boolean; limit?: number },
): Promise<FigureProvenance> {
  const limit = request.limit ?? Number.MAX_SAFE_INTEGER;
  const knownAt = normalizeKnownAt(request.knownAt ?? request.now, request.now);
  const logPosition = await positionAt(store, knownAt);
  const projections = [...new Set(sources.map((s) => s.projection))];
  const known = await statesAsKnownAt(store, states, projections, logPosition, request.save === false ? { save: false } : {});
  for (const source of sources) {
    if (!source.explain) continue;
    const state = known.get(source.projection);
    const value = source.figures(state, request.period, logPosition)[request.figure];
    if (value === undefined) continue;
    const explanation = source.explain(state, request.period, logPosition, request.figure);
    if (!explanation) continue;
    let found: { count: number; events: ExplainedEvent[] };
    if (explanation.evidence.kind === 'positions') {
      const positions = [...new Set(explanation.evidence.positions)].sort((a, b) => a - b);
      found = { count: positions.length, events: await recordsAt(store, positions.slice(0, limit)) };
    } else {
      found = await scan(store, explanation.evidence, logPosition, limit);
    }
    return { figure: request.figure, value, rule: explanation.rule, period: request.period, knownAt, logPosition, eventCount: found.count, events: found.events };
  }
  throw new UnknownFigureError(request.figure);
}
