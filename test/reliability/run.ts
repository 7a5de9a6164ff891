/**
 * `npm run test:reliability [-- --full] [vitest args…]`: runs the reliability suite (test/reliability)
 * with its own vitest config. `--full` adds the slow attacks under test/reliability/full.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const full = args.includes('--full');
const rest = args.filter((a) => a !== '--full');
const root = fileURLToPath(new URL('../..', import.meta.url));
const result = spawnSync('npx', ['vitest', 'run', '--config', 'test/reliability/vitest.config.ts', ...rest], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, RELIABILITY_FULL: full ? '1' : '0' },
});
process.exit(result.status ?? 1);
