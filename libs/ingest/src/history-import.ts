import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { LedgerEvent, LogEvent } from '@ledger/events';
import type { EventStore } from '@ledger/store';
import type { LogRecord, Recording } from '@ledger/store';
import { sameContent } from '@ledger/store';
import { positionAt, recordAt } from '@ledger/store';
import { EventIngestor, EventsRejectedError } from './event-ingestor';
import type { RejectedEvent } from './event-ingestor';
import { importNdjsonText } from './import-file';
import { parseNdjson } from './ndjson-file';

/** One recording batch of a history file's manifest: its lines were recorded together, at `recordedAt`. */
export interface RecordingBatch {
  readonly recordedAt: string;
  readonly fromLine: number;
  readonly toLine: number;
}

/**
 * A clock that says what it is told: replaying a recorded history, the store's `recordedAt`
 * is each batch's recording instant, not the moment of the replay.
 */
export class ReplayClock {
  private current = new Date(0);
  readonly now = (): Date => new Date(this.current);
  set(instant: string): void {
    this.current = new Date(instant);
  }
}

/** One recording batch of a history, as the loader takes it, whatever it comes from (a file, the demo generator). */
export interface HistoryBatch {
  readonly recordedAt: string;
  /** Its events as given: what the ledger is compared with when a load resumes. */
  events(): readonly unknown[];
  /** Checks and appends it, all or nothing; answers how many events were appended. */
  append(ingestor: EventIngestor, signal?: AbortSignal): Promise<number>;
  /**
   * Its events with their shapes checked (the ingestor's clock at its `recordedAt`), for an
   * append of several batches in one unit; throws when any is refused (then `append` says
   * which and why).
   */
  validated(ingestor: EventIngestor): readonly LedgerEvent[];
}

/** Where a load starts, said once before it writes anything. */
export type HistoryStart =
  | { readonly kind: 'empty' }
  /** The ledger holds the history's first `batches` batches, whole, and nothing else: the load goes on from the next one. */
  | { readonly kind: 'resume'; readonly batches: number; readonly events: number; readonly recordedAt: string }
  /** The ledger already holds the whole history (`events`), and `after` events recorded after it: nothing to load. */
  | { readonly kind: 'complete'; readonly events: number; readonly after: number; readonly recordedAt: string };

/** The ledger holds something a load of this history did not write: it is not a prefix of it. */
export class NotAPrefixError extends Error {
  constructor(readonly position: number, detail: string) {
    super(
      `the ledger is not a prefix of this history (${detail}): a history is loaded into an empty ledger, or into one that ` +
        'an interrupted load of the same history left; nothing was written. Load it into another ledger (LEDGER_DB).',
    );
    this.name = 'NotAPrefixError';
  }
}

export interface HistoryLoadOptions {
  /** The recordedAt of the history's last batch, when known without reading it all: a complete ledger is then known at once. */
  readonly lastRecordedAt?: string;
  /** Stops the load (Ctrl-C): the batch in progress is rolled back, and the signal's reason thrown. */
  readonly signal?: AbortSignal;
  readonly onStart?: (start: HistoryStart) => void;
  /** After each batch appended by this load. */
  readonly onBatch?: (kept: HistoryProgress) => void;
  /**
   * Whole batches are appended together, in one atomic unit (one transaction), until they hold
   * at least this many events (default `LOAD_GROUP_EVENTS`; 1: one unit per batch). A crash or
   * an interrupt rolls back the unit in progress, never part of a batch.
   */
  readonly groupEvents?: number;
  /** ...or this many batches (default `LOAD_GROUP_BATCHES`): a month of daily batches, whatever the volume. */
  readonly groupBatches?: number;
  /**
   * Into an empty ledger, the store may drop its indexes for the load and build them once at
   * its end (`EventStore.deferIndexes`; default true). Called with the seconds that build took.
   */
  readonly deferIndexes?: boolean;
  readonly onIndexesBuilt?: (seconds: number) => void;
}

/**
 * Events of whole recording batches appended in one unit by a history load. Few large
 * transactions instead of one a day: each commit rewrites the pages of the event-id index it
 * touched (random UUIDs scatter them), so a day's batch paid nearly one page per event.
 */
