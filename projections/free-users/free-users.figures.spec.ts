import { figureSource } from '@ledger/projection-kit';
import { admission, assessedFunding, assessment, learnerActive, outcomeReported, retracted, signupSurvey, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { learnerActivityProjection } from '../learner-activity/learner-activity.projection';
import { explainFreeUsers, freeUsersCatalogue, freeUsersFigures } from './free-users.figures';

const source = figureSource(learnerActivityProjection, { figures: freeUsersFigures, explain: explainFreeUsers, catalogue: freeUsersCatalogue });
const year2020 = { from: '2020-01-01', to: '2020-12-31' };

describe('free users (KPIS.md v2, recommendation 1)', () => {
  const events = [
    // a: free, surveyed twice (the latest, by occurredAt, gives BE and career-change), job seeker.
    signupSurvey(1, 'a', '2020-02-01T00:00:00Z', { statusAssessment: assessment(['job-seeker'], ['job-seeker']) }),
    { ...signupSurvey(2, 'a', '2020-01-15T00:00:00Z', { country: 'DE' }) },
    { ...signupSurvey(3, 'a', '2020-03-01T00:00:00Z', { country: 'BE' }), data: { surveyResponseId: 'S3', country: 'BE', motivation: 'career-change' as const } },
    learnerActive(4, 'a', '2020-12-31T23:30:00-01:00'), // 2021-01-01T00:30Z: active in January 2021 only
    learnerActive(5, 'a', '2020-06-01T10:00:00Z'),
    // b: active, but admitted before the period's end: not free.
    learnerActive(6, 'b', '2020-06-01T10:00:00Z'),
    admission(7, 'b', '2020-12-31T23:59:59Z'),
    // c: active, admitted after the period's end (in January 2021, UTC): free in 2020; never surveyed.
    learnerActive(8, 'c', '2020-04-01T10:00:00Z'),
    admission(9, 'c', '2020-12-31T23:30:00-01:00'),
    outcomeReported(10, 'a', '2020-09-01T00:00:00Z'),
    outcomeReported(11, 'b', '2020-09-01T00:00:00Z'),
    // d: declared, never active in 2020: not a free user of 2020.
    outcomeReported(12, 'd', '2020-09-01T00:00:00Z'),
  ];

  it('counts active learners never admitted before the end, by their latest survey; declarations only of free users', async () => {
    const { figures, explanation } = await given().recorded('2021-01-10T00:00:00Z', events).report('2021-01-10T00:00:00Z', source, year2020, 'impact.free-users');
    expect(figures).toMatchObject({
      'free-users.total': 2,
      'free-users.assessed': 1,
      'free-users.job-seeker': 1,
      'free-users.refugee': null,
      'free-users.disadvantaged': 1,
      'free-users.outside-france': 1,
      'free-users.motivation.career-change': 1,
      'free-users.motivation.first-job': 0,
      'impact.free-users': 1,
    });
    // Only a's declaration: b was admitted, d was not active.
    expect(explanation?.evidence).toEqual({ kind: 'positions', positions: [10] });
  });

  it('counts a late admission from when it was recorded, and a retracted declaration no longer', async () => {
    const scenario = given()
      .recorded('2021-01-10T00:00:00Z', events)
      .recorded('2021-02-01T00:00:00Z', [retracted(13, 'a', uuidOf(10), '2021-01-31T00:00:00Z'), admission(14, 'c', '2020-11-01T00:00:00Z')]);
    const published = await scenario.report('2021-01-15T00:00:00Z', source, year2020);
    const now = await scenario.report('2021-02-02T00:00:00Z', source, year2020);
    expect(published.figures).toMatchObject({ 'free-users.total': 2, 'impact.free-users': 1 });
    expect(now.figures).toMatchObject({ 'free-users.total': 1, 'impact.free-users': 0 });
  });

  it('takes statuses from surveys, admissions and fundings before the end, and a retracted funding no longer', async () => {
    const scenario = given()
      .recorded('2021-01-10T00:00:00Z', [
        ...events,
        // c (free in 2020) is found a refugee by a funding before the end; one after it does not count.
        assessedFunding(13, 'c', 'public-aid', '2020-05-01T00:00:00Z', assessment(['refugee'], ['refugee'])),
        assessedFunding(14, 'c', 'public-aid', '2021-01-02T00:00:00Z', assessment(['disability'], ['disability'])),
      ])
      .recorded('2021-02-01T00:00:00Z', [retracted(15, 'c', uuidOf(13), '2021-01-31T00:00:00Z')]);
    const published = await scenario.report('2021-01-15T00:00:00Z', source, year2020, 'free-users.refugee');
    const now = await scenario.report('2021-02-02T00:00:00Z', source, year2020);
    expect(published.figures).toMatchObject({ 'free-users.assessed': 2, 'free-users.refugee': 1, 'free-users.disability': null, 'free-users.disadvantaged': 2 });
    // c was never surveyed: counted, with no survey to show (its funding is the populations' provenance).
    expect(published.explanation?.evidence).toEqual({ kind: 'positions', positions: [] });
    expect(now.figures).toMatchObject({ 'free-users.assessed': 1, 'free-users.refugee': null, 'free-users.disadvantaged': 1 });
  });
});
