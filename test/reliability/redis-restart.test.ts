/**
 * Issue 14, item 5: Redis restarts under the platform. The platform (launcher, one process per service)
 * uses a redis-server the test starts itself on a free port. While three stockChanged subscribers are
 * connected at the gateway and stock keeps changing, Redis is stopped and started again (empty: it
 * keeps nothing on disk). The subscribers end with exactly the ledger's events (no gap, no duplicate),
 * rate limiting refuses again once Redis is back, and no service was restarted.
 */
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freeLoopbackPort, graphql, startOwnRedis, stopOwnRedis, tokenFor, uniqueTenant } from '@stockline/testkit';
import { Catalog } from '../../subgraphs/orders/test/support/catalog.ts';
import { until } from '../support/spawn-process.ts';
import { resumingSubscriber, type ResumingSubscriber } from './support/resuming-subscriber.ts';
import { startServiceModePlatform, type ServiceModePlatform } from './support/service-mode-platform.ts';

let platform: ServiceModePlatform;
let redisPort: number;
let redis: ChildProcess;
let subscribers: ResumingSubscriber[] = [];
const tenant = uniqueTenant('redis-restart');
const limited = uniqueTenant('redis-limited');

const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { movement { id } userErrors { code } } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  redisPort = await freeLoopbackPort();
  redis = await startOwnRedis(redisPort);
  platform = await startServiceModePlatform({
    label: 'rel_redis_restart',
    // One tenant with a tiny bucket (20 cost units, refilled at 1 per 100 s) to see the limiter work.
    env: { REDIS_URL: `redis://127.0.0.1:${redisPort}`, RATE_LIMIT_TENANTS: JSON.stringify({ [limited]: { capacity: 20, refillPerSecond: 0.01 } }) },
  });
}, 340_000);
afterAll(async () => {
  await Promise.all(subscribers.map((s) => s.stop()));
  platform?.saveOutput('/tmp/rel-redis-restart.log');
  await platform?.stop();
  if (redis) await stopOwnRedis(redis, 'SIGKILL');
}, 60_000);

/** Requests of the limited tenant until one is refused RATE_LIMITED (at most `max`); how many were served first. */
async function servedUntilLimited(max = 100): Promise<number | null> {
  const token = await tokenFor(limited, ['viewer']);
  for (let i = 0; i < max; i++) {
    const r = await graphql(platform.url, { query: '{ items(first: 5) { totalCount } }', token });
    if (r.errors?.some((e) => e.extensions?.code === 'RATE_LIMITED')) return i;
  }
  return null;
}

it('resumes every subscriber with no gap and no duplicate, and limits rates again, after Redis restarts, with no service restarted', async () => {
  const catalog = await Catalog.for(platform.url, tenant);
  const locationId = await catalog.createLocation();
  const itemId = await catalog.createItem();
  await catalog.receive(itemId, locationId, 1_000);
  const token = await tokenFor(tenant, ['clerk']);
  const adjust = async (delta: number) => {
    const r = await graphql(platform.url, { query: ADJUST, variables: { input: { itemId, locationId, delta, reason: 'CORRECTION' } }, token }).catch(() => null);
    return !!r?.data?.adjustStock?.movement;
  };

  // The limiter works before the restart.
  expect(await servedUntilLimited()).not.toBeNull();

  // Three live subscribers, proven live by a first change.
  const ws = `${platform.gatewayUrl.replace(/^http/, 'ws')}/graphql`;
  subscribers = [0, 1, 2].map(() => resumingSubscriber(ws, token, { itemIds: [itemId] }));
  await until(async () => (await adjust(1), await sleep(1_000), subscribers.every((s) => s.events.length > 0)), 'every subscriber live', { timeoutMs: 60_000, everyMs: 0 });

  // Stock keeps changing (two writers, ±1) before, during and after the outage.
  let writing = true;
  const done = { before: 0, during: 0, after: 0 };
  let phase: keyof typeof done = 'before';
  const writers = [0, 1].map(async (w) => {
    for (let i = 0; writing && i < 5_000; i++) if (await adjust(i % 2 ? -1 : 1)) done[phase]++;
    void w;
  });
  await sleep(3_000);
  phase = 'during';
  await stopOwnRedis(redis, 'SIGKILL');
  await sleep(5_000);
  redis = await startOwnRedis(redisPort);
  phase = 'after';
  await sleep(5_000);
  writing = false;
  await Promise.all(writers);
  expect(await adjust(1)).toBe(true);

  // Every subscriber gets exactly the ledger's StockChanged events of the item, in seq order.
  const sql = new pg.Client({ connectionString: platform.databaseUrl });
  await sql.connect();
  const ledger = async () => (await sql.query(`SELECT seq FROM inventory.outbox_events WHERE tenant_id = $1 AND type = 'StockChanged' AND payload->>'itemId' = $2 AND seq IS NOT NULL ORDER BY seq`, [tenant, itemId])).rows.map((r) => Number(r.seq));
  const [{ movements }] = (await sql.query(`SELECT count(*)::int AS movements FROM inventory.stock_movements WHERE tenant_id = $1`, [tenant])).rows;
  try {
    await until(async () => (await sql.query(`SELECT count(*)::int AS n FROM inventory.outbox_events WHERE published_at IS NULL`)).rows[0].n === 0, 'the relay drained', { timeoutMs: 60_000 });
    const all = await ledger();
    expect(all).toHaveLength(movements); // one event per movement of the ledger
    for (const s of subscribers) {
      await s.waitUntil((events) => events.length > 0 && s.seqs().at(-1) === all.at(-1), 'a subscriber at the last event', 90_000);
      const seqs = s.seqs();
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual(all.filter((q) => q >= seqs[0]!));
    }
  } finally {
    await sql.end();
  }
  console.log(`redis restart: ${JSON.stringify({ writes: done, events: subscribers.map((s) => s.events.length), resumes: subscribers.map((s) => s.resumes), endings: subscribers.map((s) => s.endings.slice(0, 2)) })}`);
  // Stock changed while Redis was down and after it came back.
  expect(done.during + done.after).toBeGreaterThan(0);
  expect(done.after).toBeGreaterThan(0);

  // The limiter works again on the new (empty) Redis, and nothing was restarted to get there.
  expect(await servedUntilLimited()).not.toBeNull();
  expect(platform.launcher.output()).not.toMatch(/exited unexpectedly/);
}, 400_000);
