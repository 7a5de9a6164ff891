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
    // Each test file loads the modules afresh (vitest's default). With `isolate: false` a worker could keep a
    // module loaded from an earlier run, so a mutant in code run at load time (a module-level constant: a
    // "static" mutant) did not take effect and was reported as survived; full runs took about as long either
    // way (docs/testing.md).
    isolate: true,
  },
});
