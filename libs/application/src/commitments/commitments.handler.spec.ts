import { parsePeriod } from '@ledger/projection-kit';
import { commitmentSet, uuidOf } from '@ledger/testing/event-builders';
import type { UseCasesUnderTest } from '@ledger/testing/use-cases-under-test';
import { useCasesOnSqlite } from '@ledger/testing/use-cases-under-test';
import { CommitmentsQuery } from './commitments.query';

const NOW = '2021-06-01T00:00:00.000Z';
const funded = { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.6 } as const;

describe('CommitmentsQuery (CommitmentsHandler)', () => {
  let sut: UseCasesUnderTest;
  beforeEach(async () => {
    sut = await useCasesOnSqlite();
    // 2020's commitment set on 2021-01-05, raised to 0.75 on 2021-04-01; a 2021 one on 2021-01-05.
    await sut.recorded('2021-01-05T00:00:00Z', commitmentSet(1, 'funded', funded), commitmentSet(2, 'funded-2021', funded, 2021, '2021-01-02T00:00:00Z'));
    await sut.recorded('2021-04-01T00:00:00Z', commitmentSet(3, 'funded', { ...funded, value: 0.75 }, 2020, '2020-01-05T10:00:00Z'));
    sut.clock.set(NOW);
  });
  afterEach(() => sut.close());

  const year2020 = parsePeriod('2020-01-01', '2020-12-31');
  const targets = async (knownAt: string | undefined, period = year2020) =>
    (await sut.queries.execute(new CommitmentsQuery({ period, now: NOW, ...(knownAt ? { knownAt } : {}) }))).commitments.map((c) => [c.commitmentId, c.target, c.setAt.eventId]);

  it("gives each commitment of the period as known at K: a revision counts only from its recordedAt, whatever its occurredAt", async () => {
    expect(await targets('2021-01-04T23:59:59Z')).toEqual([]);
    expect(await targets('2021-03-15T00:00:00Z')).toEqual([['funded', 0.6, uuidOf(1)]]);
    expect(await targets(undefined)).toEqual([['funded', 0.75, uuidOf(3)]]);
    const view = await sut.queries.execute(new CommitmentsQuery({ period: year2020, knownAt: '2021-03-15T00:00:00Z', now: NOW }));
    expect(view).toMatchObject({ knownAt: '2021-03-15T00:00:00.000Z', logPosition: 2 });
    expect(view.commitments[0]).toMatchObject({ year: 2020, lever: 'funding', kind: 'at-least', figure: 'funding.2020-12.funded-share', label: { en: 'Commitment funded', fr: 'Engagement funded' } });
  });

  it("lists a commitment in the period that holds its year's 1 January only", async () => {
    expect(await targets(undefined, parsePeriod('2021-01-01', '2021-12-31'))).toEqual([['funded-2021', 0.6, uuidOf(2)]]);
    expect(await targets(undefined, parsePeriod('2020-02-01', '2020-12-31'))).toEqual([]);
  });

  it('refuses a moment after `now`, or not RFC 3339, with a RangeError', async () => {
    await expect(sut.queries.execute(new CommitmentsQuery({ period: year2020, knownAt: '2031-01-01T00:00:00Z', now: NOW }))).rejects.toBeInstanceOf(RangeError);
    await expect(sut.queries.execute(new CommitmentsQuery({ period: year2020, knownAt: '2021-03-15', now: NOW }))).rejects.toBeInstanceOf(RangeError);
  });
});
