import type { FundingGranted } from '@ledger/events';
import { fundingGranted, retracted, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { partnershipsFigures, partnershipsProjection } from './partnerships.projection';

const year2020 = { from: '2020-01-01', to: '2020-12-31' };
function funding(n: number, learnerId: string, funder: FundingGranted['data']['funder'], employerId?: string, occurredAt?: string): FundingGranted {
  return fundingGranted(n, learnerId, funder, { ...(employerId ? { employerId } : {}), ...(occurredAt ? { occurredAt } : {}) });
}

describe('partnerships projection (corporate partnerships lever)', () => {
  it('counts distinct learners per employer funder, in total, and distinct partner employers', async () => {
    const figures = await given()
      .recorded('2021-01-05T00:00:00Z', [
        funding(1, 'a', 'apprenticeship', 'E1'),
        funding(2, 'a', 'apprenticeship', 'E1', '2020-09-01T00:00:00Z'),
        funding(3, 'b', 'employer-abroad', 'E2'),
        funding(4, 'b', 'pse', 'E3'),
        funding(5, 'c', 'employer', 'E1'),
        funding(6, 'd', 'public-aid'),
        funding(7, 'e', 'self'),
        funding(8, 'f', 'apprenticeship', 'E9', '2019-12-31T23:59:59Z'),
      ])
      .knownAt('2021-03-15T00:00:00Z', partnershipsProjection, (s, p) => partnershipsFigures(s, year2020, p));
    expect(figures).toEqual({
      'partnerships.apprenticeship': 1,
      'partnerships.employer': 1,
      'partnerships.employer-abroad': 1,
      'partnerships.pse': 1,
      'partnerships.total': 3,
      'partnerships.partner-employers': 3,
    });
  });

  it('drops a retracted funding from the figures as known after the retraction only', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [funding(1, 'a', 'pse', 'E1'), funding(2, 'b', 'pse', 'E2')])
      .recorded('2021-04-01T00:00:00Z', [retracted(3, 'b', uuidOf(2))]);
    const before = await scenario.knownAt('2021-03-15T00:00:00Z', partnershipsProjection, (s, p) => partnershipsFigures(s, year2020, p));
    const after = await scenario.knownAt('2021-05-01T00:00:00Z', partnershipsProjection, (s, p) => partnershipsFigures(s, year2020, p));
    expect([before['partnerships.pse'], before['partnerships.partner-employers']]).toEqual([2, 2]);
    expect([after['partnerships.pse'], after['partnerships.partner-employers']]).toEqual([1, 1]);
  });
});
