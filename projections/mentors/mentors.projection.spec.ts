import { figureSource } from '@ledger/projection-kit';
import { assessment, mentorProfileUpdated, mentorRegistered, retracted, sessionHeld, signupSurvey, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { learnerActivityProjection } from '../learner-activity/learner-activity.projection';
import { explainMentors, mentorsCatalogue, mentorsFigures, mentorsProjection } from './mentors.projection';

const source = figureSource(mentorsProjection, { figures: mentorsFigures, explain: explainMentors, catalogue: mentorsCatalogue, alsoReads: [learnerActivityProjection] });
const year2020 = { from: '2020-01-01', to: '2020-12-31' };

describe('mentors (KPIS.md v2, recommendation 3)', () => {
  const events = [
    mentorRegistered(1, 'm1', '2019-12-31T23:30:00-01:00', assessment(['refugee'], ['refugee'])), // 2020-01-01T00:30Z: in 2020
    mentorRegistered(2, 'm2', '2020-12-31T23:30:00-01:00', assessment(['refugee'])), // 2021-01-01T00:30Z: not in 2020
    mentorRegistered(3, 'm3', '2019-06-01T00:00:00Z'),
    // m3's statuses accumulate: job-seeker held, then an update that does not repeat it.
    mentorProfileUpdated(4, 'm3', assessment(['job-seeker'], ['job-seeker']), '2020-02-01T00:00:00Z'),
    mentorProfileUpdated(5, 'm3', assessment(['disability']), '2020-03-01T00:00:00Z'),
    signupSurvey(6, 'a', '2020-01-05T00:00:00Z', { statusAssessment: assessment(['qpv-resident'], ['qpv-resident']) }),
    signupSurvey(7, 'b', '2020-01-05T00:00:00Z', { statusAssessment: assessment(['qpv-resident']) }),
    sessionHeld(8, 'a', 'm1', '2020-04-01T10:00:00Z'),
    sessionHeld(9, 'b', 'm3', '2020-04-02T10:00:00Z'),
    sessionHeld(10, 'a', 'm3', '2020-12-31T23:59:59Z'),
  ];

  it('counts registrations, sessions and active mentors in the period by UTC day; statuses accumulate; null when never assessed', async () => {
    const { figures } = await given().recorded('2021-01-10T00:00:00Z', events).report('2021-01-10T00:00:00Z', source, year2020);
    expect(figures).toEqual({
      'mentors.registered': 1,
      'mentors.active': 2,
      'mentors.job-seeker': 1,
      'mentors.low-qualified': null,
      'mentors.qpv-resident': null,
      'mentors.refugee': 1,
      'mentors.disability': 0,
      'mentors.disadvantaged': 2,
      'mentoring.sessions': 3,
      'mentoring.disadvantaged-learners': 1,
    });
  });

  it('takes a retracted session out from the retraction on, and counts a late one from when it was recorded', async () => {
    const scenario = given()
      .recorded('2021-01-10T00:00:00Z', events)
      .recorded('2021-02-01T00:00:00Z', [retracted(11, 'a', uuidOf(8), '2021-01-31T00:00:00Z'), sessionHeld(12, 'b', 'm2', '2020-06-01T00:00:00Z')]);
    const published = await scenario.report('2021-01-15T00:00:00Z', source, year2020, 'mentoring.disadvantaged-learners');
    const now = await scenario.report('2021-02-02T00:00:00Z', source, year2020, 'mentors.refugee');
    expect(published.figures).toMatchObject({ 'mentoring.sessions': 3, 'mentors.active': 2, 'mentors.refugee': 1 });
    // a's two sessions are what makes the learner count.
    expect(published.explanation?.evidence).toEqual({ kind: 'positions', positions: [8, 10] });
    // m1 is no longer active; m2 is, but its registration (assessing refugee) occurred after the period's end: not collected.
    expect(now.figures).toMatchObject({ 'mentoring.sessions': 3, 'mentors.active': 2, 'mentors.refugee': null, 'mentoring.disadvantaged-learners': 1 });
  });
});
