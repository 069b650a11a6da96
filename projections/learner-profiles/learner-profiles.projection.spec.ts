import type { Period } from '@ledger/projection-kit';
import { admission, assessedFunding, assessment, fundingGranted, retracted, signupSurvey, uuidOf } from '@ledger/testing/event-builders';
import { given } from '@ledger/testing/projection-scenario';
import { internationalFigures } from './international.figures';
import { learnerProfilesProjection } from './learner-profiles.projection';
import { populationsFigures } from './populations.figures';

const year2020 = { from: '2020-01-01', to: '2020-12-31' };
const populationsAt = (knownAt: string, scenario: ReturnType<typeof given>, period: Period = year2020) =>
  scenario.knownAt(knownAt, learnerProfilesProjection, (s, position) => populationsFigures(s, period, position));
const internationalAt = (knownAt: string, scenario: ReturnType<typeof given>, period: Period = year2020) =>
  scenario.knownAt(knownAt, learnerProfilesProjection, (s, position) => internationalFigures(s, period, position));

describe('learner-profiles projection: populations table', () => {
  it('fills every cell: segments, statuses from any event before the end, null where not collected', async () => {
    const figures = await populationsAt(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-03-01T00:00:00Z', [
        // paid-funded: a and b
        assessedFunding(1, 'a', 'public-aid', '2020-03-01T00:00:00Z', assessment(['job-seeker'], ['job-seeker'])),
        signupSurvey(2, 'a', '2021-01-02T00:00:00Z', { statusAssessment: assessment(['refugee'], ['refugee']) }), // after the end: ignored
        fundingGranted(3, 'b', 'pse', { occurredAt: '2020-04-01T00:00:00Z' }),
        signupSurvey(4, 'b', '2019-06-01T00:00:00Z', { statusAssessment: assessment(['job-seeker', 'refugee'], ['refugee']) }), // before the period: counts
        // employment-program (by admission track) and employer-funded: c is in both
        admission(5, 'c', '2020-05-01T00:00:00Z', { track: 'employment-program', statusAssessment: assessment(['qpv-resident', 'job-seeker'], ['qpv-resident']) }),
        fundingGranted(6, 'c', 'employer', { occurredAt: '2020-06-01T00:00:00Z' }),
        // employer-funded: d assessed, holding nothing; e never assessed
        assessedFunding(7, 'd', 'apprenticeship', '2020-07-01T00:00:00Z', assessment(['disability'])),
        fundingGranted(8, 'e', 'employer-abroad', { occurredAt: '2020-08-01T00:00:00Z' }),
        // in no segment
        fundingGranted(9, 'f', 'public-aid', { occurredAt: '2021-01-02T00:00:00Z' }), // after the period
        signupSurvey(13, 'f', '2020-02-01T00:00:00Z', { statusAssessment: assessment(['job-seeker'], ['job-seeker']) }),
        assessedFunding(10, 'g', 'self', '2020-03-01T00:00:00Z', assessment(['low-qualified'], ['low-qualified'])),
        assessedFunding(11, 'h', 'employment-program', '2020-03-01T00:00:00Z', assessment(['low-qualified'], ['low-qualified'])), // the segment is by track
        admission(12, 'i', '2020-03-01T00:00:00Z', { track: 'paid-path', statusAssessment: assessment(['low-qualified'], ['low-qualified']) }),
      ]),
    );
    expect(figures).toEqual({
      'populations.paid-funded.total': 2,
      'populations.paid-funded.job-seeker': 1,
      'populations.paid-funded.low-qualified': null,
      'populations.paid-funded.qpv-resident': null,
      'populations.paid-funded.refugee': 1,
      'populations.paid-funded.disability': null,
      'populations.employment-program.total': 1,
      'populations.employment-program.job-seeker': 0, // assessed, not held: 0, not null
      'populations.employment-program.low-qualified': null,
      'populations.employment-program.qpv-resident': 1,
      'populations.employment-program.refugee': null,
      'populations.employment-program.disability': null,
      'populations.employer-funded.total': 2, // c (by its admission's assessment) and d; not e
      'populations.employer-funded.job-seeker': 0,
      'populations.employer-funded.low-qualified': null,
      'populations.employer-funded.qpv-resident': 1,
      'populations.employer-funded.refugee': null,
      'populations.employer-funded.disability': 0,
      'populations.all.job-seeker': 1,
      'populations.all.low-qualified': null, // null in all three segments
      'populations.all.qpv-resident': 2, // c, once per segment
      'populations.all.refugee': 1,
      'populations.all.disability': 0, // null + null + 0
      'populations.net-distinct': 3, // a, b, c
    });
  });

  it('places segment events and statuses by their UTC instant', async () => {
    const figures = await populationsAt(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-01-05T00:00:00Z', [
        assessedFunding(1, 'a', 'pse', '2021-01-01T00:30:00+01:00', assessment(['job-seeker'], ['job-seeker'])), // 2020-12-31T23:30Z: in 2020
        assessedFunding(2, 'b', 'public-aid', '2020-12-31T23:30:00-05:00', assessment(['refugee'], ['refugee'])), // 2021-01-01T04:30Z: not
        fundingGranted(3, 'c', 'public-aid', { occurredAt: '2020-06-01T00:00:00Z' }),
        signupSurvey(4, 'c', '2020-12-31T23:30:00-05:00', { statusAssessment: assessment(['disability'], ['disability']) }), // after the end
        assessedFunding(5, 'd', 'public-aid', '2020-01-01T00:30:00+01:00', assessment(['qpv-resident'], ['qpv-resident'])), // 2019-12-31T23:30Z: not
      ]),
    );
    expect(figures).toMatchObject({
      'populations.paid-funded.total': 1,
      'populations.paid-funded.job-seeker': 1,
      'populations.paid-funded.refugee': null,
      'populations.paid-funded.qpv-resident': null,
      'populations.paid-funded.disability': null,
      'populations.net-distinct': 1,
    });
  });

  it('as known before and after a retraction, loses the segment and the statuses of the retracted event only', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [
        admission(1, 'c', '2020-05-01T00:00:00Z', { track: 'employment-program', statusAssessment: assessment(['qpv-resident'], ['qpv-resident']) }),
        fundingGranted(2, 'c', 'employer', { occurredAt: '2020-06-01T00:00:00Z' }),
        assessedFunding(3, 'd', 'employer', '2020-06-01T00:00:00Z', assessment(['qpv-resident'], ['qpv-resident'])),
        admission(4, 'e', '2020-05-01T00:00:00Z', { track: 'employment-program' }),
        signupSurvey(5, 'e', '2020-01-01T00:00:00Z', { statusAssessment: assessment(['job-seeker'], ['job-seeker']) }),
      ])
      .recorded('2021-04-01T00:00:00Z', [retracted(6, 'c', uuidOf(1)), retracted(7, 'e', uuidOf(4))]);
    expect(await populationsAt('2021-03-15T00:00:00Z', scenario)).toMatchObject({
      'populations.employment-program.total': 2,
      'populations.employment-program.qpv-resident': 1,
      'populations.employment-program.job-seeker': 1,
      'populations.employer-funded.total': 2,
      'populations.employer-funded.qpv-resident': 2,
      'populations.net-distinct': 3,
    });
    // c stays employer-funded, with no status left; e is in no segment any more.
    expect(await populationsAt('2021-04-01T00:00:00Z', scenario)).toMatchObject({
      'populations.employment-program.total': 0,
      'populations.employment-program.qpv-resident': null,
      'populations.employment-program.job-seeker': null,
      'populations.employer-funded.total': 1,
      'populations.employer-funded.qpv-resident': 1,
      'populations.net-distinct': 1,
    });
  });

  it('counts a late event in its past period only as known after it was recorded', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [assessedFunding(1, 'a', 'public-aid', '2020-03-01T00:00:00Z', assessment(['job-seeker'], ['job-seeker']))])
      .recorded('2021-05-01T00:00:00Z', [
        assessedFunding(2, 'b', 'public-aid', '2020-11-01T00:00:00Z', assessment(['job-seeker', 'refugee'], ['job-seeker'])),
      ]);
    expect(await populationsAt('2021-03-15T00:00:00Z', scenario)).toMatchObject({
      'populations.paid-funded.total': 1,
      'populations.paid-funded.job-seeker': 1,
      'populations.paid-funded.refugee': null,
    });
    expect(await populationsAt('2021-06-01T00:00:00Z', scenario)).toMatchObject({
      'populations.paid-funded.total': 2,
      'populations.paid-funded.job-seeker': 2,
      'populations.paid-funded.refugee': 0,
    });
  });
});

