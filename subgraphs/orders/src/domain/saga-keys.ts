/**
 * Idempotency keys of the saga's calls to inventory, derived from the step so that a replay after a
 * crash sends the very same key and inventory answers it from what it stored, with no second effect.
 */
export const sagaKeys = {
  reserve: (orderId: string) => `order:${orderId}:reserve`,
  consume: (orderId: string, shipmentId: string) => `order:${orderId}:fulfill:${shipmentId}:consume`,
  /** `n`: the order's nth release (1-based). */
  release: (orderId: string, n: number) => `order:${orderId}:release:${n}`,
};
