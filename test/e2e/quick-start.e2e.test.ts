import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, TEST_REDIS_URL, graphql } from '@stockline/testkit';
import { freePort, spawnStart, type StartedProcess } from '../support/spawn-start.ts';

const started: StartedProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const p of started) await p.stop('SIGKILL').catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function ports() {
  return { PORT: String(await freePort()), INVENTORY_PORT: String(await freePort()), ORDERS_PORT: String(await freePort()) };
}

async function expectDemoCatalog(base: string, token: string) {
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  const { data, errors } = await graphql(`${base}/graphql`, { query: '{ items(first: 5) { totalCount nodes { sku name category { name } } } }', token });
  expect(errors).toBeUndefined();
  expect(data.items.totalCount).toBe(200);
  expect(data.items.nodes).toHaveLength(5);
  expect(data.items.nodes.every((n: { category: { name: string } | null }) => n.category?.name)).toBe(true);
  const anonymous = await graphql(`${base}/graphql`, { query: '{ items(first: 5) { totalCount } }' });
  expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
}

describe('npm start', () => {
  it('runs on embedded defaults with nothing installed, serves the demo catalog, and keeps data across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stockline-embedded-'));
    dirs.push(dataDir);
    const env = { ...(await ports()), STOCKLINE_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) };
    const first = await spawnStart(env);
    started.push(first);
    const base = `http://127.0.0.1:${env.PORT}`;
    expect(first.token).toBeTruthy();
    await expectDemoCatalog(base, first.token!);

    const html = await (await fetch(`${base}/graphiql`)).text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
    expect(html).toContain(first.token!);

    const created = await graphql(`${base}/graphql`, { query: `mutation { upsertItem(input: { sku: "KEEP-1", name: "Survives a restart" }) { item { id } userErrors { code } } }`, token: first.token! });
    expect(created.data.upsertItem.userErrors).toEqual([]);
    expect(await first.stop()).toBe(true);

    const second = await spawnStart(env);
    started.push(second);
    const { data } = await graphql(`${base}/graphql`, { query: `{ item(sku: "KEEP-1") { id name } items(first: 0) { totalCount } }`, token: second.token! });
    expect(data.item).toEqual({ id: created.data.upsertItem.item.id, name: 'Survives a restart' });
    expect(data.items.totalCount).toBe(201);
    expect(await second.stop()).toBe(true);
    // Two starts and two stops of six services, on two shared cores: time is the benchmark's (P9), not this test's.
  }, 240_000);

  it('runs on real PostgreSQL and Redis given their URLs, creating the database when it does not exist', async () => {
    const name = `stockline_quickstart_${Date.now()}`;
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    const env = { ...(await ports()), DATABASE_URL: url.toString(), REDIS_URL: TEST_REDIS_URL, EVENTS_CHANNEL_PREFIX: `qs.${name}.` };
    try {
      const run = await spawnStart(env);
      started.push(run);
      await expectDemoCatalog(`http://127.0.0.1:${env.PORT}`, run.token!);
      expect(await run.stop()).toBe(true);
    } finally {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }, 180_000);
});
