import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GATEWAY_ENV } from '../gateway/src/config.ts';
import { INVENTORY_ENV } from '../subgraphs/inventory/src/config.ts';
import { ORDERS_ENV } from '../subgraphs/orders/src/config.ts';

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
/** The variables each of our services reads, from its own config module. */
const READS: Record<string, string[]> = { gateway: GATEWAY_ENV, inventory: INVENTORY_ENV, orders: ORDERS_ENV };

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Redis, Elasticsearch, an S3-compatible store, the gateway and every subgraph, each with a health check', () => {
    const names = Object.keys(compose.services);
    expect(names).toEqual(expect.arrayContaining(['postgres', 'redis', 'elasticsearch', 'minio', 'gateway', 'inventory', 'orders']));
    for (const [name, service] of Object.entries(compose.services)) expect(service.healthcheck?.test, name).toBeTruthy();
  });

  it('sets on each of our services only environment variables that service reads', () => {
    for (const [name, reads] of Object.entries(READS)) {
      const set = Object.keys(compose.services[name].environment ?? {});
      expect(set.length, name).toBeGreaterThan(0);
      expect(set.filter((v) => !reads.includes(v)), `${name} sets variables it never reads`).toEqual([]);
    }
  });

  it('points the gateway at every subgraph and starts it after they are healthy', () => {
    const gateway = compose.services.gateway;
    expect(gateway.environment).toMatchObject({ INVENTORY_URL: 'http://inventory:4001', ORDERS_URL: 'http://orders:4002' });
    expect(gateway.depends_on).toMatchObject({ inventory: { condition: 'service_healthy' }, orders: { condition: 'service_healthy' } });
  });
});
