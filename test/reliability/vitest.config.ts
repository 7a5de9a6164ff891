import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

/**
 * `npm run test:reliability`: the fast, deterministic attacks (also part of `npm test`, whose default
 * include already matches `test/reliability/**\/*.test.ts`). With `--full` (RELIABILITY_FULL=1) also the
 * slow or timing-sensitive ones under `test/reliability/full/*.full.ts`, which CI does not run.
 */
const full = process.env.RELIABILITY_FULL === '1';

const config = mergeConfig(
  base,
  defineConfig({
    test: {
      // Each file starts its own platform; on 2 cores one file at a time keeps them from starving each other.
      maxWorkers: 1,
      fileParallelism: false,
      testTimeout: 120_000,
    },
  }),
);
// mergeConfig concatenates arrays; the include must replace the base one, not add to it.
config.test!.include = ['test/reliability/**/*.test.ts', ...(full ? ['test/reliability/full/**/*.full.ts'] : [])];
export default config;
