import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files share one PostgreSQL and one Redis; each uses its own database or tenant.
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    env: { VITEST: 'true' },
  },
});
