import { listEvents, UnknownFigureError } from '@ledger/projection-runtime';
import { parsePeriod } from '@ledger/projection-kit';
import { uuidOf } from '@ledger/testing/event-builders';
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

  it('refuses a figure no report has with UnknownFigureError', async () => {
    await expect(sut.queries.execute(new ExplainQuery({ figure: 'key.nothing', period, now: NOW }))).rejects.toBeInstanceOf(UnknownFigureError);
  });
});
