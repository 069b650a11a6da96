import { UnknownFigureError } from '@ledger/projection-runtime';
import { parsePeriod } from '@ledger/projection-kit';
import { uuidOf } from '@ledger/testing/event-builders';
import { LATER, NOW, PUBLICATION, twoCoursesOneRetracted, YEAR_2020 } from '@ledger/testing/courses-scenario';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { ChangesQuery } from './changes.query';

describe('ChangesQuery (ChangesHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    await twoCoursesOneRetracted(sut);
  });
  afterEach(() => sut.close());

  const period = parsePeriod(YEAR_2020.from, YEAR_2020.to);
  const figure = 'key.courses-started';

  it('gives the values at A and B and the retraction recorded in between that changed the figure', async () => {
    const change = await sut.queries.execute(new ChangesQuery({ figure, period, knownAtA: PUBLICATION, knownAtB: LATER, now: NOW }));
    expect(change).toMatchObject({ figure, a: { knownAt: PUBLICATION, logPosition: 2, value: 2 }, b: { knownAt: LATER, logPosition: 3, value: 1 }, added: [], explained: true });
    expect(change.retracted).toEqual([expect.objectContaining({ event: expect.objectContaining({ eventId: uuidOf(2) }), by: expect.objectContaining({ eventId: uuidOf(3) }) })]);
  });

  it('refuses A after B with a RangeError, an unknown figure with UnknownFigureError', async () => {
    await expect(sut.queries.execute(new ChangesQuery({ figure, period, knownAtA: LATER, knownAtB: PUBLICATION, now: NOW }))).rejects.toThrow(/is after knownAtB/);
    await expect(sut.queries.execute(new ChangesQuery({ figure: 'key.nothing', period, knownAtA: PUBLICATION, knownAtB: LATER, now: NOW }))).rejects.toBeInstanceOf(UnknownFigureError);
  });
});
