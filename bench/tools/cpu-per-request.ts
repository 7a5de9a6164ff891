// CPU time per request of each process (utime+stime from /proc), for the P1 reads: ours vs Hive.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { seedFixture } from '../lib/fixture.ts';
import { gql } from '../lib/graphql.ts';
import { startPeerGateway, startPlatform } from '../lib/services.ts';
import { ORDERS_READ, CATALOG_READ } from '../scenarios/p1-federated-read.ts';

const ticks = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
const run = randomBytes(3).toString('hex');
const admin = 'postgresql://postgres@127.0.0.1:5432/postgres';
const db = `stockline_cpu_${run}`;
const c = new pg.Client(admin); await c.connect(); await c.query(`CREATE DATABASE ${db}`); await c.end();
const out = '/tmp/cpu-' + run;
process.env.LOG_LEVEL = 'warn'; process.env.BENCH_LOG_LEVEL = 'warn';
const platform = await startPlatform({ databaseUrl: `postgresql://postgres@127.0.0.1:5432/${db}`, redisUrl: 'redis://127.0.0.1:6379', channelPrefix: `cpu.${run}.`, logDir: out, profileDir: out });
try {
  const fx = await seedFixture(platform.gatewayUrl, { tenant: `cpu-${run}`, items: 250 });
  for (let i = 0; i < 40; i++) {
    const lines = [0, 1].map((k) => ({ itemId: fx.itemIds[(i * 2 + k) % fx.itemIds.length], quantity: 1 + k, locationId: fx.locationIds[0] }));
    await gql(platform.gatewayUrl, fx.token, `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code message } } }`, { input: { lines, shippingAddress: { name: 'B', line1: '1', city: 'L', postalCode: 'L', country: 'GB' } } });
  }
  const hive = await startPeerGateway({ subgraphUrls: { inventory: platform.inventoryUrl, orders: platform.ordersUrl }, logDir: out, workDir: out + '/hive' });
  const pids: Record<string, number> = Object.fromEntries(platform.procs.map((p) => [p.name, p.child.pid!]));
  pids.hive = hive.child.pid!;
  const N = Number(process.env.N ?? 400), C = 10;
  const body = (q: string) => JSON.stringify({ query: q });
  const fire = async (url: string, q: string, n: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: C }, async () => { while (next++ < n) { const r = await fetch(url + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${fx.token}` }, body: body(q) }); const j: any = await r.json(); if (j.errors) throw new Error(JSON.stringify(j.errors)); } }));
  };
  for (const [name, q] of ([['orders', ORDERS_READ], ['catalog', CATALOG_READ]] as const).filter(([n]) => !process.env.Q || process.env.Q === n)) {
    for (const [gw, url] of ([['ours', platform.gatewayUrl], ['hive', hive.url]] as const).filter(([g]) => !process.env.GW || process.env.GW === g)) {
      await fire(url, q, 100); // warm-up
      const before = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, ticks(p)]));
      const t0 = Date.now();
      await fire(url, q, N);
      const ms = Date.now() - t0;
      const per = Object.entries(pids).map(([k, p]) => `${k} ${((ticks(p) - before[k]) * 10 / N).toFixed(2)}`).join('  ');
      console.log(`${name.padEnd(8)} ${gw.padEnd(5)} cpu ms/req: ${per}   (wall ${(N * 1000 / ms).toFixed(0)} req/s)`);
    }
  }
  await hive.stop();
} finally {
  await platform.stop();
  const d = new pg.Client(admin); await d.connect(); await d.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`); await d.end();
}
