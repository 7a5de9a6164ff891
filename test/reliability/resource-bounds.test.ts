/**
 * Issue 14, item 13: resource bounds of the gateway, run as its own process so that its memory is its
 * own (VmRSS from /proc). 2,000 idle authenticated graphql-ws connections, a subscriber that never
 * reads its socket while events are published, and 50 MB request bodies: memory stays within a stated
 * bound, the slow subscriber is cut off, the bodies are refused with 413 before they are read, and a
 * normal query answers throughout.
 */
import { request } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, tokenFor, uniqueTenant } from '@stockline/testkit';
import { until } from '../support/spawn-process.ts';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process.ts';
import { startPlatformBehindDbProxy, type PlatformBehindDbProxy } from './support/platform-behind-db-proxy.ts';

const IDLE_CONNECTIONS = 2_000;
const BODY_BYTES = 50 * 1024 * 1024;
/** The gateway's limit on unsent bytes per socket for this test (default 4 MiB). */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Results a subscription may have waiting for its socket (default 1,000): ~50 KB events here, so ~2.5 MB. */
const MAX_QUEUED_EVENTS = 50;
/**
 * How much the gateway's RSS may grow over its warmed-up baseline with all of the above at once:
 * 2,000 sockets at ~25 KiB each (kernel-side buffers are not in RSS; a ws socket, its graphql-ws state
 * and the HTTP upgrade's objects) ≈ 50 MiB, plus one slow subscriber's results waiting for its socket
 * (MAX_QUEUED_EVENTS × ~50 KB ≈ 2.5 MiB, graphql-ws sends one at a time, so the socket itself holds
 * one), plus the 2 MiB body limit, plus
 * V8's slack for garbage not yet collected. An unbounded buffer (a 50 MB body read into memory, or
 * a never-read socket buffering every event) breaks it.
 */
const RSS_GROWTH_BOUND = 160 * 1024 * 1024;
const ITEMS = 40;
/** Each event carries its item's description: big events fill a socket that is not read sooner. */
const DESCRIPTION = 'x'.repeat(5_000);
/** The description ten times over (aliases): ~50 KB per event. */
const BIG_SELECTION = Array.from({ length: 10 }, (_, i) => `d${i}: description`).join(' ');

let platform: PlatformBehindDbProxy;
let gateway: GatewayProcess;
const tenant = uniqueTenant('bounds');
let token: string;
let itemIds: string[] = [];
let locationId: string;
let baseline = 0;
let peak = 0;
const idle: WebSocket[] = [];
const sample = () => (peak = Math.max(peak, gateway.rss()));

const ITEM_QUERY = `query($id: ID!) { item(id: $id) { sku stock { onHand } } }`;
/** A normal query answers, now. */
async function responsive() {
  const r = await graphql(gateway.url, { query: ITEM_QUERY, variables: { id: itemIds[0] }, token });
  return r.status === 200 && r.errors === undefined && r.data?.item?.sku === 'SKU-0';
}

/** A graphql-ws connection that has been acknowledged (connection_init with the bearer token). */
function openAcked(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(gateway.wsUrl, 'graphql-transport-ws');
    const timer = setTimeout(() => (ws.terminate(), reject(new Error('no connection_ack within 30 s'))), 30_000);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    ws.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') (clearTimeout(timer), resolve(ws));
    });
    ws.on('error', (error) => (clearTimeout(timer), reject(error)));
    ws.on('close', (code, reason) => (clearTimeout(timer), reject(new Error(`closed before connection_ack: ${code} ${reason}`))));
  });
}

