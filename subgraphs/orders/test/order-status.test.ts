import { describe, expect, it } from 'vitest';
import { ORDER_TRANSITIONS, canTransition } from '../src/domain/order-status.ts';
import type { OrderStatus } from '../src/domain/records.ts';

const FORWARD: Record<OrderStatus, number> = { PENDING: 0, RESERVED: 1, PARTIALLY_FULFILLED: 2, FULFILLED: 3, CANCELLED: 4, FAILED: 4 };
const ALL = Object.keys(FORWARD) as OrderStatus[];

describe('order status transitions', () => {
  it('never move an order backwards or onto itself', () => {
    for (const from of ALL) for (const to of ORDER_TRANSITIONS[from]) expect(FORWARD[to], `${from} → ${to}`).toBeGreaterThan(FORWARD[from]);
  });

  it('leave FULFILLED, CANCELLED and FAILED final', () => {
    for (const from of ['FULFILLED', 'CANCELLED', 'FAILED'] as const) for (const to of ALL) expect(canTransition(from, to)).toBe(false);
  });

  it('fail only a PENDING order and cancel only one not yet finished', () => {
    expect(ALL.filter((from) => canTransition(from, 'FAILED'))).toEqual(['PENDING']);
    expect(ALL.filter((from) => canTransition(from, 'CANCELLED'))).toEqual(['PENDING', 'RESERVED', 'PARTIALLY_FULFILLED']);
  });

  it('reach FULFILLED from RESERVED directly or through PARTIALLY_FULFILLED', () => {
    expect(canTransition('RESERVED', 'FULFILLED')).toBe(true);
    expect(canTransition('RESERVED', 'PARTIALLY_FULFILLED')).toBe(true);
    expect(canTransition('PARTIALLY_FULFILLED', 'FULFILLED')).toBe(true);
    expect(canTransition('PENDING', 'FULFILLED')).toBe(false);
  });
});
