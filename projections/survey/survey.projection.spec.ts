import type { SignupSurveyAnswered } from '@ledger/events';
import { retracted, surveyAnswered, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { surveyFigures, surveyProjection } from './survey.projection';

const year2020 = { from: '2020-01-01', to: '2020-12-31' };
const answered = (n: number, learner: string, occurredAt: string, motivation: SignupSurveyAnswered['data']['motivation']) => {
  const event = surveyAnswered(n, learner, occurredAt);
  return { ...event, data: { ...event.data, motivation } };
};

describe('survey projection (survey.responses, survey.motivation.*)', () => {
  it('counts answers in the period by motivation', async () => {
    const figures = await given()
      .recorded('2021-01-05T00:00:00Z', [
        answered(1, 'a', '2020-03-01T10:00:00Z', 'first-job'),
        answered(2, 'b', '2020-07-01T10:00:00Z', 'career-change'),
        answered(3, 'c', '2020-07-02T10:00:00Z', 'career-change'),
        answered(4, 'd', '2021-01-01T10:00:00Z', 'other'),
      ])
      .knownAt('2021-03-15T00:00:00Z', surveyProjection, (s) => surveyFigures(s, year2020));
    expect(figures).toMatchObject({ 'survey.responses': 3, 'survey.motivation.first-job': 1, 'survey.motivation.career-change': 2, 'survey.motivation.other': 0 });
  });

  it('places an answer by its UTC day, whatever the offset it was sent with', async () => {
    // 2021-01-01T00:30+01:00 is 2020-12-31T23:30Z: in 2020. 2020-01-01T00:30+01:00 is 2019-12-31T23:30Z: not.
    const figures = await given()
      .recorded('2021-01-05T00:00:00Z', [
        answered(1, 'a', '2021-01-01T00:30:00+01:00', 'first-job'),
        answered(2, 'b', '2020-01-01T00:30:00+01:00', 'first-job'),
        answered(3, 'c', '2020-12-31T23:59:59.999999999-00:00', 'other'),
      ])
      .knownAt('2021-03-15T00:00:00Z', surveyProjection, (s) => surveyFigures(s, year2020));
    expect(figures).toMatchObject({ 'survey.responses': 2, 'survey.motivation.first-job': 1, 'survey.motivation.other': 1 });
  });

  it('differs as known before and after a retraction by exactly the retracted answer', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [answered(1, 'a', '2020-03-01T10:00:00Z', 'first-job'), answered(2, 'b', '2020-04-01T10:00:00Z', 'other')])
      .recorded('2021-04-01T00:00:00Z', [retracted(3, 'a', uuidOf(1))]);
    const before = await scenario.knownAt('2021-03-15T00:00:00Z', surveyProjection, (s) => surveyFigures(s, year2020));
    const after = await scenario.knownAt('2021-04-02T00:00:00Z', surveyProjection, (s) => surveyFigures(s, year2020));
    expect(before).toMatchObject({ 'survey.responses': 2, 'survey.motivation.first-job': 1 });
    expect(after).toMatchObject({ 'survey.responses': 1, 'survey.motivation.first-job': 0, 'survey.motivation.other': 1 });
  });

  it('counts a late answer from when it was recorded, in the month it occurred', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [answered(1, 'a', '2020-03-01T10:00:00Z', 'first-job')])
      .recorded('2021-06-01T00:00:00Z', [answered(2, 'b', '2020-03-02T10:00:00Z', 'first-job')]);
    const march = { from: '2020-03-01', to: '2020-03-31' };
    expect((await scenario.knownAt('2021-03-15T00:00:00Z', surveyProjection, (s) => surveyFigures(s, march)))['survey.responses']).toBe(1);
    expect((await scenario.knownAt('2021-06-01T00:00:00Z', surveyProjection, (s) => surveyFigures(s, march)))['survey.responses']).toBe(2);
  });
});
