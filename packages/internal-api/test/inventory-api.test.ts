import { describe, expect, it } from 'vitest';
import { INVENTORY_API, InternalApiErrorCode, InventoryRoute, badRequestBody, internalApiErrorBody, routePath } from '@stockline/internal-api';

describe('the inventory internal API contract', () => {
  it('refuses a reserve-lines body with a string quantity and no key, naming each field', () => {
    const parsed = INVENTORY_API[InventoryRoute.ReserveLines].request.safeParse({ actorId: 'u1', lines: [{ itemId: 'i1', quantity: '2' }] });
    expect(parsed.success).toBe(false);
    const body = badRequestBody(parsed.error!);
    expect(body.code).toBe(InternalApiErrorCode.BadRequest);
    expect(body.issues!.map((i) => i.path.join('.'))).toEqual(['idempotencyKey', 'lines.0.quantity']);
    expect(body.message).toContain('lines.0.quantity: ');
    expect(internalApiErrorBody.parse(body)).toEqual(body);
  });

  it('refuses a body without actorId, and accepts a release with its key', () => {
    const release = INVENTORY_API[InventoryRoute.Release].request;
    expect(release.safeParse({ idempotencyKey: 'k', reservationIds: ['r1'] }).error?.issues[0].path).toEqual(['actorId']);
    expect(release.parse({ actorId: 'u1', idempotencyKey: 'k', reservationIds: ['r1'], extra: 1 })).toEqual({ actorId: 'u1', idempotencyKey: 'k', reservationIds: ['r1'] });
  });

  it('refuses an answer whose user error code is outside the shared vocabulary', () => {
    const response = INVENTORY_API[InventoryRoute.Consume].response;
    expect(response.safeParse({ reservations: [], userErrors: [{ code: 'INSUFFICIENT_STOCK', message: 'no' }] }).success).toBe(true);
    expect(response.safeParse({ reservations: [], userErrors: [{ code: 'OOPS', message: 'no' }] }).error?.issues[0].path).toEqual(['userErrors', 0, 'code']);
  });

  it('mounts every route below /internal/v1', () => {
    expect(Object.values(InventoryRoute).map(routePath)).toEqual(['/reservations/reserve-lines', '/reservations/consume', '/reservations/release']);
  });
});