/** Sends `bytes` of body to /graphql in 1 MiB chunks until the gateway answers; reports the status and how much was sent by then. */
function postHugeBody({ bytes, chunked }: { bytes: number; chunked: boolean }): Promise<{ status: number; sentWhenAnswered: number; body: string }> {
  const { port } = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request({
      host: '127.0.0.1', port, path: '/graphql', method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(chunked ? {} : { 'content-length': String(bytes) }) },
    });
    const timer = setTimeout(() => (req.destroy(), reject(new Error('no answer to the huge body within 60 s'))), 60_000);
    req.on('response', (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => (clearTimeout(timer), req.destroy(), resolve({ status: res.statusCode!, sentWhenAnswered, body })));
    });
    req.on('error', (error) => {
      // The gateway may close the connection once it has answered; an error before any answer is a failure.
      if (!answered) (clearTimeout(timer), reject(error));
    });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    chunk.write('{"query":"', 0);
    const pump = () => {
      while (!answered && sent < bytes) {
        const n = Math.min(chunk.length, bytes - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

beforeAll(async () => {
  platform = await startPlatformBehindDbProxy({ label: 'rel_bounds' });
  gateway = await startGatewayProcess({
    subgraphs: { inventory: platform.inventoryUrl, orders: platform.ordersUrl, analytics: platform.analyticsUrl, access: platform.accessUrl, media: platform.mediaUrl },
    env: {
      REDIS_URL: platform.env.REDIS_URL!, EVENTS_CHANNEL_PREFIX: platform.env.EVENTS_CHANNEL_PREFIX!,
      WS_MAX_BUFFERED_BYTES: String(MAX_BUFFERED_BYTES), WS_MAX_QUEUED_EVENTS: String(MAX_QUEUED_EVENTS), WS_PING_INTERVAL_MS: '1000', MONITOR_ENABLED: 'false',
    },
  });
  token = await tokenFor(tenant, ['admin']);
  const location = await graphql(gateway.url, { query: `mutation { createLocation(code: "A", name: "A") { location { id } } }`, token });
  if (!location.data?.createLocation?.location) throw new Error(JSON.stringify(location));
  locationId = location.data.createLocation.location.id;
  const inputs = Array.from({ length: ITEMS }, (_, i) => ({ sku: `SKU-${i}`, name: `Item ${i}`, description: DESCRIPTION }));
  const items = await graphql(gateway.url, { query: `mutation($inputs: [UpsertItemInput!]!) { bulkUpsertItems(inputs: $inputs, mode: ATOMIC) { items { id } userErrors { code } } }`, variables: { inputs }, token });
  itemIds = items.data.bulkUpsertItems.items.map((i: { id: string }) => i.id);
  // Warm up (JIT, pools, the first subscription) before the baseline.
  for (let i = 0; i < 20; i++) expect(await responsive()).toBe(true);
  baseline = gateway.rss();
}, 120_000);
afterAll(async () => {
  for (const ws of idle) ws.terminate();
  await gateway?.stop();
  await platform?.stop();
});

describe('the gateway under resource pressure', () => {
  it(`holds ${IDLE_CONNECTIONS} idle authenticated graphql-ws connections and still answers a query`, async () => {
    for (let batch = 0; batch < IDLE_CONNECTIONS / 100; batch++) {
      idle.push(...(await Promise.all(Array.from({ length: 100 }, openAcked))));
      sample();
    }
    expect(idle.filter((ws) => ws.readyState === WebSocket.OPEN).length).toBe(IDLE_CONNECTIONS);
    expect(await gateway.metric('stockline_websocket_connections')).toBe(IDLE_CONNECTIONS);
    expect(await responsive()).toBe(true);
  });

  it('cuts off a subscriber that never reads while events are published, and keeps serving the others', async () => {
    const slow = await openAcked();
    const reader = await openAcked();
    let readerEvents = 0;
    reader.on('message', (data) => void (JSON.parse(String(data)).type === 'next' && readerEvents++));
    const subscribe = (ws: WebSocket, id: string) => ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: `subscription { stockChanged { cursor onHand item { sku ${BIG_SELECTION} } } }` } }));
    subscribe(slow, 'slow');
    subscribe(reader, 'reader');
    await until(async () => (await gateway.metric('stockline_graphql_subscriptions_active')) === 2, 'both subscriptions active', { timeoutMs: 15_000 });
    // The slow subscriber stops reading: what the gateway sends piles up in the kernel, then in the gateway.
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const adjust = `mutation($inputs: [AdjustStockInput!]!) { bulkAdjustStock(inputs: $inputs, mode: ATOMIC) { userErrors { code } } }`;
    // 30 rounds of one event per item (~2 MB each): far more than the kernel's buffers and the limit.
    let rounds = 0;
    for (; rounds < 30; rounds++) {
      const r = await graphql(gateway.url, { query: adjust, variables: { inputs: itemIds.map((itemId) => ({ itemId, locationId, delta: 1, reason: 'RECEIVED' })) }, token });
      expect(r.data?.bulkAdjustStock.userErrors).toEqual([]);
      sample();
      if ((await gateway.metric('stockline_graphql_subscriptions_active')) === 1) break;
    }
    // The slow one was ended (its subscription and then its socket), the reader's goes on. Events are
    // hydrated (~50 KB each) more slowly than they are published: the cut comes once the kernel's buffers
    // and MAX_QUEUED_EVENTS are full, after the publishing stopped.
    await until(async () => (sample(), (await gateway.metric('stockline_graphql_subscriptions_active')) === 1), 'the slow subscription ended', { timeoutMs: 70_000, everyMs: 500 });
    await until(async () => (await gateway.metric('stockline_websocket_connections')) === IDLE_CONNECTIONS + 1, 'the slow socket closed', { timeoutMs: 15_000 });
    await until(() => readerEvents >= ITEMS * 2, 'the reading subscriber got its events', { timeoutMs: 30_000 });
    expect(reader.readyState).toBe(WebSocket.OPEN);
    expect(await responsive()).toBe(true);
    reader.terminate();
    slow.terminate();
  });

  it('refuses a 50 MB body with 413 before reading it, with and without a Content-Length, and stays responsive', async () => {
    for (const chunked of [false, true]) {
      const { status, sentWhenAnswered, body } = await postHugeBody({ bytes: BODY_BYTES, chunked });
      expect(status).toBe(413);
      expect(JSON.parse(body).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
      // Answered long before the body was sent: the gateway did not read 50 MB to refuse it.
      expect(sentWhenAnswered).toBeLessThan(BODY_BYTES / 2);
      sample();
    }
    expect(await responsive()).toBe(true);
  });

  it('stayed within its memory bound through all of it', () => {
    sample();
    const growth = peak - baseline;
    console.info(`gateway RSS: baseline ${(baseline / 2 ** 20).toFixed(0)} MiB, peak ${(peak / 2 ** 20).toFixed(0)} MiB, growth ${(growth / 2 ** 20).toFixed(0)} MiB (bound ${RSS_GROWTH_BOUND / 2 ** 20} MiB)`);
    expect(growth).toBeLessThan(RSS_GROWTH_BOUND);
  });
});
