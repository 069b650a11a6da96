/** The jest project a spec runs in (jest.config.js sets it per project), and what each may use. */
export type TestProject = 'unit' | 'contract' | 'e2e';

declare global {
  // Set by jest.config.js's `globals`, per project.
  var LEDGER_TEST_PROJECT: string | undefined;
  var LEDGER_TEST_TIMEOUT_MS: number | undefined;
}

const PROJECTS: readonly TestProject[] = ['unit', 'contract', 'e2e'];

/** The project of the running spec; undefined when jest runs without this repository's config. */
export function currentProject(): TestProject | undefined {
  return PROJECTS.find((p) => p === globalThis.LEDGER_TEST_PROJECT);
}

const WHERE: Record<TestProject, string> = {
  unit: 'anywhere but test/e2e/ and test/contract/',
  contract: 'under test/contract/, or named *.contract.spec.ts',
  e2e: 'under test/e2e/, or named *.e2e.spec.ts',
};

/**
 * Refuses, at collection, a spec that needs `what` in a project that does not provide it: a
 * unit spec reaching for PostgreSQL would otherwise slow every unit run, or pass where the
 * server is missing. Outside this repository's projects, anything goes.
 */
export function requireProject(allowed: readonly TestProject[], what: string): void {
  const project = currentProject();
  if (project === undefined || allowed.includes(project)) return;
  const places = allowed.map((p) => WHERE[p]).join('; or ');
  throw new Error(`A ${project} spec may not use ${what}: move the spec ${places} (see jest.config.js).`);
}
