import { describeWithPostgres, POSTGRES_URL, postgresVerdict } from '../support/postgres';

/** The probe behind describeWithPostgres, against a port where nothing listens and against the server. */
describe('postgresVerdict, where no PostgreSQL answers', () => {
  const nowhere = 'postgres://postgres@127.0.0.1:1/test';

  it('fails the PostgreSQL tests under CI=true, naming the URL', () => {
    expect(postgresVerdict('PostgreSQL event store tests', nowhere, { CI: 'true' })).toMatchObject({
      run: false,
      fail: true,
      message: expect.stringMatching(
        /^PostgreSQL event store tests FAILED: no PostgreSQL server at postgres:\/\/postgres@127\.0\.0\.1:1\/test\.\n.*Under CI a missing PostgreSQL fails the run/,
      ),
    });
  });

  it('skips them with the notice outside CI', () => {
    expect(postgresVerdict('PostgreSQL event store tests', nowhere, {})).toMatchObject({ run: false, fail: false, message: expect.stringContaining('SKIPPED: no PostgreSQL server at') });
  });
});

describeWithPostgres('PostgreSQL probe tests')('postgresVerdict, where the server answers', () => {
  it('runs the PostgreSQL tests, in CI too', () => {
    expect(postgresVerdict('PostgreSQL event store tests', POSTGRES_URL, { CI: 'true' })).toEqual({ run: true });
  });
});
