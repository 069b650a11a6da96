import type { ApprenticeshipContractSigned, ProfessionalOutcomeReported } from '@ledger/events';
import { admitted, courseStarted, fundingGranted, pathEnded, retracted, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { impactDeclarations, impactFigures, impactProjection } from './impact.projection';

const year2020 = { from: '2020-01-01', to: '2020-12-31' };

function outcome(n: number, learnerId: string, occurredAt: string, kind: ProfessionalOutcomeReported['data']['outcome'] = 'new-job'): ProfessionalOutcomeReported {
  return { eventId: uuidOf(n), type: 'ProfessionalOutcomeReported', learnerId, occurredAt, data: { outcome: kind, evidence: { kind: 'survey-response', reference: `SR${n}` } } };
}
function contract(n: number, learnerId: string, occurredAt: string): ApprenticeshipContractSigned {
  return { eventId: uuidOf(n), type: 'ApprenticeshipContractSigned', learnerId, occurredAt, data: { contractId: `K${n}`, employerId: 'E1' } };
}
const figuresOf2020 = (knownAt: string, scenario: ReturnType<typeof given>) =>
  scenario.knownAt(knownAt, impactProjection, (s, p) => impactFigures(s, year2020, p));

describe('impact projection: declarations only, no impact by default', () => {
  it('counts nothing for a learner who graduated, certified, was admitted and funded, but declared nothing', async () => {
    const figures = await figuresOf2020(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-01-05T00:00:00Z', [
        admitted(1, 'a', 'A1', '2020-01-10T00:00:00Z'),
        fundingGranted(2, 'a', 'apprenticeship', { occurredAt: '2020-02-01T00:00:00Z' }),
        courseStarted(3, 'a', '2020-02-01T00:00:00Z'),
        pathEnded(4, 'a', 'A1', '2020-09-01T00:00:00Z'),
      ]),
    );
    expect(figures['impact.positive-progressions']).toBe(0);
  });

  it('counts each learner once, whatever number of declarations, and per outcome', async () => {
    const figures = await figuresOf2020(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-01-05T00:00:00Z', [
        outcome(1, 'a', '2020-03-01T00:00:00Z', 'new-job'),
        outcome(2, 'a', '2020-06-01T00:00:00Z', 'promotion'),
        contract(3, 'b', '2020-04-01T00:00:00Z'),
        outcome(4, 'b', '2020-05-01T00:00:00Z', 'apprenticeship'),
        outcome(5, 'c', '2020-07-01T00:00:00Z', 'business-created'),
      ]),
    );
    expect(figures).toEqual({
      'impact.positive-progressions': 3,
      'impact.by-outcome.new-job': 1,
      'impact.by-outcome.promotion': 1,
      'impact.by-outcome.business-created': 1,
      'impact.by-outcome.apprenticeship': 1,
    });
  });

  it('takes the period in UTC: a declaration at 00:30+01:00 on 1 January belongs to the year before', async () => {
    const figures = await figuresOf2020(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-01-05T00:00:00Z', [outcome(1, 'a', '2021-01-01T00:30:00+01:00'), outcome(2, 'b', '2020-01-01T00:30:00+01:00')]),
    );
    expect(figures['impact.positive-progressions']).toBe(1);
  });

  it('as known before and after a retraction, differs by exactly the retracted declaration', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [outcome(1, 'a', '2020-03-01T00:00:00Z'), outcome(2, 'b', '2020-03-01T00:00:00Z')])
      .recorded('2021-04-01T00:00:00Z', [retracted(3, 'a', uuidOf(1))]);
    expect((await figuresOf2020('2021-03-15T00:00:00Z', scenario))['impact.positive-progressions']).toBe(2);
    expect((await figuresOf2020('2021-04-01T00:00:00Z', scenario))['impact.positive-progressions']).toBe(1);
  });

  it('counts a late declaration in the year it happened, from the moment it was recorded', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [outcome(1, 'a', '2020-03-01T00:00:00Z')])
      .recorded('2021-05-01T00:00:00Z', [outcome(2, 'b', '2020-11-20T00:00:00Z')]);
    expect((await figuresOf2020('2021-03-15T00:00:00Z', scenario))['impact.positive-progressions']).toBe(1);
    expect((await figuresOf2020('2021-06-01T00:00:00Z', scenario))['impact.positive-progressions']).toBe(2);
  });

  it('names the declarations that make the figure, with their evidence (provenance)', async () => {
    const declarations = await given()
      .recorded('2021-01-05T00:00:00Z', [outcome(1, 'a', '2020-03-01T00:00:00Z'), contract(2, 'b', '2020-04-01T00:00:00Z'), outcome(3, 'c', '2019-04-01T00:00:00Z')])
      .knownAt('2021-03-15T00:00:00Z', impactProjection, (s) => impactDeclarations(s, year2020));
    expect(declarations).toEqual([
      expect.objectContaining({ eventId: uuidOf(1), learnerId: 'a', position: 1, evidence: { kind: 'survey-response', reference: 'SR1' } }),
      expect.objectContaining({ eventId: uuidOf(2), learnerId: 'b', position: 2, outcome: 'apprenticeship', evidence: { kind: 'signed-contract', reference: 'K2' } }),
    ]);
  });
});
