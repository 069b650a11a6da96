import type { Period } from '@ledger/projection-kit';
import { admission, certificateEarned, courseStarted, learnerActive, retracted, signupSurvey, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { activeLearnerIndexes, learnerActivityFigures, learnerActivityProjection } from './learner-activity.projection';

const year2020 = { from: '2020-01-01', to: '2020-12-31' };
const q1 = { from: '2020-01-01', to: '2020-03-31' };
const q2 = { from: '2020-03-01', to: '2020-04-30' };
const active = (n: number, learnerId: string, occurredAt: string) => learnerActive(n, learnerId, occurredAt);
const figuresAt = (knownAt: string, scenario: ReturnType<typeof given>, period: Period = year2020) =>
  scenario.knownAt(knownAt, learnerActivityProjection, (s, position) => learnerActivityFigures(s, period, position));
/** The learner ids active in a month, as known at `knownAt`: what a figure is made of. */
const activeIn = (knownAt: string, scenario: ReturnType<typeof given>, month: string) =>
  scenario.knownAt(knownAt, learnerActivityProjection, (s, position) =>
    activeLearnerIndexes(s, month, position)
      .map((i) => s.learners.idOf(i))
      .sort(),
  );

describe('learner-activity projection: active learners by month', () => {
  it('counts distinct learners per month of any activity type, once per month, and the exact monthly mean', async () => {
    const figures = await figuresAt(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-01-05T00:00:00Z', [
        active(1, 'a', '2020-01-03T10:00:00Z'),
        active(2, 'a', '2020-01-04T10:00:00Z'), // a second connection in January: still one learner
        courseStarted(3, 'a', '2020-03-10T10:00:00Z'), // and active again in March
        certificateEarned(4, 'b', '2020-02-10T10:00:00Z'),
        active(5, 'c', '2020-02-11T10:00:00Z'),
        active(6, 'd', '2019-12-31T10:00:00Z'), // before the period
      ]),
      q1,
    );
    expect(figures).toEqual({
      'key.active-learners.2020-01': 1,
      'key.active-learners.2020-02': 2,
      'key.active-learners.2020-03': 1,
      'key.active-learners.monthly-avg': 4 / 3,
      'key.women-share.free-users': null, // no free user gave a gender
    });
  });

  it('takes the months whose first day is in the period, each whole, even past the period end', async () => {
    const figures = await figuresAt(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-01-05T00:00:00Z', [
        active(1, 'a', '2020-01-20T10:00:00Z'), // in the period, but January 1 is not: not counted
        active(2, 'b', '2020-03-25T10:00:00Z'), // after the period end, but March 1 is in it: counted
        active(3, 'c', '2020-02-10T10:00:00Z'),
        signupSurvey(4, 'a', '2020-01-01T00:00:00Z', { gender: 'female' }),
        signupSurvey(5, 'b', '2020-01-01T00:00:00Z', { gender: 'male' }),
        signupSurvey(6, 'c', '2020-01-01T00:00:00Z', { gender: 'female' }),
      ]),
      { from: '2020-01-15', to: '2020-03-10' },
    );
    // a is not a free user: not active in a month of the period.
    expect(figures).toEqual({
      'key.active-learners.2020-02': 1,
      'key.active-learners.2020-03': 1,
      'key.active-learners.monthly-avg': 1,
      'key.women-share.free-users': 1 / 2,
    });
  });

  it('places activity in its UTC month, whatever the offset sent', async () => {
    const figures = await figuresAt(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-01-05T00:00:00Z', [
        active(1, 'a', '2020-12-10T10:00:00Z'),
        active(2, 'a', '2021-01-01T00:30:00+01:00'), // 2020-12-31T23:30Z: December
        active(3, 'b', '2020-12-31T23:30:00-05:00'), // 2021-01-01T04:30Z: January
      ]),
      { from: '2020-12-01', to: '2021-01-31' },
    );
    expect(figures).toMatchObject({ 'key.active-learners.2020-12': 1, 'key.active-learners.2021-01': 1 });
  });

  it('as known before and after the retraction of a counted event, differs by exactly that learner', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [active(1, 'a', '2020-03-01T10:00:00Z'), active(2, 'b', '2020-03-02T10:00:00Z')])
      .recorded('2021-04-01T00:00:00Z', [retracted(3, 'a', uuidOf(1))]);
    expect((await figuresAt('2021-03-31T23:59:59.999Z', scenario))['key.active-learners.2020-03']).toBe(2);
    expect((await figuresAt('2021-04-01T00:00:00Z', scenario))['key.active-learners.2020-03']).toBe(1);
    expect(await activeIn('2021-03-31T23:59:59.999Z', scenario, '2020-03')).toEqual(['a', 'b']);
    expect(await activeIn('2021-04-01T00:00:00Z', scenario, '2020-03')).toEqual(['b']);
  });

  it("keeps a learner active in a month while another of their activity events of that month exists, in that month only", async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [
        active(1, 'a', '2020-03-01T10:00:00Z'),
        courseStarted(2, 'a', '2020-03-20T10:00:00Z'),
        active(3, 'a', '2020-04-01T10:00:00Z'),
      ])
      .recorded('2021-02-01T00:00:00Z', [retracted(4, 'a', uuidOf(1))])
      // The April event does not keep a in March.
      .recorded('2021-03-01T00:00:00Z', [retracted(5, 'a', uuidOf(2))]);
    const months = (f: Record<string, number | null>) => [f['key.active-learners.2020-03'], f['key.active-learners.2020-04']];
    expect(months(await figuresAt('2021-02-15T00:00:00Z', scenario))).toEqual([1, 1]);
    expect(months(await figuresAt('2021-03-15T00:00:00Z', scenario))).toEqual([0, 1]);
  });

  it('counts a late event in the past month it occurred in, only as known after it was recorded', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [active(1, 'a', '2020-03-01T10:00:00Z')])
      .recorded('2021-05-01T00:00:00Z', [active(2, 'b', '2020-03-15T10:00:00Z')]);
    expect((await figuresAt('2021-03-15T00:00:00Z', scenario))['key.active-learners.2020-03']).toBe(1);
    expect((await figuresAt('2021-06-01T00:00:00Z', scenario))['key.active-learners.2020-03']).toBe(2);
  });
});