export const LOAD_GROUP_EVENTS = 100_000;
export const LOAD_GROUP_BATCHES = 31;

/** What the ledger holds of the history: its first `batches` batches, whole. */
export interface HistoryProgress {
  readonly batches: number;
  readonly events: number;
  /** The last of those batches' recordedAt; null before the first. */
  readonly recordedAt: string | null;
}

/**
 * Loads a recorded history into a ledger, one atomic append per batch, with the store's
 * clock at each batch's `recordedAt`, so that "as known at" questions about its past have
 * answers. Transaction time cannot be rewritten into an existing past, so the ledger must be
 * empty, or hold exactly the first batches of this same history (a load that was
 * interrupted): then the load goes on from the next batch, and the ledger ends byte for byte
 * as after a load that was never interrupted (same positions, recordedAt, hashes). Anything
 * else refuses the load (`NotAPrefixError`) before it writes.
 *
 * `kept` says, at any moment (after a failure or an interrupt too), what the ledger holds of
 * the history; while `comparing`, only what was compared so far (the ledger may hold more).
 */
export class HistoryLoader {
  private progress: HistoryProgress = { batches: 0, events: 0, recordedAt: null };
  private compared = false;

  constructor(
    private readonly store: EventStore,
    private readonly clock: ReplayClock,
    private readonly options: HistoryLoadOptions = {},
  ) {}

  get kept(): HistoryProgress {
    return this.progress;
  }

  /** Still comparing the ledger with the history's first batches: nothing written yet, `kept` a lower bound. */
  get comparing(): boolean {
    return !this.compared;
  }

  async load(batches: Iterable<HistoryBatch> | AsyncIterable<HistoryBatch>): Promise<{ start: HistoryStart; batches: number; events: number }> {
    const { signal } = this.options;
    const source = iteratorOf(batches);
    const found = await this.resumePoint(source);
    this.compared = true;
    this.options.onStart?.(found.start);
    // Into an empty ledger only: the ledger is then, until the load ends, what this load wrote.
    const deferred = found.start.kind === 'empty' && this.options.deferIndexes !== false && (await this.store.deferIndexes?.()) === true;
    const ingestor = new EventIngestor(this.store, this.clock.now);
    const groupEvents = Math.max(1, this.options.groupEvents ?? LOAD_GROUP_EVENTS);
    const groupBatches = Math.max(1, this.options.groupBatches ?? LOAD_GROUP_BATCHES);
    let loaded = 0;
    let events = 0;
    const kept = (batch: HistoryBatch, appended: number): void => {
      loaded += 1;
      events += appended;
      this.progress = { batches: this.progress.batches + 1, events: this.progress.events + appended, recordedAt: batch.recordedAt };
      this.options.onBatch?.(this.progress);
    };
    const one = async (batch: HistoryBatch): Promise<void> => {
      this.clock.set(batch.recordedAt);
      kept(batch, await batch.append(ingestor, signal));
    };
    // Whole batches checked and waiting to be appended together.
    let group: Array<{ batch: HistoryBatch; events: readonly LedgerEvent[] }> = [];
    let grouped = 0;
    const flush = async (): Promise<void> => {
      const units = group;
      group = [];
      grouped = 0;
      if (units.length === 0) return;
      const [first] = units;
      if (units.length === 1 && first) return one(first.batch);
      try {
        for (const [batch, appended] of await this.appendTogether(ingestor, units)) kept(batch, appended);
      } catch (error) {
        if (!(error instanceof EventsRejectedError) || signal?.aborted === true) throw error;
        // A batch of the group was refused: appended one at a time, the batches before it are
        // kept and its own refusal is said as a load of one batch at a time says it.
        for (const unit of units) await one(unit.batch);
      }
    };
    for (let batch = found.next; batch !== undefined; batch = await nextOf(source)) {
      await turn(signal);
      this.clock.set(batch.recordedAt);
      let checked: readonly LedgerEvent[];
      try {
        checked = batch.validated(ingestor);
      } catch (error) {
        // Refused: what is waiting goes in first, then the batch alone says why.
        await flush();
        if (!(error instanceof EventsRejectedError)) throw error;
        await one(batch);
        continue;
      }
      group.push({ batch, events: checked });
      grouped += checked.length;
      if (grouped >= groupEvents || group.length >= groupBatches) await flush();
    }
    await flush();
    if (deferred) {
      const building = performance.now();
      await this.store.buildDeferredIndexes?.();
      this.options.onIndexesBuilt?.((performance.now() - building) / 1000);
    }
    return { start: found.start, batches: loaded, events };
  }

