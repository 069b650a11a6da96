import type { FundingGranted } from '@ledger/events';
import { admitted, fundingGranted, pathEnded, retracted, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { fundingFigures, fundingProjection } from './funding.projection';

const january = { from: '2020-01-01', to: '2020-01-31' };
const funding = (n: number, learnerId: string, funder: FundingGranted['data']['funder'], occurredAt: string) =>
  fundingGranted(n, learnerId, funder, { occurredAt });
const figuresAt = (knownAt: string, scenario: ReturnType<typeof given>) =>
  scenario.knownAt(knownAt, fundingProjection, (s, p) => fundingFigures(s, january, p));

describe('funding projection (funding lever, at each month end)', () => {
  it("groups learners in training by their latest funder before the month's end; none is self", async () => {
    const figures = await figuresAt(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-01-05T00:00:00Z', [
        admitted(1, 'a', 'A1', '2020-01-05T00:00:00Z'),
        funding(2, 'a', 'self', '2020-01-04T00:00:00Z'),
        funding(3, 'a', 'public-aid', '2020-01-10T00:00:00Z'),
        admitted(4, 'b', 'B1', '2020-01-06T00:00:00Z'),
        funding(5, 'b', 'employment-program', '2020-01-06T00:00:00Z'),
        admitted(6, 'c', 'C1', '2020-01-07T00:00:00Z'),
        funding(7, 'c', 'pse', '2020-02-01T00:00:00Z'), // after the end of January: c is still self
        funding(8, 'd', 'apprenticeship', '2020-01-07T00:00:00Z'), // funded but not admitted: not in training
      ]),
    );
    expect(figures).toEqual({
      'funding.2020-01.in-training': 3,
      'funding.2020-01.third-party': 1,
      'funding.2020-01.employment-program': 1,
      'funding.2020-01.self': 1,
      'funding.2020-01.funded-share': 2 / 3,
    });
  });

  it('takes the latest funding by occurredAt, not by the order recorded', async () => {
    const figures = await figuresAt(
      '2021-03-15T00:00:00Z',
      given()
        .recorded('2021-01-05T00:00:00Z', [admitted(1, 'a', 'A1', '2020-01-05T00:00:00Z'), funding(2, 'a', 'public-aid', '2020-01-20T00:00:00Z')])
        .recorded('2021-01-06T00:00:00Z', [funding(3, 'a', 'self', '2020-01-10T00:00:00Z')]),
    );
    expect(figures['funding.2020-01.third-party']).toBe(1);
  });

  it('closes an admission by a PathEnded before the end, not at it, and reopens it when the PathEnded is retracted', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [
        admitted(1, 'a', 'A1', '2020-01-05T00:00:00Z'),
        pathEnded(2, 'a', 'A1', '2020-01-31T23:59:59.999Z'),
        admitted(3, 'b', 'B1', '2020-01-05T00:00:00Z'),
        pathEnded(4, 'b', 'B1', '2020-02-01T00:00:00Z'),
        admitted(5, 'c', 'C1', '2020-01-31T23:30:00-01:00'), // 2020-02-01T00:30Z: not yet admitted at the end of January
      ])
      .recorded('2021-04-01T00:00:00Z', [retracted(6, 'a', uuidOf(2))]);
    expect((await figuresAt('2021-03-15T00:00:00Z', scenario))['funding.2020-01.in-training']).toBe(1);
    expect((await figuresAt('2021-04-01T00:00:00Z', scenario))['funding.2020-01.in-training']).toBe(2);
  });

  it('has no funded share for a month with nobody in training', async () => {
    const figures = await figuresAt('2021-03-15T00:00:00Z', given().recorded('2021-01-05T00:00:00Z', [funding(1, 'a', 'pse', '2020-01-04T00:00:00Z')]));
    expect(figures['funding.2020-01.funded-share']).toBeNull();
  });
});
