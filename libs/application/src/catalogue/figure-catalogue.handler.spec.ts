import { parsePeriod } from '@ledger/projection-kit';
import { commitmentSet } from '@ledger/testing/event-builders';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { ReportQuery } from '../report/report.query';
import { FigureCatalogueQuery } from './figure-catalogue.query';

const NOW = '2021-06-01T00:00:00.000Z';
const funded = { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.6 } as const;
const year2020 = parsePeriod('2020-01-01', '2020-12-31');

describe('FigureCatalogueQuery (FigureCatalogueHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    // 2020's commitment set on 2021-01-05 and relabelled on 2021-04-01; a 2021 one set on 2021-01-05.
    await sut.recorded('2021-01-05T00:00:00Z', commitmentSet(1, 'funded', funded), commitmentSet(2, 'funded-2021', funded, 2021, '2021-01-02T00:00:00Z'));
    const revised = commitmentSet(3, 'funded', { ...funded, value: 0.75 });
    await sut.recorded('2021-04-01T00:00:00Z', { ...revised, data: { ...revised.data, label: { fr: '75 % financés', en: '75% funded' } } });
    sut.clock.set(NOW);
  });
  afterEach(() => sut.close());

  const catalogue = (knownAt?: string, period = year2020) => sut.queries.execute(new FigureCatalogueQuery({ period, now: NOW, ...(knownAt ? { knownAt } : {}) }));
  const commitmentEntries = async (knownAt?: string, period = year2020) =>
    (await catalogue(knownAt, period)).figures.filter((f) => f.group === 'commitments').map((f) => [f.id, f.label.en]);

  it("lists the period's commitments with the labels the log gives as known at K: a relabelling counts only from its recordedAt", async () => {
    expect(await commitmentEntries('2021-01-04T23:59:59Z')).toEqual([]);
    const parts = ['target', 'baseline', 'actual', 'attained'];
    const atPublication = await commitmentEntries('2021-03-15T00:00:00Z');
    expect(atPublication.map(([id]) => id)).toEqual(parts.map((p) => `commitments.funded.${p}`));
    expect(atPublication[0]).toEqual(['commitments.funded.target', 'Commitment funded']);
    expect((await commitmentEntries())[0]).toEqual(['commitments.funded.target', '75% funded']);
    expect((await commitmentEntries(undefined, parsePeriod('2021-01-01', '2021-12-31'))).map(([id]) => id)).toEqual(parts.map((p) => `commitments.funded-2021.${p}`));
    const view = await catalogue('2021-03-15T00:00:00Z');
    expect(view).toMatchObject({ knownAt: '2021-03-15T00:00:00.000Z', logPosition: 2 });
  });

  it('names every figure id of the report of the same period and moment, in its order, and no other', async () => {
    for (const knownAt of ['2021-03-15T00:00:00Z', NOW]) {
      const report = await sut.queries.execute(new ReportQuery({ period: year2020, knownAt, now: NOW }));
      expect((await catalogue(knownAt)).figures.map((f) => f.id)).toEqual(Object.keys(report.figures));
    }
  });

  it('refuses a moment after `now`, or not RFC 3339, with a RangeError', async () => {
    await expect(catalogue('2031-01-01T00:00:00Z')).rejects.toBeInstanceOf(RangeError);
    await expect(catalogue('2021-03-15')).rejects.toBeInstanceOf(RangeError);
  });
});
