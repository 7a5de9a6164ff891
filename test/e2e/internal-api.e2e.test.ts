import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InternalApiErrorCode, InventoryRoute, internalApiErrorBody } from '@stockline/internal-api';
import { tokenFor, uniqueTenant } from '@stockline/testkit';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ redis: false });
});
afterAll(async () => platform?.stop());

const post = async (route: InventoryRoute, body: unknown, roles: string[]) =>
  fetch(`${platform.inventoryUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(uniqueTenant('internal'), roles)}` },
    body: JSON.stringify(body),
  });

describe("inventory's internal API, validated against the shared contract", () => {
  it('answers 400 BAD_USER_INPUT naming each malformed field', async () => {
    const response = await post(InventoryRoute.ReserveLines, { actorId: 'u1', idempotencyKey: 'k1', lines: [{ itemId: 'i1', quantity: 'two' }] }, ['service']);
    expect(response.status).toBe(400);
    const body = internalApiErrorBody.parse(await response.json());
    expect(body.code).toBe(InternalApiErrorCode.BadRequest);
    expect(body.issues?.map((i) => i.path.join('.'))).toEqual(['lines.0.quantity']);
  });

  it('answers 403 FORBIDDEN to a user token and 401 UNAUTHENTICATED without one', async () => {
    const user = await post(InventoryRoute.Release, { actorId: 'u1', idempotencyKey: 'k2', reservationIds: [] }, ['admin']);
    expect(user.status).toBe(403);
    expect(internalApiErrorBody.parse(await user.json()).code).toBe(InternalApiErrorCode.Forbidden);
    const anonymous = await fetch(`${platform.inventoryUrl}${InventoryRoute.Release}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(internalApiErrorBody.parse(await anonymous.json()).code).toBe(InternalApiErrorCode.Unauthenticated);
  });

  it('answers a well-formed call with the contract response (an unknown reservation is a user error, not a failure)', async () => {
    const response = await post(InventoryRoute.Consume, { actorId: 'u1', idempotencyKey: 'k3', consumptions: [{ reservationId: '00000000-0000-0000-0000-000000000000', quantity: 1 }] }, ['service']);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { reservations: unknown[]; userErrors: { code: string }[] };
    expect(body.reservations).toEqual([]);
    expect(body.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
  });
});
