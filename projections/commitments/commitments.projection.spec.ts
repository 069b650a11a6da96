import { figureSource } from '@ledger/projection-kit';
import { admitted, commitmentSet, fundingGranted, signupSurvey } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { explainFunding, fundingCatalogue, fundingFigures, fundingProjection } from '../funding/funding.projection';
import { explainSurvey, surveyCatalogue, surveyFigures, surveyProjection } from '../survey/survey.projection';
import { commitmentsSource } from './commitments.projection';

const measured = [
  figureSource(fundingProjection, { figures: fundingFigures, explain: explainFunding, catalogue: fundingCatalogue }),
  figureSource(surveyProjection, { figures: surveyFigures, explain: explainSurvey, catalogue: surveyCatalogue }),
];
const source = commitmentsSource(measured);
const year2020 = { from: '2020-01-01', to: '2020-12-31' };
const surveys = (from: number, count: number, year: number) => Array.from({ length: count }, (_, i) => signupSurvey(from + i, `s${from + i}`, `${year}-06-01T00:00:00Z`));

describe('commitments (KPIS.md v2): target, baseline, actual, attained, as known at K', () => {
  const funded = commitmentSet(1, 'funded', { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.6 });
  const growth = commitmentSet(2, 'surveys', { figure: 'survey.responses', kind: 'growth-at-least', value: 0.25 });
  const base = [
    funded,
    growth,
    // December 2020: two learners in training, one of them funded by an employment program.
    admitted(3, 'a', 'A3', '2020-03-01T00:00:00Z'),
    admitted(4, 'b', 'A4', '2020-03-01T00:00:00Z'),
    fundingGranted(5, 'a', 'employment-program', { occurredAt: '2020-04-01T00:00:00Z' }),
    ...surveys(100, 4, 2019),
    ...surveys(200, 5, 2020),
  ];

  it('measures an at-least share and a growth over the year before; attained is 1 or 0', async () => {
    const { figures } = await given().recorded('2021-01-10T00:00:00Z', base).report('2021-01-10T00:00:00Z', source, year2020);
    expect(figures).toEqual({
      'commitments.funded.target': 0.6,
      'commitments.funded.baseline': null,
      'commitments.funded.actual': 0.5,
      'commitments.funded.attained': 0,
      'commitments.surveys.target': 0.25,
      'commitments.surveys.baseline': 4,
      'commitments.surveys.actual': 5 / 4 - 1,
      'commitments.surveys.attained': 1,
    });
  });

  it('a commitment revised later changes its figures only from its recordedAt on (occurredAt plays no part)', async () => {
    const revised = commitmentSet(9, 'funded', { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.5 }, 2020, '2020-01-01T00:00:00Z');
    const scenario = given().recorded('2021-01-10T00:00:00Z', base).recorded('2021-03-01T00:00:00Z', [revised]);
    const before = await scenario.report('2021-02-01T00:00:00Z', source, year2020);
    const after = await scenario.report('2021-03-02T00:00:00Z', source, year2020, 'commitments.funded.target');
    expect([before.figures['commitments.funded.target'], before.figures['commitments.funded.attained']]).toEqual([0.6, 0]);
    expect([after.figures['commitments.funded.target'], after.figures['commitments.funded.attained']]).toEqual([0.5, 1]);
    expect(after.explanation?.evidence).toEqual({ kind: 'positions', positions: [base.length + 1] });
  });

  it('gives a null actual (never 0) without a baseline, with a zero baseline, or with a null figure', async () => {
    const noBaseline = commitmentSet(10, 'nobase', { figure: 'survey.responses', kind: 'growth-at-least', value: 0.2 }, 2019);
    const empty = commitmentSet(11, 'empty', { figure: 'funding.{year}-12.funded-share', kind: 'at-least', value: 0.6 }, 2019);
    const { figures } = await given()
      .recorded('2021-01-10T00:00:00Z', [...base, noBaseline, empty])
      .report('2021-01-10T00:00:00Z', source, { from: '2019-01-01', to: '2019-12-31' });
    expect(figures).toEqual({
      'commitments.empty.target': 0.6,
      'commitments.empty.baseline': null,
      'commitments.empty.actual': null,
      'commitments.empty.attained': null,
      'commitments.nobase.target': 0.2,
      'commitments.nobase.baseline': 0,
      'commitments.nobase.actual': null,
      'commitments.nobase.attained': null,
    });
  });

  it("shows a commitment in a period holding its year's 1 January only, and not before it is recorded (late data)", async () => {
    const scenario = given().recorded('2020-01-10T00:00:00Z', [funded]).recorded('2021-01-10T00:00:00Z', base.slice(1));
    expect((await scenario.report('2021-01-10T00:00:00Z', source, { from: '2020-01-02', to: '2020-12-31' })).figures).toEqual({});
    expect(Object.keys((await scenario.report('2021-01-10T00:00:00Z', source, { from: '2019-12-31', to: '2020-01-01' })).figures)).toHaveLength(8);
    expect((await scenario.report('2020-01-09T00:00:00Z', source, year2020)).figures).toEqual({});
  });
});
