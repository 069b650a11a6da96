import { parsePeriod } from '@ledger/projection-kit';
import { LATER, NOW, PUBLICATION, twoCoursesOneRetracted, YEAR_2020 } from '@ledger/testing/courses-scenario';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { ReportQuery } from './report.query';

describe('ReportQuery (ReportHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    await twoCoursesOneRetracted(sut);
  });
  afterEach(() => sut.close());

  const period = parsePeriod(YEAR_2020.from, YEAR_2020.to);

  it('gives the report as known at a moment: what was recorded by then, minus what was retracted by then', async () => {
    const atPublication = await sut.queries.execute(new ReportQuery({ period, knownAt: PUBLICATION, now: NOW }));
    expect(atPublication).toMatchObject({ period: YEAR_2020, knownAt: PUBLICATION, logPosition: 2 });
    expect(atPublication.figures['key.courses-started']).toBe(2);
    const later = await sut.queries.execute(new ReportQuery({ period, knownAt: LATER, now: NOW }));
    expect(later).toMatchObject({ knownAt: LATER, logPosition: 3 });
    expect(later.figures['key.courses-started']).toBe(1);
  });

  it('is as known at `now` when no moment is given: the time comes with the query, not from a clock', async () => {
    const report = await sut.queries.execute(new ReportQuery({ period, now: '2021-01-06T00:00:00.000Z' }));
    expect(report).toMatchObject({ knownAt: '2021-01-06T00:00:00.000Z', logPosition: 2 });
  });

  it('refuses a moment after `now`, or not RFC 3339, with a RangeError', async () => {
    await expect(sut.queries.execute(new ReportQuery({ period, knownAt: '2031-01-01T00:00:00Z', now: NOW }))).rejects.toBeInstanceOf(RangeError);
    await expect(sut.queries.execute(new ReportQuery({ period, knownAt: '2021-03-15', now: NOW }))).rejects.toBeInstanceOf(RangeError);
  });
});
