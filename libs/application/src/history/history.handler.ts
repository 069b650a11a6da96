import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { normalizeKnownAt } from '@ledger/projection-runtime';
import { EVENT_STORE, positionAt, recordAt, toRecordedEvent } from '@ledger/store';
import type { EventStore, LogRecord } from '@ledger/store';
import type { EventDetail, EventDetailsView, EventRetraction, LogYearsView } from './history.query';
import { EVENT_DETAILS_LIMIT, EventDetailsQuery, LogYearsQuery } from './history.query';

const YEAR = /^(\d{4})-/;

/**
 * The years of the log, read once and then only from where the last read stopped: each
 * year is kept with the first position at which an event of it occurs, so the years as
 * known at K are those whose first position is at or before K's. Bad input: RangeError.
 */
@QueryHandler(LogYearsQuery)
export class LogYearsHandler implements IQueryHandler<LogYearsQuery> {
  private readonly firstPosition = new Map<number, number>();
  private scannedTo = 0;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(query: LogYearsQuery): Promise<LogYearsView> {
    const { now } = query.request;
    const knownAt = normalizeKnownAt(query.request.knownAt ?? now, now);
    const logPosition = await positionAt(this.store, knownAt);
    if (logPosition > this.scannedTo) {
      for await (const records of this.store.readPages(this.scannedTo + 1, { pageSize: 5_000, toPosition: logPosition, withoutHashes: true })) {
        for (const record of records) {
          const year = YEAR.exec(record.occurredAt)?.[1]; // an erased record has no occurredAt
          if (year !== undefined && !this.firstPosition.has(Number(year))) this.firstPosition.set(Number(year), record.position);
          this.scannedTo = record.position;
        }
      }
      this.scannedTo = Math.max(this.scannedTo, logPosition);
    }
    const years = [...this.firstPosition].filter(([, position]) => position <= logPosition).map(([year]) => year).sort((a, b) => a - b);
    return { knownAt, logPosition, years };
  }
}

function retractionOf(record: LogRecord, knownAt: string): [string, EventRetraction] | undefined {
  if (record.erased === true) return undefined;
  const event = toRecordedEvent(record);
  if (event.type !== 'EventRetracted') return undefined;
  const afterKnownAt = Date.parse(record.recordedAt) > Date.parse(knownAt);
  return [event.data.retractedEventId, { position: record.position, eventId: record.eventId, recordedAt: record.recordedAt, reason: event.data.reason, afterKnownAt }];
}

/** The events of a provenance page in full, each with its retraction. Bad input (no position, too many, not a position): RangeError. */
@QueryHandler(EventDetailsQuery)
export class EventDetailsHandler implements IQueryHandler<EventDetailsQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(query: EventDetailsQuery): Promise<EventDetailsView> {
    const { positions, now } = query.request;
    if (positions.length === 0) throw new RangeError('positions: give at least one log position');
    if (positions.length > EVENT_DETAILS_LIMIT) throw new RangeError(`positions: at most ${EVENT_DETAILS_LIMIT} log positions a request, got ${positions.length}`);
    for (const position of positions) if (!Number.isSafeInteger(position) || position < 1) throw new RangeError(`positions: ${JSON.stringify(position)} is not a log position (an integer from 1)`);
    const knownAt = normalizeKnownAt(query.request.knownAt ?? now, now);
    const logPosition = await positionAt(this.store, knownAt);
    const head = (await this.store.head()).position;
    // Every retraction the log holds now: an event listed as known at K may have been retracted since.
    const retractions = new Map<string, EventRetraction>();
    for await (const record of this.store.readAll(1, { toPosition: head, types: ['EventRetracted'], withoutHashes: true })) {
      const found = retractionOf(record, knownAt);
      if (found) retractions.set(found[0], found[1]);
    }
    const events: EventDetail[] = [];
    for (const position of [...new Set(positions)].sort((a, b) => a - b)) {
      if (position > head) continue;
      const record = await recordAt(this.store, position, { withoutHashes: true });
      if (!record) continue;
      const common = { position: record.position, eventId: record.eventId, type: record.type, learnerId: record.learnerId, occurredAt: record.occurredAt, recordedAt: record.recordedAt };
      // Erased: the personal part stays gone, its payload with it.
      if (record.erased === true) events.push({ ...common, data: null, erased: true, retraction: null });
      else events.push({ ...common, data: toRecordedEvent(record).data, retraction: retractions.get(record.eventId) ?? null });
    }
    return { knownAt, logPosition, events };
  }
}