  /** Whole batches, already checked, in one atomic append, each recorded at its own moment; how many events of each were appended. */
  private async appendTogether(
    ingestor: EventIngestor,
    units: ReadonlyArray<{ batch: HistoryBatch; events: readonly LedgerEvent[] }>,
  ): Promise<Array<[HistoryBatch, number]>> {
    const events: LedgerEvent[] = [];
    const recordings: Recording[] = [];
    for (const unit of units) {
      recordings.push({ from: events.length, at: new Date(unit.batch.recordedAt) });
      for (const event of unit.events) events.push(event);
    }
    const signal = this.options.signal;
    const outcomes = await ingestor.appendValidated(events, { recordings, ...(signal ? { signal } : {}) });
    let at = 0;
    return units.map((unit) => {
      let appended = 0;
      for (const end = at + unit.events.length; at < end; at += 1) if (outcomes[at]?.status === 'appended') appended += 1;
      return [unit.batch, appended];
    });
  }

  /**
   * Compares the ledger with the history from its first batch, until the ledger ends: it must
   * end between two batches, each batch before whole, event for event (id, content, recordedAt).
   * A history's event already in the ledger before it (sent twice) was not written again, and
   * is passed over as its load passed over it.
   */
  private async resumePoint(source: AsyncIterator<HistoryBatch>): Promise<{ start: HistoryStart; next: HistoryBatch | undefined }> {
    const head = await this.store.head();
    if (head.position === 0) return { start: { kind: 'empty' }, next: await nextOf(source) };
    const ledger = new LedgerCursor(this.store);
    for (let number = 1; ; number += 1) {
      await turn(this.options.signal);
      const batch = await nextOf(source);
      if (batch === undefined) {
        return { start: { kind: 'complete', events: ledger.position, after: head.position - ledger.position, recordedAt: this.progress.recordedAt ?? '' }, next: undefined };
      }
      let taken = 0;
      for (const raw of batch.events()) {
        const record = await ledger.peek();
        if (record !== undefined && sameRecorded(record, raw, batch.recordedAt)) {
          ledger.take();
          taken += 1;
          continue;
        }
        if (await this.presentBefore(raw, ledger.position)) continue;
        if (record === undefined && taken === 0) {
          const { batches, events, recordedAt } = this.progress;
          return { start: { kind: 'resume', batches, events, recordedAt: recordedAt ?? '' }, next: batch };
        }
        throw new NotAPrefixError(ledger.position + 1, mismatch(record, raw, ledger.position, number, batch.recordedAt));
      }
      this.progress = { batches: number, events: ledger.position, recordedAt: batch.recordedAt };
      if (number === 1 && (await this.holdsAllOf(head))) {
        const last = this.options.lastRecordedAt ?? '';
        const events = await positionAt(this.store, last);
        return { start: { kind: 'complete', events, after: head.position - events, recordedAt: last }, next: undefined };
      }
    }
  }

  /**
   * Whether the ledger, whose first batch is the history's, runs to the history's last
   * batch: its head is at or after that batch's moment, and an event was recorded exactly
   * then. Known without reading the ledger through, so that a complete ledger is not compared
   * event by event on every run.
   */
  private async holdsAllOf(head: { position: number; recordedAt: string | null }): Promise<boolean> {
    const last = this.options.lastRecordedAt;
    if (last === undefined || head.recordedAt === null || head.recordedAt < last) return false;
    const position = await positionAt(this.store, last);
    return (await recordAt(this.store, position, { withoutHashes: true }))?.recordedAt === last;
  }

