import { describe, expect, it } from 'vitest';
import { ConfigError } from '@stockline/config';
import { loadAnalyticsConfig } from '../src/config.ts';

describe('loadAnalyticsConfig', () => {
  it('reads defaults: port 4003, a DuckDB file under the data directory, inventory on loopback', () => {
    const config = loadAnalyticsConfig({ env: {} });
    expect(config.port).toBe(4003);
    expect(config.dbPath).toMatch(/\.data\/analytics\.duckdb$/);
    expect(config.inventoryUrl).toBe('http://127.0.0.1:4001');
    expect(config.redisUrl).toBeNull();
  });

  it('names every invalid variable at once', () => {
    try {
      loadAnalyticsConfig({ env: { PORT: 'x', INVENTORY_URL: 'not a url', ANALYTICS_BATCH_SIZE: '0' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const names = (error as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(names.sort()).toEqual(['ANALYTICS_BATCH_SIZE', 'INVENTORY_URL', 'PORT']);
    }
  });

  it('refuses the development JWT secret in production', () => {
    expect(() => loadAnalyticsConfig({ env: { NODE_ENV: 'production' } })).toThrow(ConfigError);
  });
});
