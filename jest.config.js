/**
 * Three jest projects, each runnable alone (`npm run test:unit`, `npx jest --selectProjects e2e`).
 * A spec's project follows from its path alone, so that a new spec lands in the right one:
 *   e2e       test/e2e/**, and any *.e2e.spec.ts: the compiled CLI, the HTTP API, Chromium;
 *   contract  test/contract/**, and any *.contract.spec.ts: the store adapters and what runs
 *             against the PostgreSQL server (or the KurrentDB stand-in);
 *   unit      every other *.spec.ts: in-process code, no database server, no compiled CLI, no browser.
 * A unit spec that asks for PostgreSQL, or a non-e2e spec for Chromium or the CLI, fails saying
 * where it belongs (test/support/test-project.ts).
 * Type checking is `npm test`'s compilation (tools/build.js), so ts-jest only transpiles; only
 * the e2e project needs dist/, so only it builds (and skips that when dist/ is current).
 * Timeouts are per project (LEDGER_TEST_TIMEOUT_MS); the few slower specs raise their own.
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const E2E = ['<rootDir>/test/e2e/', '\\.e2e\\.spec\\.ts$'];
const CONTRACT = ['<rootDir>/test/contract/', '\\.contract\\.spec\\.ts$'];

/**
 * `jest --testTimeout=N` still sets every test's timeout. Jest takes testTimeout from the command
 * line or the top level only, so the projects' timeouts are set by a setup file, which would win.
 */
function commandLineTimeout(argv) {
  const at = argv.findIndex((a) => a === '--testTimeout' || a.startsWith('--testTimeout='));
  if (at === -1) return undefined;
  const value = Number(argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}
const COMMAND_LINE_TIMEOUT = commandLineTimeout(process.argv);

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/projections', '<rootDir>/test', '<rootDir>/docs'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The `@ledger/*` entry points, as tsconfig.json's paths name them.
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  setupFiles: ['reflect-metadata'],
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-project.setup.ts'],
};

/** @param {string} name @param {number} timeoutMs */
const project = (name, timeoutMs, more) => ({
  ...common,
  displayName: name,
  globals: { LEDGER_TEST_PROJECT: name, LEDGER_TEST_TIMEOUT_MS: COMMAND_LINE_TIMEOUT ?? timeoutMs },
  ...more,
});

module.exports = {
  // Two workers on this 2-core machine (jest's default is cores - 1: one). Most specs wait on
  // something else (a CLI process, Chromium, PostgreSQL, an fsync), so two overlap well:
  // measured in docs/performance.md ("The test suite's time").
  maxWorkers: 2,
  projects: [
    project('unit', 10_000, { testMatch: ['**/*.spec.ts'], testPathIgnorePatterns: ['/node_modules/', ...E2E, ...CONTRACT] }),
    project('contract', 30_000, {
      testMatch: ['<rootDir>/test/contract/**/*.spec.ts', '**/*.contract.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...E2E],
    }),
    project('e2e', 60_000, {
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts', '**/*.e2e.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
      // The CLI specs run the compiled CLI as a real process (kill -9 included).
      globalSetup: '<rootDir>/test/global-setup.js',
    }),
  ],
};
