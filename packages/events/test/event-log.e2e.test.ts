import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET } from '@stockline/auth';
import { createPool, runMigrations, type Pool } from '@stockline/db';
import { TEST_REDIS_URL, createTestDatabase, freeLoopbackPort, startOwnRedis, stopOwnRedis, type TestDatabase } from '@stockline/testkit';
import {
  CursorExpiredError,
  CursorInvalidError,
  OutboxRelay,
  Topic,
  appendOutboxEvents,
  channelFor,
  createEventLog,
  createPgEventSource,
  createPubSub,
  memoryCheckpoint,
  pgCheckpoint,
  runConsumer,
  subscribeEvents,
  useEventLogApi,
  type DomainEvent,
  type EventLog,
  type EventSubscription,
  type PubSub,
} from '../src/index.ts';

// The outbox tables as a service owns them: the inventory migrations are the real DDL.
const MIGRATIONS = fileURLToPath(new URL('../../../subgraphs/inventory/prisma/migrations', import.meta.url));
const STREAM = 'inventory';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function take(subscription: EventSubscription, count: number, timeoutMs = 20_000): Promise<DomainEvent[]> {
  const out: DomainEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    const next = await Promise.race([subscription.next(), sleep(Math.max(1, deadline - Date.now())).then(() => null)]);
    if (next === null) throw new Error(`received ${out.length} of ${count} events before the timeout`);
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

/** Nothing more arrives within `ms`. */
async function expectQuiet(subscription: EventSubscription, ms = 600) {
  const next = await Promise.race([subscription.next(), sleep(ms).then(() => 'quiet' as const)]);
  expect(next).toBe('quiet');
}

interface Harness {
  pool: Pool;
  relay: OutboxRelay;
  bus: PubSub;
  log: EventLog;
  emit(tenantId: string, count: number, label?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The owning side (outbox, relay, replay API on a real HTTP port) and the consuming side (an
 * EventLog), over Redis + HTTP, or in-process as on embedded defaults.
 */
async function openHarness(database: TestDatabase, { mode, redisUrl = TEST_REDIS_URL }: { mode: 'redis' | 'in-process'; redisUrl?: string }): Promise<Harness> {
  const pool = createPool({ url: database.url, max: 5, applicationName: 'event-log-test' });
  const schema = STREAM;
  await runMigrations({ pool, schema, dir: MIGRATIONS });
  const channelPrefix = `test.${randomBytes(4).toString('hex')}.`;
  const bus = createPubSub({ redisUrl: mode === 'redis' ? redisUrl : null });
  const relay = new OutboxRelay({ pool, schema, bus, channel: channelFor(channelPrefix, STREAM), intervalMs: 50, retentionHours: 1 });
  relay.start();
  const source = createPgEventSource({ pool, schema });
  const app = express();
  useEventLogApi(app, { stream: STREAM, source, jwtSecret: DEV_JWT_SECRET });
  const http = await new Promise<import('node:http').Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  const baseUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  // Consumers get their own bus connection, as a separate process would.
  const consumerBus = mode === 'redis' ? createPubSub({ redisUrl }) : bus;
  const log = createEventLog({ bus: consumerBus, channelPrefix, sources: { [STREAM]: mode === 'redis' ? baseUrl : source }, jwtSecret: DEV_JWT_SECRET, consumer: 'test' });
  let n = 0;
  return {
    pool,
    relay,
    bus,
    log,
    async emit(tenantId, count, label = 'e') {
      const client = await pool.connect();
      try {
        for (let i = 0; i < count; i += 100) {
          await client.query('BEGIN');
          const events = Array.from({ length: Math.min(100, count - i) }, () => ({ type: Topic.StockChanged, payload: { n: ++n, label, tenantId } }));
          await appendOutboxEvents({ $executeRawUnsafe: (q, ...v) => client.query(q, v).then((r) => r.rowCount ?? 0) }, { schema, tenantId, events });
          await client.query('COMMIT');
        }
      } finally {
        client.release();
      }
      relay.nudge();
    },
    async close() {
      await log.close();
      await relay.stop();
      if (consumerBus !== bus) await consumerBus.close();
      await bus.close();
      await new Promise((r) => http.close(r));
      await pool.end();
    },
  };
}

const tenantA = () => `a-${randomBytes(3).toString('hex')}`;

describe.each(['redis', 'in-process'] as const)('the event log (%s)', (mode) => {
  let database: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    database = await createTestDatabase(`events_${mode.replace('-', '_')}`);
    h = await openHarness(database, { mode });
  });
  afterAll(async () => {
    await h?.close();
    await database?.drop();
  });

  it('gives a restarted consumer exactly the 1,000 events it missed across two tenants, in per-tenant order, then live ones', async () => {
    const [t1, t2] = [tenantA(), tenantA()];
    await h.emit(t1, 3);
    await h.emit(t2, 2);
    // The consumer reads, acknowledges (remembers) its positions, and stops.
    const first1 = subscribeEvents(h.log, { stream: STREAM, tenantId: t1, after: 0 });
    const first2 = subscribeEvents(h.log, { stream: STREAM, tenantId: t2, after: 0 });
    const seen1 = await take(first1, 3);
    const seen2 = await take(first2, 2);
    await first1.return!();
    await first2.return!();
    const acked = { [t1]: seen1.at(-1)!.seq, [t2]: seen2.at(-1)!.seq };

    await h.emit(t1, 600, 'missed');
    await h.emit(t2, 400, 'missed');
    await h.relay.drain();

    const again1 = subscribeEvents(h.log, { stream: STREAM, tenantId: t1, after: acked[t1] });
    const again2 = subscribeEvents(h.log, { stream: STREAM, tenantId: t2, after: acked[t2] });
    const missed1 = await take(again1, 600);
    const missed2 = await take(again2, 400);
    expect(missed1.map((e) => e.seq)).toEqual(Array.from({ length: 600 }, (_, i) => acked[t1] + 1 + i));
    expect(missed2.map((e) => e.seq)).toEqual(Array.from({ length: 400 }, (_, i) => acked[t2] + 1 + i));
    expect(new Set([...missed1, ...missed2].map((e) => e.payload.label))).toEqual(new Set(['missed']));
    expect(missed1.every((e) => e.tenantId === t1) && missed2.every((e) => e.tenantId === t2)).toBe(true);

    await h.emit(t1, 2, 'live');
    const live = await take(again1, 2);
    expect(live.map((e) => [e.seq, e.payload.label])).toEqual([[acked[t1] + 601, 'live'], [acked[t1] + 602, 'live']]);
    await expectQuiet(again2);
    await again1.return!();
    await again2.return!();
  });

  it('switches from replay to live with no gap and no duplicate while events keep coming', async () => {
    const t = tenantA();
    await h.emit(t, 50);
    await h.relay.drain();
    const subscription = subscribeEvents(h.log, { stream: STREAM, tenantId: t, after: 10, pageSize: 7 });
    const racing = (async () => {
      for (let i = 0; i < 20; i++) {
        await h.emit(t, 1, 'race');
        await sleep(5);
      }
    })();
    const got = await take(subscription, 60);
    await racing;
    expect(got.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => 11 + i));
    await expectQuiet(subscription);
    await subscription.return!();
  });

  it('resumes a whole-stream consumer from its checkpoint after a restart, applying each event once', async () => {
    const checkpoint = pgCheckpoint({ pool: h.pool, schema: 'consumer_test', name: `indexer-${mode}`, stream: STREAM });
    const applied = new Map<string, number>();
    const handle = async (batch: DomainEvent[]) => {
      for (const e of batch) applied.set(e.id, (applied.get(e.id) ?? 0) + 1);
    };
    const before = await h.pool.query<{ n: string }>(`SELECT count(*) AS n FROM inventory.outbox_events WHERE seq IS NOT NULL`);
    let consumer = runConsumer({ log: h.log, stream: STREAM, name: 'indexer', checkpoint, handle, batchSize: 64 });
    await consumer.caughtUp;
    await consumer.stop();
    const [t1, t2] = [tenantA(), tenantA()];
    await h.emit(t1, 300);
    await h.emit(t2, 200);
    await h.relay.drain();
    consumer = runConsumer({ log: h.log, stream: STREAM, name: 'indexer', checkpoint, handle, batchSize: 64 });
    await consumer.caughtUp;
    await h.emit(t2, 5, 'live');
    await h.relay.drain();
    await eventually(() => expect(consumer.stats().lag).toBe(0));
    await eventually(() => expect(applied.size).toBe(Number(before.rows[0].n) + 505));
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    // The checkpoint is saved after the batch is handled: stopping waits for that save.
    await consumer.stop();
    expect(await checkpoint.load()).toBe(consumer.stats().position);
  });

  it('refuses a cursor older than retention with CURSOR_EXPIRED, and one ahead of the stream as invalid', async () => {
    const t = tenantA();
    await h.emit(t, 5);
    await h.relay.drain();
    await h.pool.query(`UPDATE inventory.outbox_events SET occurred_at = now() - interval '2 hours' WHERE tenant_id = $1 AND seq <= 3`, [t]);
    await h.relay.pruneNow();
    const stale = subscribeEvents(h.log, { stream: STREAM, tenantId: t, after: 1 });
    await expect(stale.next()).rejects.toBeInstanceOf(CursorExpiredError);
    const fine = subscribeEvents(h.log, { stream: STREAM, tenantId: t, after: 3 });
    expect((await take(fine, 2)).map((e) => e.seq)).toEqual([4, 5]);
    await fine.return!();
    const ahead = subscribeEvents(h.log, { stream: STREAM, tenantId: t, after: 99 });
    await expect(ahead.next()).rejects.toBeInstanceOf(CursorInvalidError);
  });

  it('starts from now when no cursor is given, and filters by type without losing its place', async () => {
    const t = tenantA();
    await h.emit(t, 4);
    await h.relay.drain();
    const subscription = subscribeEvents(h.log, { stream: STREAM, tenantId: t, types: [Topic.LowStock] });
    const all = subscribeEvents(h.log, { stream: STREAM, tenantId: t });
    await subscription.caughtUp;
    await all.caughtUp;
    await h.emit(t, 1, 'after-start');
    const [next] = await take(all, 1);
    expect(next.seq).toBe(5);
    await expectQuiet(subscription);
    expect(subscription.position()).toBe(5);
    await subscription.return!();
    await all.return!();
  });
});

