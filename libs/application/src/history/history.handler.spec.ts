import { courseStarted, learnerActive, retracted, uuidOf } from '@ledger/testing/event-builders';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { EraseLearnerCommand } from '../erase/erase-learner.command';
import { PROJECTION_STATES } from '@ledger/projection-runtime';
import type { ProjectionStateStore } from '@ledger/projection-runtime';
import type { EventStore, ReadAllOptions } from '@ledger/store';
import { ReadModelsQueue } from '../read-models.queue';
import { LogYearsHandler } from './history.handler';
import { EventDetailsQuery, LogYearsQuery } from './history.query';

const NOW = '2021-06-01T00:00:00.000Z';

describe('LogYearsQuery and EventDetailsQuery (the dashboard history)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    // 2019 and 2020 recorded on 2021-01-05; a 2021 event, and the retraction of the 2020 course, on 2021-04-01.
    await sut.recorded('2021-01-05T00:00:00Z', learnerActive(1, 'L1', '2019-05-01T10:00:00Z'), courseStarted(2, 'L1', '2020-03-01T10:00:00Z'), courseStarted(3, 'L2', '2020-04-01T10:00:00Z'));
    await sut.recorded('2021-04-01T00:00:00Z', learnerActive(4, 'L2', '2021-02-01T10:00:00Z'), retracted(5, 'L1', uuidOf(2), '2021-03-30T00:00:00Z'));
    sut.clock.set(NOW);
  });
  afterEach(() => sut.close());

  const years = async (knownAt?: string) => (await sut.queries.execute(new LogYearsQuery({ now: NOW, ...(knownAt ? { knownAt } : {}) }))).years;

  it('gives the years of the events as known at K, read again only from where it stopped', async () => {
    expect(await years('2021-01-04T00:00:00Z')).toEqual([]);
    expect(await years()).toEqual([2019, 2020, 2021]);
    expect(await years('2021-03-15T00:00:00Z')).toEqual([2019, 2020]); // after a read to the head: the cache answers a prefix
    await sut.recorded('2021-05-01T00:00:00Z', learnerActive(6, 'L3', '2018-12-31T23:00:00Z'));
    expect(await years()).toEqual([2018, 2019, 2020, 2021]);
    await expect(sut.queries.execute(new LogYearsQuery({ now: NOW, knownAt: '2031-01-01T00:00:00Z' }))).rejects.toBeInstanceOf(RangeError);
  });

  /** The store, recording where each read of pages starts. */
  function watched(store: EventStore): { store: EventStore; starts: number[] } {
    const starts: number[] = [];
    const proxy = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'readPages') return (from?: number, options?: ReadAllOptions) => (starts.push(from ?? 1), target.readPages(from, options));
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { store: proxy, starts };
  }

  it('keeps the years beside the read models: after a restart, only the events since are read', async () => {
    expect(await years()).toEqual([2019, 2020, 2021]);
    await sut.recorded('2021-05-01T00:00:00Z', learnerActive(6, 'L3', '2018-12-31T23:00:00Z'));
    const states = sut.app.get<ProjectionStateStore>(PROJECTION_STATES);
    const { store, starts } = watched(sut.store);
    const restarted = new LogYearsHandler(store, states, new ReadModelsQueue());
    const view = await restarted.execute(new LogYearsQuery({ now: NOW }));
    expect(view.years).toEqual([2018, 2019, 2020, 2021]);
    expect(starts).toEqual([6]); // the kept years stopped at 5
    expect((await restarted.execute(new LogYearsQuery({ now: NOW, knownAt: '2021-03-15T00:00:00Z' }))).years).toEqual([2019, 2020]);
    // Kept for another log: not used (the log id binds them, as it binds the read models).
    await states.save({ ...(await states.load('log-years'))!, logId: 'another-log' });
    const other = watched(sut.store);
    expect((await new LogYearsHandler(other.store, states, new ReadModelsQueue()).execute(new LogYearsQuery({ now: NOW }))).years).toEqual([2018, 2019, 2020, 2021]);
    expect(other.starts).toEqual([1]);
  });

  it('forgets a year whose only events were erased, kept or not', async () => {
    await sut.recorded('2021-05-01T00:00:00Z', learnerActive(6, 'L3', '2018-12-31T23:00:00Z'));
    expect(await years()).toEqual([2018, 2019, 2020, 2021]);
    await sut.commands.execute(new EraseLearnerCommand({ learnerId: 'L3', reason: 'art. 17 request', erasedAt: NOW, eventId: uuidOf(101) }));
    expect(await years()).toEqual([2019, 2020, 2021]);
    const restarted = new LogYearsHandler(sut.store, sut.app.get<ProjectionStateStore>(PROJECTION_STATES), new ReadModelsQueue());
    expect((await restarted.execute(new LogYearsQuery({ now: NOW }))).years).toEqual([2019, 2020, 2021]);
  });

  it("gives each event's payload, and its retraction with the reason, flagged when it came after K", async () => {
    const at = await sut.queries.execute(new EventDetailsQuery({ positions: [3, 2], knownAt: '2021-03-15T00:00:00Z', now: NOW }));
    expect(at.logPosition).toBe(3);
    expect(at.events.map((e) => e.position)).toEqual([2, 3]);
    expect(at.events[0]).toMatchObject({ eventId: uuidOf(2), type: 'CourseStarted', learnerId: 'L1', data: courseStarted(2, 'L1').data });
    expect(at.events[0]?.retraction).toEqual({ position: 5, eventId: uuidOf(5), recordedAt: '2021-04-01T00:00:00.000Z', reason: 'entered twice', afterKnownAt: true });
    expect(at.events[1]?.retraction).toBeNull();
    const now = await sut.queries.execute(new EventDetailsQuery({ positions: [2], now: NOW }));
    expect(now.events[0]?.retraction?.afterKnownAt).toBe(false);
  });

  it('keeps an erased learner erased: no payload, no retraction, only the position and type', async () => {
    await sut.recorded('2021-05-01T00:00:00Z', retracted(7, 'L2', uuidOf(3)));
    await sut.commands.execute(new EraseLearnerCommand({ learnerId: 'L1', reason: 'art. 17 request', erasedAt: NOW, eventId: uuidOf(100) }));
    const view = await sut.queries.execute(new EventDetailsQuery({ positions: [1, 2, 3], now: NOW }));
    expect(view.events[0]).toMatchObject({ position: 1, type: 'LearnerActive', data: null, erased: true, retraction: null, learnerId: null });
    // Position 2 was retracted by position 5, both L1's: the retraction, erased too, is no longer given; position 3, L2's, by position 6.
    expect(view.events[1]).toMatchObject({ position: 2, data: null, erased: true, retraction: null });
    expect(view.events[2]?.retraction).toMatchObject({ position: 6, eventId: uuidOf(7), reason: 'entered twice' }); // L2's, not erased
    expect(JSON.stringify(view)).not.toContain('L1');
    expect(view.events[2]).toMatchObject({ learnerId: 'L2', data: courseStarted(3, 'L2').data });
  });

  it('refuses no position, too many, or one that is not a position', async () => {
    const ask = (positions: number[]) => sut.queries.execute(new EventDetailsQuery({ positions, now: NOW }));
    await expect(ask([])).rejects.toThrow(/^positions: give at least one/);
    await expect(ask(Array.from({ length: 201 }, (_, i) => i + 1))).rejects.toThrow(/at most 200/);
    await expect(ask([0])).rejects.toThrow(/not a log position/);
  });
});
