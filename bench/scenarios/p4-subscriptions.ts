import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import WebSocket from 'ws';
import { fromLatencies, round } from '../lib/load.ts';
import type { Scenario } from '../lib/types.ts';

/** Sockets opened at once while connecting (the rest wait their turn). */
const OPEN_CONCURRENCY = 200;
const SUBSCRIPTION = `subscription($itemId: ID!) { stockChanged(itemIds: [$itemId]) { cursor onHand onHandDelta item { sku name } location { code } } }`;

/** One graphql-ws subscriber on a raw socket (the protocol by hand: ten thousand graphql-ws clients cost this process more than the sockets). */
interface Subscriber {
  socket: WebSocket;
  /** Resolves with the arrival time of the next `next` message. */
  next(): Promise<number>;
}

function openSubscriber(url: string, token: string, itemId: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    let waiting: ((at: number) => void) | null = null;
    const arrivals: number[] = [];
    const subscriber: Subscriber = {
      socket,
      next: () => (arrivals.length ? Promise.resolve(arrivals.shift()!) : new Promise((r) => (waiting = r))),
    };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { itemId } } }));
        resolve(subscriber);
      } else if (message.type === 'next') {
        const at = performance.now();
        if (message.payload.errors) return reject(new Error(JSON.stringify(message.payload.errors)));
        if (waiting) {
          const w = waiting;
          waiting = null;
          w(at);
        } else arrivals.push(at);
      } else if (message.type === 'error') reject(new Error(JSON.stringify(message.payload)));
    });
    socket.on('error', reject);
    socket.on('close', (code, reason) => reject(new Error(`closed ${code} ${reason}`)));
  });
}

/** The pid of the process listening on a local TCP port (Linux: /proc/net/tcp* and /proc/<pid>/fd). */
function pidListeningOn(port: number): number | null {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (link.startsWith('socket:[') && inodes.has(link.slice(8, -1))) return Number(pid);
      }
    } catch {
      // processes come and go, others' fds are not readable
    }
  }
  return null;
}

const rssBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const scenario: Scenario = {
  id: 'P4',
  title: 'Subscriptions: graphql-ws subscribers on one gateway process, one stock change → every subscriber',
  async run(ctx) {
    const count = ctx.mode === 'quick' ? 1_000 : 10_000;
    const rounds = ctx.mode === 'quick' ? 3 : 5;
    const { token, itemIds, locationIds } = await ctx.fixture();
    const url = `${ctx.gatewayUrl.replace(/^http/, 'ws')}/graphql`;
    const pid = pidListeningOn(Number(new URL(ctx.gatewayUrl).port));
    const change = (delta: number) =>
      ctx.gql(`mutation($i: AdjustStockInput!) { adjustStock(input: $i) { userErrors { code } } }`, { i: { itemId: itemIds[0], locationId: locationIds[0], delta, reason: 'RECEIVED' } });

    await sleep(1_000);
    const rssBefore = pid ? rssBytes(pid) : null;
    const subscribers: Subscriber[] = [];
    const opening = performance.now();
    for (let i = 0; i < count; i += OPEN_CONCURRENCY) {
      subscribers.push(...(await Promise.all(Array.from({ length: Math.min(OPEN_CONCURRENCY, count - i) }, () => openSubscriber(url, token, itemIds[0])))));
    }
    const openS = (performance.now() - opening) / 1000;
    ctx.log(`P4: ${count} subscribers open in ${round(openS)} s`);
    // A first change proves every subscription has joined (graphql-ws has no "subscribed" message); not measured.
    await change(1);
    await Promise.all(subscribers.map((s) => s.next()));
    await sleep(2_000);
    const rssIdle = pid ? rssBytes(pid) : null;

    const latencies: number[] = [];
    let errors = 0;
    const measuring = performance.now();
    for (let r = 0; r < rounds; r++) {
      const arrivals = subscribers.map((s) => s.next());
      const sent = performance.now();
      await change(1);
      const settled = await Promise.allSettled(arrivals.map((a) => Promise.race([a, sleep(30_000).then(() => Promise.reject(new Error('not delivered in 30 s')))])));
      for (const s of settled) {
        if (s.status === 'fulfilled') latencies.push(s.value - sent);
        else errors += 1;
      }
      await sleep(500);
    }
    const measurement = fromLatencies('delivery to every subscriber', 'delivery', latencies, (performance.now() - measuring) / 1000, errors);
    for (const s of subscribers) s.socket.terminate();

    const perConnection = rssBefore !== null && rssIdle !== null ? (rssIdle - rssBefore) / count : null;
    const notes = [
      `${count} subscribers (one graphql-ws socket each, from this process), opened in ${round(openS)} s; ${rounds} stock changes, each delivered to all of them: ${latencies.length} deliveries, ${errors} missing.`,
      'Latency: from sending adjustStock to the `next` message arriving — it includes the mutation, the outbox relay, Redis, the gateway\'s one hydration (item and location through its query planner) and the fan-out.',
      perConnection === null
        ? 'Memory per idle connection: the gateway process could not be found from its port.'
        : `Memory per idle connection: gateway RSS ${round(rssBefore! / 2 ** 20)} MiB before, ${round(rssIdle! / 2 ** 20)} MiB with ${count} idle subscribed sockets → ${round(perConnection / 1024)} KB each (goal < 50 KB).`,
    ];
    return {
      measurements: [measurement],
      comparisons: [
        { label: `p99 delivery to ${count} subscribers`, ours: measurement.name, baseline: null, goal: { text: 'p99 < 500 ms, every delivery made', p99BelowMs: 500, zeroErrors: true } },
      ],
      notes,
    };
  },
};