  private async presentBefore(raw: unknown, position: number): Promise<boolean> {
    const id = eventIdOf(raw);
    if (id === undefined) return false;
    const record = (await this.store.findEvents([id])).get(id);
    return record !== undefined && record.position <= position && sameEvent(record, raw);
  }
}

/**
 * The batches of a history file (`ledger generate` writes one: NDJSON, and the manifest
 * `<file>.batches.json` of its recording batches), read a batch at a time. Errors name the
 * file's lines.
 */
export async function historyFile(
  file: string,
): Promise<{ batches: AsyncIterable<HistoryBatch>; count: number; lines: number; lastRecordedAt: string | undefined }> {
  const manifest = JSON.parse(await readFile(`${file}.batches.json`, 'utf8')) as RecordingBatch[];
  async function* batches(): AsyncGenerator<HistoryBatch> {
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    const iterator = lines[Symbol.asyncIterator]();
    try {
      let lineNumber = 0;
      for (const [i, range] of manifest.entries()) {
        let text = '';
        while (lineNumber < range.toLine) {
          const next = await iterator.next();
          if (next.done) throw new Error(`${file} ends at line ${lineNumber}, before the end of batch ${i + 1} (line ${range.toLine})`);
          lineNumber += 1;
          if (lineNumber >= range.fromLine) text += `${next.value}\n`;
        }
        yield fileBatch(range, text);
      }
    } finally {
      lines.close();
    }
  }
  return { batches: batches(), count: manifest.length, lines: manifest[manifest.length - 1]?.toLine ?? 0, lastRecordedAt: manifest[manifest.length - 1]?.recordedAt };
}

function fileBatch(range: RecordingBatch, text: string): HistoryBatch {
  // Errors name the file's lines, not the batch's.
  const inFile = (error: unknown): never => {
    if (!(error instanceof EventsRejectedError)) throw error;
    throw new EventsRejectedError(error.kind, error.errors.map((e) => (e.line === undefined ? e : { ...e, line: e.line + range.fromLine - 1 })));
  };
  return {
    recordedAt: range.recordedAt,
    events: () => {
      try {
        return parseNdjson(text).raws;
      } catch (error) {
        return inFile(error);
      }
    },
    append: async (ingestor, signal) => {
      try {
        return (await importNdjsonText(text, ingestor, undefined, signal)).appended;
      } catch (error) {
        return inFile(error);
      }
    },
    validated: (ingestor) => ingestor.validate(parseNdjson(text, { duplicateKeys: true }).raws),
  };
}

/** The batches of a history held in memory (the demo generator's, streamed without a file). */
export function* historyInMemory(
  batches: Iterable<{ readonly recordedAt: string; readonly events: readonly LedgerEvent[] }>,
): Generator<HistoryBatch> {
  for (const batch of batches) {
    yield {
      recordedAt: batch.recordedAt,
      events: () => batch.events,
      append: async (ingestor, signal) => {
        const outcomes = await ingestor.ingest(batch.events, signal ? { signal } : {});
        return outcomes.filter((o) => o.status === 'appended').length;
      },
      validated: (ingestor) => ingestor.validate(batch.events),
    };
  }
}

/**
 * The batches of a history made elsewhere (the demo's worker thread): each the JSON text of
 * its events (an array) and the shape errors that text's events have, checked there as
 * `EventIngestor.validate` checks them (at the batch's recordedAt). The text is parsed here,
 * once; a batch with errors is appended as one alone, which checks it again and says why.
 */
export async function* historyOfTexts(
  batches: AsyncIterable<{ readonly recordedAt: string; readonly text: string; readonly errors: readonly RejectedEvent[] }>,
): AsyncGenerator<HistoryBatch> {
  for await (const batch of batches) {
    let parsed: unknown[] | undefined;
    const raws = (): unknown[] => (parsed ??= JSON.parse(batch.text) as unknown[]);
    yield {
      recordedAt: batch.recordedAt,
      events: raws,
      append: async (ingestor, signal) => {
        const outcomes = await ingestor.ingest(raws(), signal ? { signal } : {});
        return outcomes.filter((o) => o.status === 'appended').length;
      },
      validated: () => {
        if (batch.errors.length > 0) throw new EventsRejectedError('invalid', batch.errors);
        return raws() as LedgerEvent[];
      },
    };
  }
}