describe('the event log across a Redis restart', () => {
  let database: TestDatabase;
  let redis: ChildProcess;
  let port: number;
  let h: Harness;
  beforeAll(async () => {
    port = await freeLoopbackPort();
    redis = await startOwnRedis(port);
    database = await createTestDatabase('events_redis_restart');
    h = await openHarness(database, { mode: 'redis', redisUrl: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await h?.close();
    await stopOwnRedis(redis);
    await database?.drop();
  });

  it('delivers what was committed while Redis was down, in order, then live ones, with no restart of the consumer', async () => {
    const [t1, t2] = [tenantA(), tenantA()];
    const s1 = subscribeEvents(h.log, { stream: STREAM, tenantId: t1, after: 0, pollIntervalMs: 1000 });
    const s2 = subscribeEvents(h.log, { stream: STREAM, tenantId: t2, after: 0, pollIntervalMs: 1000 });
    await h.emit(t1, 2);
    expect((await take(s1, 2)).map((e) => e.seq)).toEqual([1, 2]);

    await stopOwnRedis(redis);
    await h.emit(t1, 600, 'during');
    await h.emit(t2, 400, 'during');
    await sleep(300);
    redis = await startOwnRedis(port);

    const got1 = await take(s1, 600, 30_000);
    const got2 = await take(s2, 400, 30_000);
    expect(got1.map((e) => e.seq)).toEqual(Array.from({ length: 600 }, (_, i) => 3 + i));
    expect(got2.map((e) => e.seq)).toEqual(Array.from({ length: 400 }, (_, i) => 1 + i));

    await h.relay.drain();
    await h.emit(t2, 1, 'live');
    expect((await take(s2, 1))[0]).toMatchObject({ seq: 401, payload: { label: 'live' } });
    await expectQuiet(s1);
    await s1.return!();
    await s2.return!();
  }, 60_000);
});

async function eventually(check: () => void, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

void memoryCheckpoint;
