import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@stockline/config';
import { loadInventoryConfig } from '../src/config.ts';

const DB = 'postgresql://postgres@127.0.0.1:5432/x';

describe('loadInventoryConfig', () => {
  it('applies documented defaults', () => {
    const config = loadInventoryConfig({ env: { DATABASE_URL: DB } });
    expect(config).toMatchObject({ port: 4001, redisUrl: null, reservationSweepIntervalMs: 1000, nodeEnv: 'development', seedDemo: false });
  });

  it('names every invalid variable at once', () => {
    try {
      loadInventoryConfig({ env: { DATABASE_URL: 'not a url', PORT: 'abc', RESERVATION_SWEEP_INTERVAL_MS: '5' } });
      expect.unreachable('a bad config must throw');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const names = (error as ConfigError).problems.map((p) => p.split(':')[0]).sort();
      expect(names).toEqual(['DATABASE_URL', 'PORT', 'RESERVATION_SWEEP_INTERVAL_MS']);
    }
  });

  it('refuses to run in production on the development JWT secret', () => {
    expect(() => loadInventoryConfig({ env: { DATABASE_URL: DB, NODE_ENV: 'production' } })).toThrow(ConfigError);
    expect(loadInventoryConfig({ env: { DATABASE_URL: DB, NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-length' } }).nodeEnv).toBe('production');
  });

  it('makes the service exit 1 with one message naming each bad variable', () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', entry], {
      env: { PATH: process.env.PATH, PORT: 'abc', DATABASE_URL: 'nope' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/PORT/);
    expect(run.stderr).toMatch(/DATABASE_URL/);
  });
});