/**
 * Imports a recorded history file into an empty ledger, or goes on with an interrupted load
 * of it (see `HistoryLoader`).
 */
export async function importRecordedHistory(
  file: string,
  store: EventStore,
  clock: ReplayClock,
  onBatch?: (done: number, total: number) => void,
): Promise<{ batches: number; events: number }> {
  const history = await historyFile(file);
  const loader = new HistoryLoader(store, clock, {
    ...(history.lastRecordedAt !== undefined ? { lastRecordedAt: history.lastRecordedAt } : {}),
    onBatch: (kept) => onBatch?.(kept.batches, history.count),
  });
  const { batches, events } = await loader.load(history.batches);
  return { batches, events };
}

/** `importRecordedHistory` from batches in memory (the demo generator's). */
export async function importRecordedBatches(
  batches: Iterable<{ readonly recordedAt: string; readonly events: readonly LedgerEvent[] }>,
  store: EventStore,
  clock: ReplayClock,
): Promise<{ batches: number; events: number }> {
  const { batches: count, events } = await new HistoryLoader(store, clock).load(historyInMemory(batches));
  return { batches: count, events };
}

/** The log read forward from position 1, one record at a time, a page per read. */
class LedgerCursor {
  private readonly pages: AsyncIterator<readonly LogRecord[]>;
  private page: readonly LogRecord[] = [];
  private at = 0;
  private ended = false;
  /** The position of the last record taken (0 before the first). */
  position = 0;

  constructor(store: EventStore) {
    this.pages = store.readPages(1, { pageSize: 5000, withoutHashes: true })[Symbol.asyncIterator]();
  }

  async peek(): Promise<LogRecord | undefined> {
    while (this.at >= this.page.length && !this.ended) {
      const next = await this.pages.next();
      if (next.done) this.ended = true;
      else {
        this.page = next.value;
        this.at = 0;
      }
    }
    return this.page[this.at];
  }

  take(): void {
    const record = this.page[this.at];
    if (record) this.position = record.position;
    this.at += 1;
  }
}

function mismatch(record: LogRecord | undefined, raw: unknown, last: number, batch: number, recordedAt: string): string {
  const theirs = `the history's batch ${batch} (recorded at ${recordedAt})`;
  if (record === undefined) return `it ends at position ${last}, inside ${theirs}, and a load stores a batch whole`;
  const held = `position ${record.position} holds event ${record.eventId} (${record.type}, recorded at ${record.recordedAt})`;
  if (record.eventId !== eventIdOf(raw)) return `${held}, where ${theirs} has event ${eventIdOf(raw) ?? '(no eventId)'}`;
  return `${held}, which ${theirs} records ${sameEvent(record, raw) ? 'at another moment' : 'with other content'}`;
}

function sameRecorded(record: LogRecord, raw: unknown, recordedAt: string): boolean {
  return record.eventId === eventIdOf(raw) && record.recordedAt === recordedAt && sameEvent(record, raw);
}

/** The idempotency rule of the store (same type, learner, data and instant), on an event as given. */
function sameEvent(record: LogRecord, raw: unknown): boolean {
  try {
    return sameContent(record, raw as LogEvent);
  } catch {
    return false; // not an event at all: not the same as a stored one
  }
}

function eventIdOf(raw: unknown): string | undefined {
  const id = typeof raw === 'object' && raw !== null ? (raw as { eventId?: unknown }).eventId : undefined;
  return typeof id === 'string' ? id : undefined;
}

function iteratorOf<T>(items: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in items) return items[Symbol.asyncIterator]();
  const sync = items[Symbol.iterator]();
  return { next: async () => sync.next() };
}

/**
 * A turn of the event loop, then a look at the signal. An embedded store's append awaits
 * only promises already settled: without this, a load never lets a signal's handler run
 * until it is done.
 */
async function turn(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  signal?.throwIfAborted();
}

async function nextOf<T>(iterator: AsyncIterator<T>): Promise<T | undefined> {
  const step = await iterator.next();
  return step.done ? undefined : step.value;
}