describe('learner-profiles projection: international figures', () => {
  it("takes the country of the latest admission giving one, else of the latest survey, both before the end", async () => {
    const figures = await internationalAt(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-03-01T00:00:00Z', [
        signupSurvey(1, 'a', '2019-06-01T00:00:00Z', { country: 'FR' }),
        admission(2, 'a', '2020-03-01T00:00:00Z', { country: 'DE' }), // an admission's country wins: outside
        signupSurvey(3, 'b', '2019-06-01T00:00:00Z', { country: 'SN' }),
        admission(4, 'b', '2020-04-01T00:00:00Z'), // no country: the survey's, SN: outside
        signupSurvey(5, 'c', '2020-01-10T00:00:00Z', { country: 'FR' }),
        admission(6, 'c', '2020-05-01T00:00:00Z'),
        admission(7, 'd', '2020-06-01T00:00:00Z', { country: 'FR' }),
        signupSurvey(8, 'd', '2020-07-01T00:00:00Z', { country: 'BE' }), // later, but a survey: FR still
        admission(9, 'e', '2020-02-01T00:00:00Z', { country: 'FR' }),
        admission(10, 'e', '2020-09-01T00:00:00Z', { country: 'US' }), // the latest giving one: outside
        admission(11, 'e', '2020-10-01T00:00:00Z'),
        admission(12, 'f', '2020-03-01T00:00:00Z'), // no country known: not counted outside
        admission(13, 'g', '2019-05-01T00:00:00Z', { country: 'DE' }), // admitted before the period
        admission(14, 'h', '2020-04-01T00:00:00Z', { country: 'FR' }),
        admission(15, 'h', '2021-02-01T00:00:00Z', { country: 'DE' }), // after the end: FR still
        admission(16, 'i', '2020-12-31T23:30:00-05:00', { country: 'DE' }), // 2021-01-01T04:30Z: after the period
        signupSurvey(17, 'j', '2020-01-10T00:00:00Z', { country: 'FR' }),
        signupSurvey(18, 'j', '2021-02-01T00:00:00Z', { country: 'MA' }), // after the end: FR still
        admission(19, 'j', '2020-05-01T00:00:00Z'),
        signupSurvey(20, 'k', '2019-06-01T00:00:00Z', { country: 'CH' }),
        admission(21, 'k', '2020-03-01T00:00:00Z', { country: 'FR' }),
      ]),
    );
    expect(figures).toEqual({
      'international.admitted-learners': 9, // a, b, c, d, e, f, h, j, k
      'international.admitted-outside-france': 3, // a, b, e
      'international.english-path-learners': 0,
      'international.english-path-underemployed': 0,
    });
  });

  it('takes the latest admission by occurredAt past the millisecond, not by log order', async () => {
    const figures = await given()
      .recorded('2021-01-05T00:00:00Z', [
        admission(1, 'a', '2020-06-01T00:00:00.0002Z', { country: 'DE' }),
        admission(2, 'a', '2020-06-01T00:00:00.0001Z', { country: 'FR' }), // later in the log, earlier in the world
      ])
      .knownAt('2021-03-15T00:00:00Z', learnerProfilesProjection, (s, position) => internationalFigures(s, year2020, position));
    expect(figures['international.admitted-outside-france']).toBe(1);
  });

  it('counts English-path learners in the period, and those of them holding job-seeker from any event before the end', async () => {
    const en: { readonly pathLanguage: 'en' } = { pathLanguage: 'en' };
    const figures = await internationalAt(
      '2021-03-15T00:00:00Z',
      given().recorded('2021-01-05T00:00:00Z', [
        admission(1, 'a', '2020-03-01T00:00:00Z', en),
        assessedFunding(2, 'a', 'self', '2020-02-01T00:00:00Z', assessment(['job-seeker'], ['job-seeker'])),
        admission(3, 'b', '2021-01-01T00:30:00+01:00', { ...en, statusAssessment: assessment(['job-seeker'], ['job-seeker']) }), // in 2020 UTC
        admission(4, 'c', '2020-04-01T00:00:00Z', en),
        signupSurvey(5, 'c', '2020-01-01T00:00:00Z', { statusAssessment: assessment(['job-seeker', 'refugee'], ['refugee']) }), // assessed, not held
        assessedFunding(6, 'c', 'self', '2020-12-31T23:30:00-05:00', assessment(['job-seeker'], ['job-seeker'])), // 2021 UTC: after the end
        admission(7, 'd', '2020-01-01T00:30:00+01:00', { ...en, statusAssessment: assessment(['job-seeker'], ['job-seeker']) }), // 2019 UTC
        admission(8, 'e', '2020-05-01T00:00:00Z', { statusAssessment: assessment(['job-seeker'], ['job-seeker']) }), // French path
      ]),
    );
    expect(figures).toEqual({
      'international.admitted-learners': 4, // a, b, c, e
      'international.admitted-outside-france': 0,
      'international.english-path-learners': 3, // a, b, c
      'international.english-path-underemployed': 2, // a, b
    });
  });

  it('as known before and after a retraction of an admission, drops its country and its English path', async () => {
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', [
        admission(1, 'a', '2020-03-01T00:00:00Z', { country: 'FR' }),
        admission(2, 'a', '2020-04-01T00:00:00Z', { country: 'DE', pathLanguage: 'en' }),
      ])
      .recorded('2021-04-01T00:00:00Z', [retracted(3, 'a', uuidOf(2))]);
    expect(await internationalAt('2021-03-15T00:00:00Z', scenario)).toMatchObject({
      'international.admitted-learners': 1,
      'international.admitted-outside-france': 1,
      'international.english-path-learners': 1,
    });
    expect(await internationalAt('2021-04-01T00:00:00Z', scenario)).toMatchObject({
      'international.admitted-learners': 1,
      'international.admitted-outside-france': 0,
      'international.english-path-learners': 0,
    });
  });
});

