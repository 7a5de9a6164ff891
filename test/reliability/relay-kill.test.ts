/**
 * Issue 14, item 4: event-log durability. The owning service (inventory, whose process runs the outbox
 * relay) is SIGKILLed after its changes are committed in the outbox (one numbered by the relay, one
 * not yet) and before they are published: its PUBLISH to Redis is held by a proxy and never arrives. After the launcher
 * restarts it, the events are delivered, and a stockChanged subscriber at the gateway, search indexing
 * and the analytics consumer each see them exactly once.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphql, tokenFor, uniqueTenant } from '@stockline/testkit';
import { Catalog } from '../../subgraphs/orders/test/support/catalog.ts';
import { LEXICON_CONSUMER as LEXICON } from '../../subgraphs/inventory/src/search/lexicon-indexer.ts';
import { until } from '../support/spawn-process.ts';
import { startHeldProxy, type HeldProxy } from './support/held-proxy.ts';
import { resumingSubscriber, type ResumingSubscriber } from './support/resuming-subscriber.ts';
import { startServiceModePlatform, type ServiceModePlatform } from './support/service-mode-platform.ts';

let platform: ServiceModePlatform;
let redis: HeldProxy;
let subscriber: ResumingSubscriber | undefined;

const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { movement { id } userErrors { code } } }`;
const RENAME = `mutation($input: UpsertItemInput!) { upsertItem(input: $input) { item { id } userErrors { code } } }`;
const RECEIVED = `query($id: ID!, $from: DateTime!, $to: DateTime!) { item(id: $id) { analytics(from: $from, to: $to) { unitsReceived } } }`;
const LAG = `{ analyticsLag { position eventsBehind } }`;
const SEARCH = `query($q: String!) { searchItems(query: $q) { totalCount hits { item { id } } } }`;

async function sql<T = any>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  redis = await startHeldProxy({ host: '127.0.0.1', port: 6379 });
  platform = await startServiceModePlatform({ label: 'rel_relay_kill', env: { REDIS_URL: `redis://127.0.0.1:${redis.port}` } });
}, 340_000);
afterAll(async () => {
  await subscriber?.stop();
  platform?.saveOutput('/tmp/rel-relay-kill.log');
  await platform?.stop();
  await redis?.close();
});

it('delivers events whose publish died with the relay, once each, to a subscription, search and analytics', async () => {
  const tenant = uniqueTenant('relay-kill');
  const token = await tokenFor(tenant, ['admin']);
  const catalog = await Catalog.for(platform.url, tenant);
  const sku = `RK-${tenant}`;
  const locationId = await catalog.createLocation();
  const itemId = await catalog.createItem(sku);
  await catalog.receive(itemId, locationId, 10);
  const window = { id: itemId, from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
  const ask = async (query: string, variables: Record<string, unknown> = {}, url = platform.url) => {
    const r = await graphql(url, { query, variables, token });
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data;
  };
  const received = async () => (await ask(RECEIVED, window)).item.analytics.unitsReceived as number;

  // A live subscriber, proven live by a first change; analytics caught up with it.
  subscriber = resumingSubscriber(`${platform.gatewayUrl.replace(/^http/, 'ws')}/graphql`, token, { itemIds: [itemId] });
  await until(async () => {
    await ask(ADJUST, { input: { itemId, locationId, delta: 1, reason: 'RECEIVED' } });
    await new Promise((r) => setTimeout(r, 1_000));
    return subscriber!.events.length > 0;
  }, 'the subscription live', { timeoutMs: 60_000, everyMs: 0 });
  const receivedInLedger = async () => (await sql<{ units: number }>(`SELECT sum(on_hand_delta)::int AS units FROM inventory.stock_movements WHERE tenant_id = $1 AND reason = 'RECEIVED'`, [tenant]))[0]!.units;
  const before = await receivedInLedger();
  await until(async () => (await received()) === before, 'analytics caught up before the crash', { timeoutMs: 60_000, everyMs: 500 });

  // Hold Redis: what the relay publishes from now on never arrives. Change stock and rename the item
  // on inventory itself, and wait until both are committed and numbered, but not published.
  redis.hold();
  // Letters only: the lexicon splits words at anything else.
  const word = `zyxrelay${tenant.replace(/[^a-f0-9]/g, '').replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]!)}`;
  const inventory = `${platform.urlOf('inventory')}/graphql`;
  expect((await ask(ADJUST, { input: { itemId, locationId, delta: 7, reason: 'RECEIVED', reference: 'relay-kill' } }, inventory)).adjustStock.userErrors).toEqual([]);
  expect((await ask(RENAME, { input: { sku, name: `Relay ${word}` } }, inventory)).upsertItem.userErrors).toEqual([]);
  const pending = () => sql<{ type: string; seq: number | null; pos: number | null }>(`SELECT type, seq, pos FROM inventory.outbox_events WHERE tenant_id = $1 AND published_at IS NULL ORDER BY id`, [tenant]);
  // The relay numbers what is committed, then blocks in PUBLISH; a commit after that stays unnumbered.
  await until(async () => { const rows = await pending(); return rows.length === 2 && rows.some((r) => r.seq !== null); }, 'both events committed, one at least numbered by the relay', { timeoutMs: 30_000 });
  await until(() => redis.heldBytes() > 0, 'the relay\'s PUBLISH sent (and held)', { timeoutMs: 30_000 });
  const connections = redis.connections();
  const killed = platform.kill('inventory');
  expect(killed).not.toBeNull();
  await platform.launcher.waitFor(/inventory exited unexpectedly \(signal SIGKILL\)/, { timeoutMs: 30_000 });
  await until(() => redis.connections() < connections, 'the killed process\'s Redis connections closed', { timeoutMs: 10_000 });
  // Killed between commit and publish: nothing was marked published, nothing reached Redis.
  const stranded = await pending();
  expect(stranded.map((r) => r.type).sort()).toEqual(['ItemChanged', 'StockChanged']);
  expect(subscriber.events.some((e) => e.onHandDelta === 7)).toBe(false);
  redis.release();

  // The launcher restarts inventory; its relay publishes what the dead one could not.
  await platform.waitReady('inventory', 120_000);
  await platform.waitReady('gateway', 60_000);
  await until(async () => (await pending()).length === 0, 'the stranded events published after the restart', { timeoutMs: 60_000 });
  // A last change after the restart: a duplicate of the stranded event would come before it.
  await ask(ADJUST, { input: { itemId, locationId, delta: 1, reason: 'RECEIVED', reference: 'after-restart' } });
  const stranded7 = (events: { onHandDelta: number }[]) => events.findIndex((e) => e.onHandDelta === 7);
  await subscriber.waitUntil((events) => stranded7(events) >= 0 && events.slice(stranded7(events) + 1).some((e) => e.onHandDelta === 1), 'the stranded change, then the last one, at the subscriber', 90_000);

  // The subscription: every StockChanged of the item after the warm-up, in seq order, none twice.
  const ledger = await sql<{ seq: number }>(
    `SELECT seq FROM inventory.outbox_events WHERE tenant_id = $1 AND type = 'StockChanged' AND payload->>'itemId' = $2 ORDER BY seq`, [tenant, itemId]);
  const seqs = subscriber.seqs();
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(seqs).toEqual(ledger.map((r) => Number(r.seq)).filter((s) => s >= seqs[0]!));
  expect(subscriber.events.filter((e) => e.onHandDelta === 7)).toHaveLength(1);

  // Analytics counts the stranded receipt once: its units received are the ledger's.
  const [{ head }] = await sql<{ head: number }>(`SELECT max(pos)::int AS head FROM inventory.outbox_events`);
  await until(async () => (await ask(LAG)).analyticsLag.position >= head, 'analytics at the head of the log', { timeoutMs: 60_000, everyMs: 500 });
  const units = await receivedInLedger();
  expect(units).toBe(before + 7 + 1);
  expect(await received()).toBe(units);

  // Search indexing (the lexicon consumer of the inventory stream): past the rename's position, its new
  // word known once, and the item found by it once.
  const [renamed] = await sql<{ pos: number }>(`SELECT pos::int FROM inventory.outbox_events WHERE tenant_id = $1 AND type = 'ItemChanged' ORDER BY id DESC LIMIT 1`, [tenant]);
  await until(async () => ((await sql<{ pos: number }>(`SELECT pos::int FROM inventory.search_checkpoints WHERE name = $1`, [LEXICON]))[0]?.pos ?? 0) >= renamed!.pos, 'the lexicon indexer past the rename', { timeoutMs: 60_000, everyMs: 500 });
  expect((await sql(`SELECT word FROM inventory.search_lexicon WHERE tenant_id = $1 AND word = $2`, [tenant, word])).length).toBe(1);
  const found = (await ask(SEARCH, { q: word })).searchItems;
  expect(found.totalCount).toBe(1);
  expect(found.hits.map((h: { item: { id: string } }) => h.item.id)).toEqual([itemId]);
  expect(platform.restarts('inventory')).toBe(1);
}, 400_000);
