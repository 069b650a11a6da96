// @ts-check
/**
 * typescript-eslint with type information (`npm run lint`, run by `npm test`): the
 * recommendedTypeChecked rules, plus what this ledger relies on:
 * - another module is imported by its `@ledger/<name>` entry point, never by climbing folders;
 * - the domain (events, integrity, the projection kit, the projections) and the use cases never
 *   read the clock nor draw ids or random numbers: time and ids come in with the event or the
 *   command, so that replaying the log gives the same figures.
 * The module boundaries themselves are dependency-cruiser's (.dependency-cruiser.js).
 */
const tseslint = require('typescript-eslint');

/** Where time and ids must come in from outside: the domain, and the use cases that decide. */
const DETERMINISTIC = ['libs/application/src/**/*.ts', 'libs/events/src/**/*.ts', 'libs/integrity/src/**/*.ts', 'libs/projection-kit/src/**/*.ts', 'projections/**/*.ts', 'docs/examples/**/*.ts'];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/*.js', '**/*.mjs', 'test/hostile-corpus/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../../*', '../../../**'], message: 'Import another module by its @ledger/<name> entry point (tsconfig.json paths).' }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // The store and state-store adapters implement async ports on synchronous drivers
      // (better-sqlite3): an `async` method without `await` is the port's contract, not a slip.
      '@typescript-eslint/require-await': 'off',
      // An AbortSignal's reason is passed on as it came, so that the caller recognises its own.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    files: DETERMINISTIC,
    ignores: ['**/*.spec.ts', 'libs/application/src/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The domain never reads the clock: the time comes in with the event or the command.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The domain never reads the clock: the time comes in with the event or the command.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'The domain never draws random numbers: replaying the log must give the same figures.' },
        { selector: "CallExpression[callee.property.name=/^(randomUUID|randomBytes|getRandomValues)$/]", message: 'The domain never makes ids: they come in with the event or the command.' },
      ],
      'no-restricted-globals': ['error', { name: 'performance', message: 'The domain never reads the clock.' }],
    },
  },
  {
    // Tests read HTTP bodies (supertest's `body` is `any`) and JSON they parse, and tamper with
    // bundles and records of any shape; checking each property's type there adds casts, not
    // safety: the expectations are the checks. They also destructure helpers ({ dispose }),
    // which use no `this`.
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
