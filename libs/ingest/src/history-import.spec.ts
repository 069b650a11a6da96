import { admitted, learnerActive, pathEnded } from '@ledger/testing/event-builders';
import { seededRandom } from '@ledger/testing/seeded-random';
import { tempSqliteStore } from '@ledger/testing/temp-sqlite';
import type { LedgerEvent } from '@ledger/events';
import type { LogRecord } from '@ledger/store';
import type { HistoryStart } from './history-import';
import { HistoryLoader, historyInMemory, historyOfTexts, NotAPrefixError, ReplayClock } from './history-import';
import { EventsRejectedError } from './event-ingestor';
import type { RejectedEvent } from './event-ingestor';

/**
 * A history of four daily batches. Batch 3 sends an event of batch 1 again (same id and
 * content): its load passes over it, and so must a resumed load.
 */
const HISTORY: Array<{ recordedAt: string; events: LedgerEvent[] }> = [
  { recordedAt: '2020-01-02T01:00:00.000Z', events: [admitted(1, 'a', 'A1', '2020-01-01T09:00:00Z'), learnerActive(2, 'a', '2020-01-01T10:00:00Z')] },
  { recordedAt: '2020-01-03T01:00:00.000Z', events: [learnerActive(3, 'b', '2020-01-02T10:00:00Z')] },
  { recordedAt: '2020-01-04T01:00:00.000Z', events: [learnerActive(2, 'a', '2020-01-01T10:00:00Z'), learnerActive(4, 'c', '2020-01-03T10:00:00Z')] },
  { recordedAt: '2020-01-05T01:00:00.000Z', events: [pathEnded(5, 'a', 'A1', '2020-01-04T18:00:00Z')] },
];
const LAST = '2020-01-05T01:00:00.000Z';

