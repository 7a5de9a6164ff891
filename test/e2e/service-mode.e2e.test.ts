import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portEnv, services } from '@stockline/registry';
import { TEST_REDIS_URL, createTestDatabase, graphql, tokenFor, uniqueTenant, type TestDatabase } from '@stockline/testkit';
import { Catalog } from '../../subgraphs/orders/test/support/catalog.ts';
import { ADDRESS } from '../../subgraphs/orders/test/support/operations.ts';
import { freePort } from '../support/spawn-start.ts';
import { answers, isAlive, killGroup, spawnLogged, until, type LoggedProcess } from '../support/spawn-process.ts';

// `npm start` with DATABASE_URL: one process per service under the launcher (scripts/start.ts, run
// here directly so its own exit code is observed), on a fresh database and free ports.

let database: TestDatabase;
let launcher: LoggedProcess;
let gateway: string;
const pidsOf = () => Object.fromEntries([...launcher.output().matchAll(/\| (\w+) started \(pid (\d+)\)/g)].map((m) => [m[1], Number(m[2])]));
const allPids = () => [...launcher.output().matchAll(/\| \w+ started \(pid (\d+)\)/g)].map((m) => Number(m[1]));

beforeAll(async () => {
  database = await createTestDatabase('service_mode');
  const ports: Record<string, string> = { PORT: String(await freePort()) };
  for (const s of services()) if (s.name !== 'gateway') ports[portEnv(s.name)] = String(await freePort());
  gateway = `http://127.0.0.1:${ports.PORT}`;
  launcher = spawnLogged(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    ...ports,
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    EVENTS_CHANNEL_PREFIX: `svc.${randomBytes(4).toString('hex')}.`,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    SEED_DEMO: 'false',
    // A fresh database needs a fresh analytics store (its checkpoint is a position in this database's streams).
    ANALYTICS_DB_PATH: ':memory:',
    // The machine running the tests may be busy: let a service take its time to come up.
    LAUNCHER_READY_TIMEOUT_MS: '300000',
    SAGA_RECOVERY_INTERVAL_MS: '200',
    SAGA_LEASE_MS: '2000',
  });
  await launcher.waitFor(/Stockline is up/, { timeoutMs: 330_000 });
}, 340_000);

afterAll(async () => {
  if (launcher) killGroup(launcher.child);
  await database?.drop();
});

describe('npm start on real PostgreSQL and Redis', () => {
  it('runs the gateway, inventory and orders as separate processes, each ready', async () => {
    const pids = pidsOf();
    expect(Object.keys(pids)).toEqual(expect.arrayContaining(['inventory', 'orders', 'gateway']));
    const distinct = new Set([launcher.child.pid, ...Object.values(pids)]);
    expect(distinct.size).toBe(Object.keys(pids).length + 1);
    for (const pid of Object.values(pids)) expect(isAlive(pid)).toBe(true);
    const ready = await fetch(`${gateway}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks).toMatchObject({ inventory: { ok: true }, orders: { ok: true } });
  });

  it('restarts a SIGKILLed inventory, ready again within 30 s, and the orders in flight end reserved or failed with stock matching', async () => {
    const tenant = uniqueTenant('svc');
    const catalog = await Catalog.for(`${gateway}/graphql`, tenant);
    const { itemId, locationId } = await catalog.stockedItem(100);
    const token = await tokenFor(tenant, ['clerk']);
    const killedPid = pidsOf().inventory;
    const mark = launcher.output().length;

    const placing = Array.from({ length: 12 }, (_, i) =>
      graphql(`${gateway}/graphql`, {
        token,
        query: `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code } } }`,
        variables: { input: { lines: [{ itemId, locationId, quantity: 1 + (i % 3) }], shippingAddress: ADDRESS, idempotencyKey: `svc-${i}` } },
      }),
    );
    process.kill(killedPid, 'SIGKILL');
    const killedAt = Date.now();
    const answered = await Promise.all(placing);

    await launcher.waitFor(/inventory exited unexpectedly \(signal SIGKILL\); restarting in \d+ ms/, { from: mark, timeoutMs: 10_000 });
    const inventory = launcher.output().match(/\| inventory ready at (http:\/\/[\d.:]+)/)![1];
    await until(async () => (await fetch(`${inventory}/readyz`).catch(() => null))?.status === 200, 'inventory /readyz 200 after the restart', { timeoutMs: 30_000 - (Date.now() - killedAt) });
    await until(async () => (await fetch(`${gateway}/readyz`).catch(() => null))?.status === 200, 'gateway /readyz 200 after the restart', { timeoutMs: 30_000 });
    const restartedPid = pidsOf().inventory;
    expect(restartedPid).not.toBe(killedPid);
    expect(isAlive(restartedPid)).toBe(true);

    // Every placeOrder answered (a refusal or a PENDING order, never a lost request), and the sagas
    // finish once inventory is back: RESERVED (or FAILED), never left PENDING, nothing held twice.
    const ids = answered.map((r) => r.data?.placeOrder?.order?.id).filter(Boolean) as string[];
    const orders = async () =>
      Promise.all(ids.map(async (id) => (await graphql(`${gateway}/graphql`, { token, query: `query($id: ID!) { order(id: $id) { status lines { quantity } } }`, variables: { id } })).data?.order));
    let final: { status: string; lines: { quantity: number }[] }[] = [];
    await until(async () => (final = await orders()).every((o) => o && o.status !== 'PENDING'), 'every order out of PENDING', { timeoutMs: 60_000, everyMs: 500 });
    expect(final.every((o) => ['RESERVED', 'FAILED'].includes(o.status))).toBe(true);
    const held = final.filter((o) => o.status === 'RESERVED').reduce((sum, o) => sum + o.lines.reduce((s, l) => s + l.quantity, 0), 0);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 100, reserved: held, available: 100 - held });
    // Every request got an order or a refusal the client can retry with the same key: none vanished.
    expect(answered.filter((r) => !r.data?.placeOrder?.order?.id && !r.errors?.length)).toEqual([]);
    expect(ids.length).toBeGreaterThan(0);
  }, 150_000);

  it('stops every service and exits 0 on SIGTERM to the launcher alone', async () => {
    const pids = allPids();
    process.kill(launcher.child.pid!, 'SIGTERM');
    const { code } = await launcher.closed;
    expect(code).toBe(0);
    expect(launcher.output()).toContain('Stockline stopped cleanly.');
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await answers(`${gateway}/healthz`)).toBe(false);
  });
});
