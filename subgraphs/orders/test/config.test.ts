import { describe, expect, it } from 'vitest';
import { ConfigError } from '@stockline/config';
import { ORDERS_ENV, loadOrdersConfig } from '../src/config.ts';
import { CrashPoint } from '../src/domain/fault-injection.ts';

const env = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/orders' };
const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadOrdersConfig', () => {
  it('defaults to port 4002, inventory on 127.0.0.1:4001 and no fault injection', () => {
    const config = loadOrdersConfig({ env });
    expect(config).toMatchObject({
      port: 4002,
      inventoryUrl: 'http://127.0.0.1:4001',
      inventoryTimeoutMs: 5000,
      sagaRecoveryIntervalMs: 1000,
      sagaCrashAt: null,
      redisUrl: null,
    });
  });

  it('reads the variables it is given, overrides first', () => {
    const config = loadOrdersConfig({ env: { ...env, PORT: '5000' }, overrides: { PORT: '6000', INVENTORY_URL: 'http://inventory:4001/', SAGA_CRASH_AT: CrashPoint.AfterConsume } });
    expect(config).toMatchObject({ port: 6000, inventoryUrl: 'http://inventory:4001', sagaCrashAt: 'after-consume' });
  });

  it('refuses the test-only SAGA_CRASH_AT when NODE_ENV=production', () => {
    const problems = problemsOf(() =>
      loadOrdersConfig({ env: { ...env, NODE_ENV: 'production', JWT_SECRET: 'a-real-production-secret', SAGA_CRASH_AT: CrashPoint.AfterReserve } }),
    );
    expect(problems.map((p) => p.split(':')[0])).toEqual(['SAGA_CRASH_AT']);
  });

  it('lists the variables it reads, fault injection included', () => {
    expect(ORDERS_ENV).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'INVENTORY_URL', 'INVENTORY_TIMEOUT_MS', 'SAGA_RECOVERY_INTERVAL_MS', 'SAGA_CRASH_AT', 'JWT_SECRET']));
  });

  it('reports every invalid variable at once', () => {
    const problems = problemsOf(() => loadOrdersConfig({ env: { INVENTORY_URL: 'not a url', SAGA_CRASH_AT: 'sometime', INVENTORY_TIMEOUT_MS: '5' } }));
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'INVENTORY_TIMEOUT_MS', 'INVENTORY_URL', 'SAGA_CRASH_AT']);
  });
});
