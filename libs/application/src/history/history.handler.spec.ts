import { courseStarted, learnerActive, retracted, uuidOf } from '@ledger/testing/event-builders';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { EraseLearnerCommand } from '../erase/erase-learner.command';
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
    await sut.commands.execute(new EraseLearnerCommand({ learnerId: 'L1', reason: 'art. 17 request', erasedAt: NOW, eventId: uuidOf(100) }));
    const view = await sut.queries.execute(new EventDetailsQuery({ positions: [1, 2, 3], now: NOW }));
    expect(view.events[0]).toMatchObject({ position: 1, type: 'LearnerActive', data: null, erased: true, retraction: null, learnerId: null });
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
