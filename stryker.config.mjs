// Mutation testing of the modules whose bugs would lose stock or leak data (issue 16): `npm run test:mutation`.
// Results, survivors and how to scope a run: docs/testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // Stryker works in a copy (.stryker-tmp/sandbox-*), never in the working tree, which others edit and test in at the
  // same time. In the copy, tests import the mutated sources of their own package by relative path; a package
  // imported by name (@stockline/*) resolves through node_modules' workspace links to the unmutated original, so each
  // module is killed by the tests of its own package (the lists below and in vitest.mutation.config.ts match).
  inPlace: false,
  ignorePatterns: ['.turbo', '.data', 'test-artifacts', 'bench', 'clients', '**/dist'],
  mutate: [
    'subgraphs/inventory/src/domain/stock-ledger.ts',
    'subgraphs/inventory/src/domain/stock-validation.ts',
    'subgraphs/inventory/src/domain/stock.service.ts',
    'subgraphs/inventory/src/domain/reservation.service.ts',
    'subgraphs/inventory/src/domain/idempotency.ts',
    'subgraphs/inventory/src/data/sql.ts',
    'subgraphs/inventory/src/data/item.repository.ts',
    'subgraphs/inventory/src/data/stock-level.repository.ts',
    'subgraphs/inventory/src/data/reservation.repository.ts',
    'subgraphs/inventory/src/data/ledger.repository.ts',
    'subgraphs/inventory/src/data/movement.repository.ts',
    'packages/idempotency/src/*.ts',
    '!packages/idempotency/src/index.ts',
    'packages/auth/src/*.ts',
    '!packages/auth/src/index.ts',
    'subgraphs/orders/src/domain/order-status.ts',
  ],
  coverageAnalysis: 'perTest',
  // Two cores, shared with whoever else runs tests; each worker runs one vitest fork with its own databases.
  concurrency: 2,
  // A mutant that makes a query hang or loop: PostgreSQL's lock waits are the usual cause.
  timeoutMS: 30_000,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
