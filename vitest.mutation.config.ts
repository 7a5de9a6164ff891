import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests Stryker runs against each mutant (stryker.config.mjs): those that exercise the modules
 * under mutation directly, on a real PostgreSQL database of each file's own, without starting servers.
 * The end-to-end suites also cover these modules but take minutes per run; run once per mutant, they
 * would make the mutation run take days.
 */
export const MUTATION_TESTS = [
  'subgraphs/inventory/test/stock-service.test.ts',
  'subgraphs/inventory/test/reservation-service.test.ts',
  'subgraphs/inventory/test/allocate.test.ts',
  'subgraphs/inventory/test/repositories-tenant-scope.test.ts',
  'subgraphs/inventory/test/repository-queries.test.ts',
  'packages/idempotency/test/*.test.ts',
  'packages/auth/test/*.test.ts',
  'subgraphs/orders/test/order-status*.test.ts',
];

// Not mergeConfig: it would append to the base `include` (every test) instead of replacing it.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: MUTATION_TESTS,
    // The databases are made once per vitest instance (one per Stryker worker), not once per mutant.
    globalSetup: ['test/mutation/global-setup.ts'],
    // Stryker switches mutants by a global, so the modules under test need not be imported again for each
    // mutant's run: without isolation a run re-executes only the test files.
    isolate: false,
  },
});
