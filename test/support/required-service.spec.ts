import { chromiumVerdict } from './browser';
import { isCi, serviceVerdict } from './required-service';

describe('isCi: CI set to anything but "", "false" or "0"', () => {
  it.each([
    [{ CI: 'true' }, true],
    [{ CI: '1' }, true],
    [{ CI: 'TRUE' }, true],
    [{ CI: 'false' }, false],
    [{ CI: '0' }, false],
    [{ CI: '' }, false],
    [{}, false],
  ])('%j -> %s', (env, expected) => {
    expect(isCi(env)).toBe(expected);
  });
});

describe('serviceVerdict: run, skip with a notice, or under CI fail', () => {
  it('runs the tests when the service is there, in CI or not', () => {
    expect(serviceVerdict('PostgreSQL', 'PG tests', undefined, { CI: 'true' })).toEqual({ run: true });
    expect(serviceVerdict('Chromium', 'browser tests', undefined, {})).toEqual({ run: true });
  });

  it('skips them with a notice naming what and why outside CI', () => {
    expect(serviceVerdict('PostgreSQL', 'PG tests', 'no PostgreSQL server at postgres://x', {})).toEqual({
      run: false,
      fail: false,
      message: 'PG tests SKIPPED: no PostgreSQL server at postgres://x.',
    });
  });

  it.each(['PostgreSQL', 'Chromium'] as const)('fails them under CI=true when %s is missing, saying why', (service) => {
    const verdict = serviceVerdict(service, 'the tests', `${service} is not here`, { CI: 'true' });
    expect(verdict).toEqual({
      run: false,
      fail: true,
      message: `the tests FAILED: ${service} is not here. Under CI a missing ${service} fails the run instead of skipping its tests.`,
    });
  });
});

describe('chromiumVerdict: Chromium is the file CHROMIUM_PATH names', () => {
  const nowhere = '/nonexistent/chromium';

  it('fails under CI=true when that file is missing', () => {
    expect(chromiumVerdict('Dashboard browser tests', nowhere, { CI: 'true' })).toMatchObject({
      run: false,
      fail: true,
      message: expect.stringContaining(`Dashboard browser tests FAILED: ${nowhere} is missing (apt-get install chromium, or set CHROMIUM_PATH)`),
    });
  });

  it('skips outside CI, with the notice', () => {
    expect(chromiumVerdict('Dashboard browser tests', nowhere, {})).toMatchObject({ run: false, fail: false, message: expect.stringContaining('SKIPPED') });
  });

  it('runs where the file exists', () => {
    expect(chromiumVerdict('Dashboard browser tests', process.execPath, { CI: 'true' })).toEqual({ run: true });
  });
});
