import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Vite would hand our sources graphql's ESM build while Apollo (CommonJS) loads the CJS one:
    // two realms, and "Cannot use GraphQLNonNull from another module". Node itself loads the CJS one.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '.data/**', 'test-artifacts/**', '.stryker-tmp/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files share one PostgreSQL and one Redis; each uses its own database or tenant.
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    env: { VITEST: 'true' },
  },
});
