import { figureSource } from '@ledger/projection-kit';
import { admission, assessedFunding, assessment, fundingGranted, retracted, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { learnerProfilesProjection } from '../learner-profiles/learner-profiles.projection';
import { dataCoverageCatalogue, dataCoverageFigures, explainDataCoverage } from './data-coverage.figures';

const source = figureSource(learnerProfilesProjection, { figures: dataCoverageFigures, explain: explainDataCoverage, catalogue: dataCoverageCatalogue });
const year2020 = { from: '2020-01-01', to: '2020-12-31' };

describe('data coverage (KPIS.md v2, "Données disponibles")', () => {
  it('counts every member of a segment, assessed or not, and the share assessed; null for an empty segment', async () => {
    const scenario = given()
      .recorded('2021-01-10T00:00:00Z', [
        assessedFunding(1, 'a', 'public-aid', '2020-03-01T00:00:00Z', assessment(['refugee'])),
        fundingGranted(2, 'b', 'pse', { occurredAt: '2020-12-31T23:30:00-01:00' }), // 2021 in UTC: not a 2020 member
        fundingGranted(3, 'c', 'public-aid', { occurredAt: '2020-05-01T00:00:00Z' }),
        admission(4, 'd', '2020-02-01T00:00:00Z', { track: 'employment-program' }),
      ])
      .recorded('2021-02-01T00:00:00Z', [retracted(5, 'c', uuidOf(3), '2021-01-31T00:00:00Z')]);
    const published = await scenario.report('2021-01-15T00:00:00Z', source, year2020, 'populations.paid-funded.members');
    expect(published.figures).toEqual({
      'populations.paid-funded.members': 2,
      'populations.paid-funded.assessed-share': 0.5,
      'populations.employment-program.members': 1,
      'populations.employment-program.assessed-share': 0,
      'populations.employer-funded.members': 0,
      'populations.employer-funded.assessed-share': null,
    });
    expect(published.explanation?.evidence).toEqual({ kind: 'positions', positions: [1, 3] });
    const now = await scenario.report('2021-02-02T00:00:00Z', source, year2020);
    expect(now.figures).toMatchObject({ 'populations.paid-funded.members': 1, 'populations.paid-funded.assessed-share': 1 });
  });
});
