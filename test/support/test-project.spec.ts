import { describeWithChromium } from './browser';
import { describeWithPostgres } from './postgres';
import { runCli } from './run-cli';
import { currentProject, requireProject } from './test-project';

describe('the jest project a spec runs in', () => {
  it('is unit for a spec outside test/e2e and test/contract', () => {
    expect(currentProject()).toBe('unit');
  });

  it('refuses, in a unit spec, PostgreSQL, Chromium and the compiled CLI, saying where the spec belongs', () => {
    expect(() => describeWithPostgres('PG tests')).toThrow(
      'A unit spec may not use PostgreSQL: move the spec under test/contract/, or named *.contract.spec.ts; or under test/e2e/, or named *.e2e.spec.ts (see jest.config.js).',
    );
    expect(() => describeWithChromium('browser tests')).toThrow('A unit spec may not use Chromium: move the spec under test/e2e/, or named *.e2e.spec.ts');
    expect(() => runCli(['--help'], 'sqlite::memory:')).toThrow('A unit spec may not use the compiled CLI');
  });

  it('lets a project use what it provides', () => {
    expect(() => requireProject(['unit', 'e2e'], 'anything')).not.toThrow();
  });
});