describe('learner-activity projection: women share of free users', () => {
  it("takes free users' latest survey before the period end, and leaves out those it gives no gender", async () => {
    const figures = await figuresAt(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-03-01T00:00:00Z', [
        active(1, 'a', '2020-03-01T10:00:00Z'),
        signupSurvey(2, 'a', '2020-02-01T00:00:00Z', { gender: 'female' }),
        signupSurvey(3, 'a', '2020-06-01T00:00:00Z', { gender: 'male' }), // latest before the end: male
        signupSurvey(4, 'a', '2021-02-01T00:00:00Z', { gender: 'female' }), // after the end: ignored
        active(5, 'b', '2020-03-01T10:00:00Z'),
        signupSurvey(6, 'b', '2020-02-01T00:00:00Z', { gender: 'female' }),
        admission(7, 'b', '2020-11-01T00:00:00Z'), // admitted before the end: not a free user
        active(8, 'c', '2020-03-01T10:00:00Z'),
        signupSurvey(9, 'c', '2020-02-01T00:00:00Z', { gender: 'female' }),
        admission(10, 'c', '2021-01-01T00:30:00+01:00'), // 2020-12-31T23:30Z: before the end, not a free user
        active(11, 'd', '2020-03-01T10:00:00Z'),
        signupSurvey(12, 'd', '2020-02-01T00:00:00Z', { gender: 'female' }),
        admission(13, 'd', '2021-02-01T00:00:00Z'), // admitted after the end: still a free user in 2020
        active(14, 'e', '2020-03-01T10:00:00Z'),
        signupSurvey(15, 'e', '2020-02-01T00:00:00Z', { gender: 'undisclosed' }),
        active(16, 'f', '2020-03-01T10:00:00Z'),
        signupSurvey(17, 'f', '2020-02-01T00:00:00Z'), // no gender
        active(18, 'g', '2020-03-01T10:00:00Z'),
        signupSurvey(19, 'g', '2020-01-01T00:00:00Z', { gender: 'female' }),
        signupSurvey(20, 'g', '2020-02-01T00:00:00Z', { gender: 'undisclosed' }), // the latest decides: out
        signupSurvey(21, 'h', '2020-02-01T00:00:00Z', { gender: 'female' }), // never active: not a free user
        active(22, 'i', '2020-03-01T10:00:00Z'),
        signupSurvey(23, 'i', '2019-05-01T00:00:00Z', { gender: 'non-binary' }), // a survey before the period counts
      ]),
    );
    // Gendered free users: a (male), d (female), i (non-binary).
    expect(figures['key.women-share.free-users']).toBe(1 / 3);
  });

  it('orders surveys by occurredAt past the millisecond, not by log order', async () => {
    const figures = await figuresAt(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-01-05T00:00:00Z', [
        active(1, 'a', '2020-03-01T10:00:00Z'),
        signupSurvey(2, 'a', '2020-06-01T00:00:00.0002Z', { gender: 'female' }),
        signupSurvey(3, 'a', '2020-06-01T00:00:00.0001Z', { gender: 'male' }), // later in the log, earlier in the world
      ]),
    );
    expect(figures['key.women-share.free-users']).toBe(1);
  });

  it('is null when no free user gave a gender, and follows retractions of surveys and admissions', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [
        active(1, 'a', '2020-03-01T10:00:00Z'),
        signupSurvey(2, 'a', '2020-02-01T00:00:00Z', { gender: 'female' }),
        signupSurvey(3, 'a', '2020-04-01T00:00:00Z', { gender: 'undisclosed' }),
        active(4, 'b', '2020-03-01T10:00:00Z'),
        signupSurvey(5, 'b', '2020-02-01T00:00:00Z', { gender: 'male' }),
        admission(6, 'b', '2020-05-01T00:00:00Z'),
      ])
      .recorded('2021-02-01T00:00:00Z', [retracted(7, 'a', uuidOf(3))]) // a's earlier survey decides again: female
      .recorded('2021-03-01T00:00:00Z', [retracted(8, 'b', uuidOf(6))]); // b is a free user again: male
    expect((await figuresAt('2021-01-15T00:00:00Z', scenario))['key.women-share.free-users']).toBeNull();
    expect((await figuresAt('2021-02-15T00:00:00Z', scenario))['key.women-share.free-users']).toBe(1);
    expect((await figuresAt('2021-03-15T00:00:00Z', scenario))['key.women-share.free-users']).toBe(1 / 2);
  });
});

