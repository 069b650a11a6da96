/**
 * What a spec does when a service it needs is missing. Outside CI it is skipped with a notice,
 * so that the rest still runs on a laptop without PostgreSQL or Chromium; under CI (CI set, as
 * .ci/run runs) a missing PostgreSQL or Chromium fails the run, since a green run must mean those
 * tests ran. KurrentDB has no server here: its spec skips the real-server part, in CI too.
 */
export type ServiceVerdict = { readonly run: true } | { readonly run: false; readonly fail: boolean; readonly message: string };

/** Whether this is a CI run: CI set to anything but '', 'false' or '0' (the usual convention). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env['CI']?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * @param what the tests that need the service, e.g. 'PostgreSQL event store tests'
 * @param missing why the service cannot be used, or undefined when it can
 */
export function serviceVerdict(service: 'PostgreSQL' | 'Chromium', what: string, missing: string | undefined, env: NodeJS.ProcessEnv = process.env): ServiceVerdict {
  if (missing === undefined) return { run: true };
  return isCi(env)
    ? { run: false, fail: true, message: `${what} FAILED: ${missing}. Under CI a missing ${service} fails the run instead of skipping its tests.` }
    : { run: false, fail: false, message: `${what} SKIPPED: ${missing}.` };
}

/**
 * `describe`, `describe.skip` with the notice, or, under CI, a `describe` whose one test fails
 * with the message (the run fails and says why; the file's other blocks still run).
 */
export function describeFor(verdict: ServiceVerdict): jest.Describe {
  if (verdict.run) return describe;
  if (!verdict.fail) {
    console.warn(verdict.message);
    return describe.skip;
  }
  const failing = (name: Parameters<jest.Describe>[0], _tests: jest.EmptyFunction): void =>
    describe(name, () => {
      it('has the service it needs', () => {
        throw new Error(verdict.message);
      });
    });
  return Object.assign(failing, { each: describe.each, only: describe.only, skip: describe.skip });
}