describe('learner-profiles projection: bitemporal queries', () => {
  it('answers at a position between two batches, from the later state, as a fresh replay up to it does', async () => {
    const first = [
      admission(1, 'a', '2020-03-01T00:00:00Z', { track: 'employment-program', pathLanguage: 'en', country: 'DE', statusAssessment: assessment(['job-seeker'], ['job-seeker']) }),
      assessedFunding(2, 'b', 'public-aid', '2020-04-01T00:00:00Z', assessment(['refugee'], ['refugee'])),
    ];
    const scenario = given()
      .recorded('2021-01-05T00:00:00Z', first)
      .recorded('2021-04-01T00:00:00Z', [
        retracted(3, 'a', uuidOf(1)),
        admission(4, 'a', '2020-03-02T00:00:00Z', { track: 'paid-path', country: 'FR' }), // replaces the retracted one
        assessedFunding(5, 'c', 'employer', '2020-11-01T00:00:00Z', assessment(['disability'], ['disability'])), // late
      ]);
    const between = first.length;
    const both = (s: Parameters<typeof populationsFigures>[0], position: number) => ({
      ...populationsFigures(s, year2020, position),
      ...internationalFigures(s, year2020, position),
    });
    const replayed = await scenario.knownAt('2021-03-15T00:00:00Z', learnerProfilesProjection, (s, position) => {
      expect(position).toBe(between);
      return both(s, position);
    });
    const fromLater = await scenario.knownAt('2021-06-01T00:00:00Z', learnerProfilesProjection, (s) => both(s, between));
    const latest = await scenario.knownAt('2021-06-01T00:00:00Z', learnerProfilesProjection, both);
    expect(replayed).toMatchObject({
      'populations.paid-funded.refugee': 1,
      'populations.employment-program.job-seeker': 1,
      'populations.employer-funded.total': 0,
      'populations.net-distinct': 2,
      'international.admitted-outside-france': 1,
      'international.english-path-underemployed': 1,
    });
    expect(fromLater).toEqual(replayed);
    expect(latest).toMatchObject({
      'populations.employment-program.job-seeker': null,
      'populations.employer-funded.disability': 1,
      'populations.net-distinct': 2,
      'international.admitted-outside-france': 0,
      'international.english-path-underemployed': 0,
    });
  });
});
