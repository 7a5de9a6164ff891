import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, runMigrations, type Pool } from '@stockline/db';
import { createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { OutboxRelay, Topic, appendOutboxEvents, createPubSub, type DomainEvent, type PubSub } from '../src/index.ts';

const MIGRATIONS = fileURLToPath(new URL('../../../subgraphs/inventory/prisma/migrations', import.meta.url));
const SCHEMA = 'inventory';

let database: TestDatabase;
let pool: Pool;
let bus: PubSub;

beforeAll(async () => {
  database = await createTestDatabase('relay');
  pool = createPool({ url: database.url, max: 8, applicationName: 'relay-test' });
  await runMigrations({ pool, schema: SCHEMA, dir: MIGRATIONS });
  bus = createPubSub({ redisUrl: null });
});
afterAll(async () => {
  await bus?.close();
  await pool?.end();
  await database?.drop();
});

async function emit(tenantId: string, count: number) {
  const client = await pool.connect();
  try {
    const events = Array.from({ length: count }, (_, i) => ({ type: Topic.StockChanged, payload: { i } }));
    await appendOutboxEvents({ $executeRawUnsafe: (q, ...v) => client.query(q, v).then((r) => r.rowCount ?? 0) }, { schema: SCHEMA, tenantId, events });
  } finally {
    client.release();
  }
}

function collect(channel: string) {
  const seen: DomainEvent[] = [];
  const id = bus.subscribe(channel, (e: DomainEvent) => seen.push(e), {});
  return { seen, stop: async () => bus.unsubscribe(await id) };
}

describe('the outbox relay', () => {
  it('is elected once per schema: of two relays only one publishes, and each event is published once', async () => {
    const channel = `relay-${randomBytes(3).toString('hex')}`;
    const { seen, stop } = collect(channel);
    const tenant = `t-${randomBytes(3).toString('hex')}`;
    const a = new OutboxRelay({ pool, schema: SCHEMA, bus, channel, intervalMs: 20 });
    const b = new OutboxRelay({ pool, schema: SCHEMA, bus, channel, intervalMs: 20 });
    a.start();
    b.start();
    try {
      await emit(tenant, 40);
      // Drains racing the relays' own timers and nudges: rounds must still not overlap.
      await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
      const mine = seen.filter((e) => e.tenantId === tenant);
      expect(mine.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(new Set(mine.map((e) => e.id)).size).toBe(40);
      await a.stop();
      // The other takes over once the leader is gone.
      await emit(tenant, 2);
      await b.drain();
      expect(seen.filter((e) => e.tenantId === tenant).map((e) => e.seq)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    } finally {
      await a.stop();
      await b.stop();
      await stop();
    }
  });

  it('publishes, after a crash between numbering and publishing, the numbered events with their numbers', async () => {
    const channel = `relay-${randomBytes(3).toString('hex')}`;
    const tenant = `t-${randomBytes(3).toString('hex')}`;
    await emit(tenant, 5);
    // A relay whose bus fails: it numbers the rows, then dies before any is published.
    const broken = { ...bus, publish: async () => Promise.reject(new Error('crash before publish')) } as unknown as PubSub;
    const crashed = new OutboxRelay({ pool, schema: SCHEMA, bus: broken, channel, onError: () => {} });
    await expect(crashed.drain()).rejects.toThrow('crash before publish');
    await crashed.stop();
    const { rows } = await pool.query(`SELECT seq, published_at FROM inventory.outbox_events WHERE tenant_id = $1 ORDER BY seq`, [tenant]);
    expect(rows.map((r) => [Number(r.seq), r.published_at])).toEqual([1, 2, 3, 4, 5].map((s) => [s, null]));

    const { seen, stop } = collect(channel);
    const next = new OutboxRelay({ pool, schema: SCHEMA, bus, channel });
    await next.drain();
    expect(seen.filter((e) => e.tenantId === tenant).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const after = await pool.query(`SELECT count(*)::int AS n FROM inventory.outbox_events WHERE tenant_id = $1 AND published_at IS NULL`, [tenant]);
    expect(after.rows[0].n).toBe(0);
    await next.stop();
    await stop();
  });

  it('gives back a connection that broke during the election, so the pool can end (found by the PostgreSQL-down reliability test)', async () => {
    const own = createPool({ url: database.url, max: 2, applicationName: 'relay-election-test' });
    // The first query on a fresh connection fails as a dropped link does.
    const failing = Object.create(own) as Pool;
    failing.connect = (async () => {
      const client = await own.connect();
      const query = client.query.bind(client);
      client.query = ((..._args: unknown[]) => {
        client.query = query;
        return Promise.reject(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
      }) as typeof client.query;
      return client;
    }) as typeof own.connect;
    const relay = new OutboxRelay({ pool: failing, schema: SCHEMA, bus, channel: 'relay-election', onError: () => {} });
    await expect(relay.drain()).rejects.toThrow('ECONNRESET');
    await relay.stop();
    expect(own.totalCount - own.idleCount).toBe(0);
    const ended = await Promise.race([own.end().then(() => 'ended'), new Promise((r) => setTimeout(() => r('still waiting'), 5_000))]);
    expect(ended).toBe('ended');
  });
});
