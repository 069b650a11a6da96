/**
 * The module boundaries, checked by test/architecture/dependency-rules.spec.ts (so by `npm test`).
 * Layers, from the inside out (docs/architecture.md draws them):
 *   domain       libs/events, libs/integrity, projections/, and the projection kit: plain TypeScript;
 *   application  libs/application (use cases), libs/audit, libs/ingest, libs/demo: may use the store port;
 *   adapters     libs/store (SQLite, PostgreSQL, KurrentDB), libs/auth, libs/files;
 *   shells       apps/api, apps/cli: NestJS, HTTP, the command line.
 * A rule names what is forbidden; `type-only` imports are let through where they carry no code.
 */
const NEST_OR_INFRA = '(^|/)node_modules/(@nestjs|express|better-sqlite3|pg|@kurrent|commander|helmet|pino|prom-client)/';
const DOMAIN = '^(libs/(events|integrity|projection-kit)/|projections/|docs/examples/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle between files makes load order matter and modules impossible to take apart.',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-without-framework',
      severity: 'error',
      comment: 'The domain is plain TypeScript: no NestJS, no database driver, no HTTP, even through another module.',
      from: { path: DOMAIN, pathNot: '\\.spec\\.ts$' },
      to: { path: NEST_OR_INFRA, reachable: true },
    },
    {
      name: 'domain-inward-only',
      severity: 'error',
      comment: 'The domain depends on nothing outside the domain (a store or app type included).',
      from: { path: DOMAIN, pathNot: '\\.spec\\.ts$' },
      to: { path: '^(libs|apps|projections)/', pathNot: DOMAIN },
    },
    {
      name: 'projections-use-the-kit',
      severity: 'error',
      comment: 'A projection sees the events and the projection kit only, so that adding one touches nothing else.',
      from: { path: '^projections/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(libs|apps)/', pathNot: '^libs/(events|projection-kit)/' },
    },
    {
      name: 'use-cases-outside-the-shells',
      severity: 'error',
      comment: 'The use-case layer takes Nest for injection and the buses, rxjs for progress, and nothing of a shell (HTTP, CLI).',
      from: { path: '^libs/application/src/', pathNot: ['\\.spec\\.ts$', '^libs/application/src/testing/'] },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)node_modules/(@nestjs/(common|cqrs)|rxjs|reflect-metadata)/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      comment: 'The shells depend on the libraries, never the reverse.',
      from: { path: '^(libs|projections)/' },
      to: { path: '^apps/' },
    },
    {
      name: 'entry-points-only',
      severity: 'error',
      comment: 'Another module is reached through its entry point (index.ts, imported as @ledger/<name>), never its inner files.',
      from: { path: '^(libs/[^/]+|apps/[^/]+|projections)/' },
      to: {
        path: '^(libs/[^/]+/src|projections)/',
        pathNot: ['^$1/', '/index\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
