import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, graphql, tokenFor, uniqueTenant } from '@stockline/testkit';
import { startGateway } from './support/start-gateway.ts';
import { startStubSubgraphs, type StubSubgraphs } from './support/stub-subgraphs.ts';

/** Costs 12: a connection (2) of first: 10 elements of 1. */
const PAGE = '{ items(first: 10) { nodes { id } } }';

const small = uniqueTenant('rl-small');
const shared = uniqueTenant('rl-shared');
let stub: StubSubgraphs;
let one: Awaited<ReturnType<typeof startGateway>>;
let two: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  stub = await startStubSubgraphs();
  const env = {
    ...stub.env,
    REDIS_URL: TEST_REDIS_URL,
    RATE_LIMIT_KEY_PREFIX: `test.${randomBytes(4).toString('hex')}.ratelimit.`,
    RATE_LIMIT_TENANT_CAPACITY: '1000',
    RATE_LIMIT_TENANT_REFILL_PER_SECOND: '100',
    RATE_LIMIT_USER_CAPACITY: '50',
    RATE_LIMIT_USER_REFILL_PER_SECOND: '1',
    RATE_LIMIT_TENANTS: JSON.stringify({ [small]: { capacity: 30, refillPerSecond: 1 }, [shared]: { capacity: 30, refillPerSecond: 1 } }),
  };
  [one, two] = await Promise.all([startGateway(env), startGateway(env)]);
});
afterAll(async () => {
  await one?.server.stop();
  await two?.server.stop();
  await stub?.close();
});

const as = async (url: string, tenant: string, sub = 'user-1') => graphql(url, { query: PAGE, token: await tokenFor(tenant, ['viewer'], { sub }) });

describe('rate limiting by query cost', () => {
  it('reports requested and actual cost and both buckets in extensions.cost of every response', async () => {
    const response = await fetch(one.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(uniqueTenant('rl-cost'), ['viewer'])}` },
      body: JSON.stringify({ query: PAGE }),
    });
    const body = (await response.json()) as { extensions: { cost: any } };
    expect(body.extensions.cost).toEqual({
      requestedQueryCost: 12,
      actualQueryCost: 11,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 989, restoreRate: 100 },
      userThrottleStatus: { maximumAvailable: 50, currentlyAvailable: 39, restoreRate: 1 },
    });
  });

  it('refuses tenant A with RATE_LIMITED and retryAfterMs once its budget is spent, while tenant B is served', async () => {
    const first = await as(one.url, small);
    const second = await as(one.url, small);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    const before = stub.calls();
    const refused = await as(one.url, small);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(refused.errors?.[0].extensions?.retryAfterMs).toBeGreaterThan(1_000);
    expect(stub.calls()).toBe(before);
    const other = await as(one.url, uniqueTenant('rl-other'));
    expect(other.errors).toBeUndefined();
    expect(other.data.items.nodes).toHaveLength(10);
  });

  it('limits each user of a tenant apart: one user out of budget, another user of the tenant served', async () => {
    const tenant = uniqueTenant('rl-users');
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) codes.push((await as(one.url, tenant, 'greedy')).errors?.[0].extensions?.code);
    expect(codes.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(codes[4]).toBe('RATE_LIMITED');
    expect((await as(one.url, tenant, 'patient')).errors).toBeUndefined();
  });

  it('shares one budget between two gateway instances (Redis)', async () => {
    expect((await as(one.url, shared)).errors).toBeUndefined();
    const viaTwo = await fetch(two.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(shared, ['viewer'], { sub: 'user-2' })}` },
      body: JSON.stringify({ query: PAGE }),
    });
    const body = (await viaTwo.json()) as { extensions: { cost: { throttleStatus: { currentlyAvailable: number } } } };
    // 30 - 11 (first instance) - 11 (this one), give or take the refill of the last second.
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(12);
    const refused = await as(one.url, shared, 'user-3');
    expect(refused.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
  });
});