describe('learner-activity projection: bitemporal queries', () => {
  it('answers at a position between two batches, from the later state, as a fresh replay up to it does', async () => {
    const first = [
      active(1, 'a', '2020-03-01T10:00:00Z'),
      active(2, 'b', '2020-03-01T10:00:00Z'),
      signupSurvey(3, 'b', '2020-02-01T00:00:00Z', { gender: 'female' }),
      active(4, 'c', '2020-04-01T10:00:00Z'),
      signupSurvey(5, 'c', '2020-02-01T00:00:00Z', { gender: 'male' }),
    ];
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', first)
      .recorded('2021-04-01T00:00:00Z', [
        retracted(6, 'a', uuidOf(1)),
        active(7, 'a', '2020-03-02T10:00:00Z'), // a active in March again, by another event
        retracted(8, 'b', uuidOf(2)),
        active(9, 'd', '2020-04-10T10:00:00Z'), // late
        signupSurvey(10, 'd', '2020-02-01T00:00:00Z', { gender: 'female' }),
        admission(11, 'c', '2020-04-15T00:00:00Z'),
      ]);
    const between = first.length;
    const replayed = await scenario.knownAt('2021-03-15T00:00:00Z', learnerActivityProjection, (s, position) => {
      expect(position).toBe(between);
      return learnerActivityFigures(s, q2, position);
    });
    const fromLater = await scenario.knownAt('2021-06-01T00:00:00Z', learnerActivityProjection, (s) => learnerActivityFigures(s, q2, between));
    const latest = await figuresAt('2021-06-01T00:00:00Z', scenario, q2);
    expect(replayed).toEqual({
      'key.active-learners.2020-03': 2,
      'key.active-learners.2020-04': 1,
      'key.active-learners.monthly-avg': 3 / 2,
      'key.women-share.free-users': 1 / 2,
    });
    expect(fromLater).toEqual(replayed);
    expect(latest).toEqual({
      'key.active-learners.2020-03': 1,
      'key.active-learners.2020-04': 2,
      'key.active-learners.monthly-avg': 3 / 2,
      'key.women-share.free-users': 1,
    });
  });
});