describe('HistoryLoader: a history loaded into a ledger, resumed after an interruption', () => {
  const ledgers: Array<ReturnType<typeof tempSqliteStore>> = [];
  const ledger = () => {
    const clock = new ReplayClock();
    // The same salts in every ledger (leaf v2), so that a resumed load can be compared with a whole one.
    const sut = tempSqliteStore(clock.now, { random: seededRandom('history') });
    ledgers.push(sut);
    return { store: sut.store, clock };
  };
  afterEach(async () => {
    for (const sut of ledgers.splice(0)) await sut.dispose();
  });
  const all = async (target: ReturnType<typeof ledger>): Promise<LogRecord[]> => {
    const out: LogRecord[] = [];
    for await (const record of target.store.readAll()) out.push(record);
    return out;
  };
  const load = async (target: ReturnType<typeof ledger>, batches = HISTORY, lastRecordedAt: string | undefined = LAST) => {
    const starts: HistoryStart[] = [];
    const loader = new HistoryLoader(target.store, target.clock, { ...(lastRecordedAt ? { lastRecordedAt } : {}), onStart: (s) => starts.push(s) });
    const result = await loader.load(historyInMemory(batches));
    return { ...result, starts, kept: loader.kept };
  };

  it('goes on from the batch after the last one the ledger holds whole, to the same log as an uninterrupted load', async () => {
    const whole = ledger();
    expect((await load(whole)).starts).toEqual([{ kind: 'empty' }]);
    for (const cut of [1, 2, 3]) {
      const resumed = ledger();
      await load(resumed, HISTORY.slice(0, cut)); // as if interrupted after `cut` batches
      const rest = await load(resumed);
      const kept = cut === 3 ? 4 : cut === 2 ? 3 : 2; // events held after `cut` batches (batch 3 adds one, not two)
      expect(rest.starts).toEqual([{ kind: 'resume', batches: cut, events: kept, recordedAt: HISTORY[cut - 1]?.recordedAt }]);
      expect(rest.batches).toBe(4 - cut);
      expect(await all(resumed)).toEqual(await all(whole));
    }
  });

  it('knows a complete ledger from its first batch and its last moment, without reading the rest', async () => {
    const target = ledger();
    await load(target);
    expect((await load(target)).starts).toEqual([{ kind: 'complete', events: 5, after: 0, recordedAt: LAST }]);
    // Without the last moment, it compares the whole history, and finds it complete too.
    expect((await load(target, HISTORY, undefined)).starts).toEqual([{ kind: 'complete', events: 5, after: 0, recordedAt: LAST }]);
    // Events recorded after the history are counted, not compared.
    target.clock.set('2021-06-01T00:00:00.000Z');
    await target.store.append({ events: [learnerActive(99, 'z', '2021-05-31T10:00:00Z')] });
    expect((await load(target)).starts).toEqual([{ kind: 'complete', events: 5, after: 1, recordedAt: LAST }]);
  });

  it('refuses, before writing, a ledger that is not a prefix of the history', async () => {
    const refusal = async (target: ReturnType<typeof ledger>): Promise<NotAPrefixError> => {
      const before = await all(target);
      const error = await load(target).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NotAPrefixError);
      expect(await all(target)).toEqual(before);
      return error as NotAPrefixError;
    };
    // Other events first.
    const other = ledger();
    await other.store.append({ events: [learnerActive(50, 'q')] });
    expect((await refusal(other)).message).toMatch(/position 1 holds event .* \(LearnerActive, recorded at 1970-01-01T00:00:00.000Z\), where the history's batch 1 \(recorded at 2020-01-02T01:00:00.000Z\) has event/);
    // Half a batch (written by something else than a load: a load stores a batch whole).
    const half = ledger();
    half.clock.set(HISTORY[0]?.recordedAt ?? '');
    await half.store.append({ events: HISTORY[0]?.events.slice(0, 1) ?? [] });
    expect((await refusal(half)).message).toMatch(/it ends at position 1, inside the history's batch 1 \(recorded at 2020-01-02T01:00:00.000Z\), and a load stores a batch whole/);
    // The right events, recorded at other moments.
    const moved = ledger();
    moved.clock.set('2020-01-02T02:00:00.000Z');
    await moved.store.append({ events: HISTORY[0]?.events ?? [] });
    expect((await refusal(moved)).message).toMatch(/position 1 holds event .*, which the history's batch 1 \(recorded at 2020-01-02T01:00:00.000Z\) records at another moment/);
    // A prefix, then other events.
    const mixed = ledger();
    await load(mixed, HISTORY.slice(0, 2));
    mixed.clock.set('2020-01-03T05:00:00.000Z');
    await mixed.store.append({ events: [learnerActive(60, 'r', '2020-01-03T04:00:00Z')] });
    expect((await refusal(mixed)).message).toMatch(/position 4 holds event .*, where the history's batch 3/);
  });

  it('stops between two batches when its signal is aborted, keeping the batches before', async () => {
    const target = ledger();
    const controller = new AbortController();
    const reason = new Error('interrupted by SIGINT');
    const loader = new HistoryLoader(target.store, target.clock, {
      groupBatches: 1,
      signal: controller.signal,
      onBatch: (kept) => {
        if (kept.batches === 2) controller.abort(reason);
      },
    });
    await expect(loader.load(historyInMemory(HISTORY))).rejects.toBe(reason);
    expect(loader.kept).toEqual({ batches: 2, events: 3, recordedAt: HISTORY[1]?.recordedAt });
    expect((await target.store.head()).position).toBe(3);
  });

  it('says it was still comparing when interrupted before its first write: kept is then only what it compared', async () => {
    const target = ledger();
    await new HistoryLoader(target.store, target.clock).load(historyInMemory(HISTORY.slice(0, 3)));
    const controller = new AbortController();
    const reason = new Error('interrupted by SIGINT');
    const resumed = new HistoryLoader(target.store, target.clock, { signal: controller.signal });
    async function* abortedAtTheSecondBatch() {
      let given = 0;
      for (const batch of historyInMemory(HISTORY)) {
        if (++given === 2) controller.abort(reason);
        yield batch;
      }
    }
    await expect(resumed.load(abortedAtTheSecondBatch())).rejects.toBe(reason);
    expect(resumed.comparing).toBe(true);
    expect(resumed.kept.batches).toBeLessThan(3);
    expect((await target.store.head()).position).toBe(4);
    const whole = new HistoryLoader(target.store, target.clock);
    await whole.load(historyInMemory(HISTORY));
    expect(whole.comparing).toBe(false);
  });

  describe('whole batches appended together (groupEvents, groupBatches)', () => {
    const loadIn = async (target: ReturnType<typeof ledger>, batches: typeof HISTORY, grouping: { groupEvents?: number; groupBatches?: number }) => {
      const loader = new HistoryLoader(target.store, target.clock, grouping);
      const outcome = await loader.load(historyInMemory(batches)).then(
        (loaded) => ({ loaded, error: undefined }),
        (error: unknown) => ({ loaded: undefined, error }),
      );
      return { ...outcome, kept: loader.kept };
    };

    it('stores the same log as one transaction a batch: each event recorded at its batch\'s moment', async () => {
      const daily = ledger();
      const grouped = ledger();
      expect((await loadIn(daily, HISTORY, { groupBatches: 1 })).loaded).toEqual({ start: { kind: 'empty' }, batches: 4, events: 5 });
      expect((await loadIn(grouped, HISTORY, {})).loaded).toEqual({ start: { kind: 'empty' }, batches: 4, events: 5 });
      const log = await all(grouped);
      expect(log).toEqual(await all(daily));
      expect(log.map((r) => r.recordedAt)).toEqual([HISTORY[0]?.recordedAt, HISTORY[0]?.recordedAt, HISTORY[1]?.recordedAt, HISTORY[2]?.recordedAt, HISTORY[3]?.recordedAt]);
    });

    it('keeps the batches before a refused one, and says the refusal as for that batch alone', async () => {
      // Batch 3 ends a path whose admission no event names: refused by the reference checks.
      const refused = [...HISTORY.slice(0, 2), { recordedAt: '2020-01-04T01:00:00.000Z', events: [learnerActive(6, 'c', '2020-01-03T10:00:00Z'), pathEnded(7, 'b', 'NONE', '2020-01-03T18:00:00Z')] }, ...HISTORY.slice(3)];
      for (const grouping of [{ groupBatches: 1 }, {}]) {
        const target = ledger();
        const { error, kept } = await loadIn(target, refused, grouping);
        expect(error).toBeInstanceOf(EventsRejectedError);
        expect((error as EventsRejectedError).errors).toEqual([expect.objectContaining({ index: 1, field: 'data.admissionId' })]);
        expect(kept).toEqual({ batches: 2, events: 3, recordedAt: HISTORY[1]?.recordedAt });
        expect((await target.store.head()).position).toBe(3);
      }
      // A shape refused (occurredAt after the batch's moment): the same.
      const late = [...HISTORY.slice(0, 2), { recordedAt: '2020-01-04T01:00:00.000Z', events: [learnerActive(8, 'c', '2020-01-05T10:00:00Z')] }];
      const target = ledger();
      const { error, kept } = await loadIn(target, late, {});
      expect((error as EventsRejectedError).errors).toEqual([expect.objectContaining({ index: 0, field: 'occurredAt' })]);
      expect(kept.batches).toBe(2);
    });

    it('rolls back the whole group in progress when aborted, never part of a batch', async () => {
      const target = ledger();
      const controller = new AbortController();
      const reason = new Error('interrupted by SIGTERM');
      // Aborted once the fourth batch is checked: the group of batches 3 and 4 is being appended.
      const batches = historyInMemory(HISTORY);
      const watched = (function* () {
        let n = 0;
        for (const batch of batches) {
          n += 1;
          yield n === 4 ? { ...batch, validated: (ingestor: Parameters<typeof batch.validated>[0]) => (controller.abort(reason), batch.validated(ingestor)) } : batch;
        }
      })();
      const loader = new HistoryLoader(target.store, target.clock, { groupBatches: 2, signal: controller.signal });
      await expect(loader.load(watched)).rejects.toBe(reason);
      expect(loader.kept).toEqual({ batches: 2, events: 3, recordedAt: HISTORY[1]?.recordedAt });
      expect((await target.store.head()).position).toBe(3);
    });
  });

  describe('historyOfTexts: batches made and checked elsewhere (the demo worker thread), as JSON text', () => {
    async function* texts(batches: typeof HISTORY, errorsOf: (i: number) => RejectedEvent[] = () => []) {
      for (const [i, batch] of batches.entries()) yield { recordedAt: batch.recordedAt, text: JSON.stringify(batch.events), errors: errorsOf(i) };
    }

    it('loads the same log as the batches in memory', async () => {
      const fromObjects = ledger();
      const fromTexts = ledger();
      await new HistoryLoader(fromObjects.store, fromObjects.clock).load(historyInMemory(HISTORY));
      const loaded = await new HistoryLoader(fromTexts.store, fromTexts.clock).load(historyOfTexts(texts(HISTORY)));
      expect(loaded).toEqual({ start: { kind: 'empty' }, batches: 4, events: 5 });
      expect(await all(fromTexts)).toEqual(await all(fromObjects));
    });

    it('appends a batch said to hold errors alone, checked again here: the batches before it are kept', async () => {
      const late = [...HISTORY.slice(0, 2), { recordedAt: '2020-01-04T01:00:00.000Z', events: [learnerActive(8, 'c', '2020-01-05T10:00:00Z')] }];
      const target = ledger();
      const loader = new HistoryLoader(target.store, target.clock);
      const said = (i: number): RejectedEvent[] => (i === 2 ? [{ index: 0, field: 'occurredAt', message: 'is after the batch' }] : []);
      const error = await loader.load(historyOfTexts(texts(late, said))).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EventsRejectedError);
      // The error is this thread's own check of the batch, not what the text came with.
      expect((error as EventsRejectedError).errors).toEqual([expect.objectContaining({ index: 0, field: 'occurredAt' })]);
      expect((error as EventsRejectedError).errors[0]?.message).not.toBe('is after the batch');
      expect(loader.kept).toEqual({ batches: 2, events: 3, recordedAt: HISTORY[1]?.recordedAt });
    });
  });
});
