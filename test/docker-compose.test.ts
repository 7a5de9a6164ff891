import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SERVICES, callees, services, subgraphs, urlEnv } from '@stockline/registry';
import { serviceEnv } from './support/service-env.ts';

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
/** Our services in docker-compose: the ones built from this repository (the others are images). */
const built = Object.entries(compose.services).filter(([, s]) => s.build !== undefined).map(([name]) => name);
/** Registry entries whose folder exists (one still being built is checked once its folder lands). */
const present = services({ present: true });

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Redis, Elasticsearch, an S3-compatible store and every service of the registry, each with a health check', () => {
    const names = Object.keys(compose.services);
    expect(names).toEqual(expect.arrayContaining(['postgres', 'redis', 'elasticsearch', 'minio', ...present.map((s) => s.name)]));
    for (const [name, service] of Object.entries(compose.services)) expect(service.healthcheck?.test, name).toBeTruthy();
  });

  it('builds no service that is missing from the registry', () => {
    const known = SERVICES.map((s) => s.name) as string[];
    expect(built.filter((name) => !known.includes(name))).toEqual([]);
  });

  it('starts each service with its workspace on its registry port, after the services it depends on are healthy', () => {
    for (const service of present) {
      const composed = compose.services[service.name];
      expect(composed.command, service.name).toEqual(['npm', 'start', '-w', service.workspace]);
      expect(composed.environment?.PORT, service.name).toBe(String(service.port));
      expect(composed.healthcheck?.test.join(' '), service.name).toContain(`127.0.0.1:${service.port}/readyz`);
      for (const dep of service.dependsOn.filter((d) => present.some((p) => p.name === d))) {
        expect(composed.depends_on?.[dep], `${service.name} depends on ${dep}`).toEqual({ condition: 'service_healthy' });
      }
    }
  });

  it('sets on each service only environment variables that service reads', async () => {
    for (const service of present) {
      const reads = await serviceEnv(service);
      const set = Object.keys(compose.services[service.name]?.environment ?? {});
      expect(set.length, service.name).toBeGreaterThan(0);
      expect(set.filter((v) => !reads.includes(v)), `${service.name} sets variables it never reads`).toEqual([]);
    }
  });

  it('points each service at the services it calls by their compose name and registry port', () => {
    for (const service of present) {
      const env = compose.services[service.name].environment ?? {};
      for (const name of callees(service).filter((d) => present.some((p) => p.name === d))) {
        const callee = SERVICES.find((s) => s.name === name)!;
        expect(env[urlEnv(name)], `${service.name} → ${name}`).toBe(`http://${name}:${callee.port}`);
      }
    }
    // The gateway routes to every subgraph.
    expect(callees(SERVICES.find((s) => s.name === 'gateway')!)).toEqual(expect.arrayContaining(subgraphs().map((s) => s.name)));
  });
});
