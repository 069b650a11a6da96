import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { normalizeKnownAt, PROJECTION_STATES } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import { EVENT_STORE, positionAt, recordAt, toRecordedEvent } from '@ledger/store';
import type { EventStore, LogRecord } from '@ledger/store';
import { ReadModelsQueue } from '../read-models.queue';
import type { EventDetail, EventDetailsView, EventRetraction, LogYearsView } from './history.query';
import { EVENT_DETAILS_LIMIT, EventDetailsQuery, LogYearsQuery } from './history.query';

const YEAR = /^(\d{4})-/;

/** Where the years are kept between runs: beside the read models, bound to the log like them. */
const YEARS_STATE = 'log-years';
const YEARS_VERSION = 1;

/** The kept years: each with the first position at which an event of it occurs. */
interface StoredYears {
  readonly years: ReadonlyArray<readonly [number, number]>;
}

function isStoredYears(state: unknown): state is StoredYears {
  if (typeof state !== 'object' || state === null || !('years' in state) || !Array.isArray(state.years)) return false;
  const years: unknown[] = state.years;
  return years.every((entry) => Array.isArray(entry) && entry.length === 2 && entry.every((n) => Number.isSafeInteger(n)));
}

/**
 * The years of the log, read once and then only from where the last read stopped: each
 * year is kept with the first position at which an event of it occurs, so the years as
 * known at K are those whose first position is at or before K's. What was read is kept
 * beside the read models (`log-years`, bound to the log by its id and chain hash like a
 * projection's checkpoint): the first call after a start reads only what came since. An
 * erasure (a `LearnerErased` among the new events) takes occurredAt from past events: the
 * years are then read again from the start. Bad input: RangeError.
 */
@QueryHandler(LogYearsQuery)
export class LogYearsHandler implements IQueryHandler<LogYearsQuery> {
  private readonly firstPosition = new Map<number, number>();
  private scannedTo = 0;
  private loaded = false;
  /** One read of the log at a time: a second call waits for the first, then reads what is left. */
  private reading: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_STATES) private readonly states: ProjectionStateStore,
    private readonly queue: ReadModelsQueue,
  ) {}

  async execute(query: LogYearsQuery): Promise<LogYearsView> {
    const { now } = query.request;
    const knownAt = normalizeKnownAt(query.request.knownAt ?? now, now);
    const logPosition = await positionAt(this.store, knownAt);
    const read = this.reading.then(() => this.readTo(logPosition));
    this.reading = read.catch(() => undefined);
    await read;
    const years = [...this.firstPosition].filter(([, position]) => position <= logPosition).map(([year]) => year).sort((a, b) => a - b);
    return { knownAt, logPosition, years };
  }

  private async readTo(logPosition: number): Promise<void> {
    if (!this.loaded) {
      await this.loadKept();
      this.loaded = true;
    }
    if (logPosition <= this.scannedTo) return;
    const from = this.scannedTo;
    // A first read from the start sees the erased events as they are now: no need to stop.
    if (await this.scan(from + 1, logPosition, from > 0)) {
      // An erasure since the last read: the erased events have no occurredAt any more.
      this.firstPosition.clear();
      this.scannedTo = 0;
      await this.scan(1, logPosition, false);
    }
    this.scannedTo = Math.max(this.scannedTo, logPosition);
    await this.keep();
  }

  /** Folds the years of positions `from` to `to`; with `stopAtErasure`, stops at a LearnerErased and says so. */
  private async scan(from: number, to: number, stopAtErasure: boolean): Promise<boolean> {
    for await (const records of this.store.readPages(from, { pageSize: 5_000, toPosition: to, withoutHashes: true, scan: true })) {
      for (const record of records) {
        if (stopAtErasure && record.type === 'LearnerErased') return true;
        const year = YEAR.exec(record.occurredAt)?.[1]; // an erased record has no occurredAt
        if (year !== undefined && !this.firstPosition.has(Number(year))) this.firstPosition.set(Number(year), record.position);
        this.scannedTo = record.position;
      }
    }
    return false;
  }

  /** The years kept by an earlier run, when they were read from this log as it still is. */
  private async loadKept(): Promise<void> {
    const kept = await this.states.load(YEARS_STATE);
    if (!kept || kept.version !== YEARS_VERSION || !isStoredYears(kept.state)) return;
    if (kept.logId !== (await this.store.identity()).logId) return;
    if (kept.position > 0 && (await recordAt(this.store, kept.position))?.chain !== kept.chain) return;
    for (const [year, position] of kept.state.years) this.firstPosition.set(year, position);
    this.scannedTo = kept.position;
  }

  private async keep(): Promise<void> {
    const position = this.scannedTo;
    const chain = (await recordAt(this.store, position))?.chain;
    if (chain === undefined) return;
    const state: StoredYears = { years: [...this.firstPosition] };
    const logId = (await this.store.identity()).logId;
    await this.queue.run(() => this.states.save({ name: YEARS_STATE, version: YEARS_VERSION, position, state, logId, chain }));
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
