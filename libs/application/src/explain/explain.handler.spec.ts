import { listEvents, UnknownFigureError } from '@ledger/projection-runtime';
import { parsePeriod } from '@ledger/projection-kit';
import { certificateEarned, courseStarted, learnerActive, retracted, uuidOf } from '@ledger/testing/event-builders';
import { LATER, NOW, PUBLICATION, twoCoursesOneRetracted, YEAR_2020 } from '@ledger/testing/courses-scenario';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { ExplainQuery } from './explain.query';

describe('ExplainQuery (ExplainHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    await twoCoursesOneRetracted(sut);
  });
  afterEach(() => sut.close());

  const period = parsePeriod(YEAR_2020.from, YEAR_2020.to);
  const figure = 'key.courses-started';

  it("opens a figure's provenance: its value, and the events that make it, read when the pages are", async () => {
    const opened = await sut.queries.execute(new ExplainQuery({ figure, period, knownAt: PUBLICATION, now: NOW }));
    expect(opened.head).toMatchObject({ figure, value: 2, knownAt: PUBLICATION, logPosition: 2 });
    const listed = await listEvents(opened.pages());
    expect(listed.events.map((e) => e.eventId)).toEqual([uuidOf(1), uuidOf(2)]);
    const later = await sut.queries.execute(new ExplainQuery({ figure, period, knownAt: LATER, now: NOW }));
    expect(later.head.value).toBe(1);
    expect((await listEvents(later.pages())).events.map((e) => e.eventId)).toEqual([uuidOf(1)]);
  });

  it('pages the events after a cursor', async () => {
    const opened = await sut.queries.execute(new ExplainQuery({ figure, period, knownAt: PUBLICATION, now: NOW }));
    const first = await listEvents(opened.pages({ limit: 1 }));
    expect(first.events.map((e) => e.position)).toEqual([1]);
    expect(first.next).toBe(1);
    expect((await listEvents(opened.pages({ after: 1 }))).events.map((e) => e.position)).toEqual([2]);
  });

  it("lists a counter's window without scanning past it, with the same count, events and cursor as a scan to the end", async () => {
    // Course starts in and out of 2020 among other types, one more retracted: the read model counts them, the scan lists them.
    await sut.recorded(
      '2021-04-10T00:00:00Z',
      courseStarted(10, 'b', '2019-12-31T23:59:59Z'),
      learnerActive(11, 'b', '2020-05-01T00:00:00Z'),
      courseStarted(12, 'b', '2020-05-02T00:00:00Z'),
      certificateEarned(13, 'b', '2020-05-03T00:00:00Z'),
      courseStarted(14, 'c', '2020-06-01T00:00:00Z'),
      courseStarted(15, 'c', '2021-01-02T00:00:00Z'),
      courseStarted(16, 'c', '2020-12-31T12:00:00Z'),
    );
    await sut.recorded('2021-04-11T00:00:00Z', retracted(17, 'c', uuidOf(14)), courseStarted(18, 'd', '2020-08-08T00:00:00Z'));
    const opened = await sut.queries.execute(new ExplainQuery({ figure, period, now: NOW }));
    expect(opened.head.value).toBe(4); // 1, 12, 16, 18 (2 and 14 retracted, 10 and 15 out of 2020)
    const all = await listEvents(opened.pages());
    expect(all.eventCount).toBe(4);
    expect(all.events.map((e) => e.eventId)).toEqual([1, 12, 16, 18].map((n) => uuidOf(n)));
    // Every window: what the scan to the end would list.
    for (const after of [0, ...all.events.map((e) => e.position)]) {
      for (const limit of [1, 2, 3, 4, 5]) {
        const rest = all.events.filter((e) => e.position > after);
        const page = await listEvents(opened.pages({ after, limit }));
        expect(page.eventCount).toBe(4);
        expect(page.events).toEqual(rest.slice(0, limit));
        expect(page.next).toBe(rest.length > limit ? (rest[limit - 1]?.position ?? null) : null);
      }
    }
  });

  it('refuses a figure no report has with UnknownFigureError', async () => {
    await expect(sut.queries.execute(new ExplainQuery({ figure: 'key.nothing', period, now: NOW }))).rejects.toBeInstanceOf(UnknownFigureError);
  });
});
