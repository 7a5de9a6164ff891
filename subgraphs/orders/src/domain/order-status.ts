import { Topic } from '@stockline/events';
import { OrderRepository } from '../data/order.repository.ts';
import { OutboxRepository } from '../data/outbox.repository.ts';
import type { Tx } from '../data/prisma.ts';
import type { OrderRecord, OrderStatus } from './records.ts';

/**
 * The only moves an order's status may make. Forward only: PENDING → RESERVED → PARTIALLY_FULFILLED
 * → FULFILLED, or off to CANCELLED / FAILED. FULFILLED, CANCELLED and FAILED are final.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['RESERVED', 'FAILED', 'CANCELLED'],
  RESERVED: ['PARTIALLY_FULFILLED', 'FULFILLED', 'CANCELLED'],
  PARTIALLY_FULFILLED: ['FULFILLED', 'CANCELLED'],
  FULFILLED: [],
  CANCELLED: [],
  FAILED: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => ORDER_TRANSITIONS[from].includes(to);

/** Thrown when code asks for a move the table forbids: a bug, never a user's doing. */
export class IllegalTransitionError extends Error {
  constructor(readonly from: OrderStatus, readonly to: OrderStatus) {
    super(`Order status cannot move from ${from} to ${to}`);
  }
}

export interface OrderStatusChangedPayload {
  orderId: string;
  number: string;
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  occurredAt: string;
}

/**
 * Moves a (locked) order to `to` and writes its OrderStatusChanged event in the same transaction.
 * `failureReason` is kept as it was unless given. Throws IllegalTransitionError for a move the table forbids.
 */
export async function transitionOrder(tx: Tx, order: OrderRecord, to: OrderStatus, { failureReason }: { failureReason?: string | null } = {}): Promise<OrderRecord> {
  if (!canTransition(order.status, to)) throw new IllegalTransitionError(order.status, to);
  const updated = await new OrderRepository(tx).setStatus({ tenantId: order.tenantId, id: order.id, status: to, failureReason });
  await appendStatusEvent(tx, updated, order.status);
  return updated;
}

/** The event of a status change (previousStatus null: the order was just created). */
export async function appendStatusEvent(tx: Tx, order: OrderRecord, previousStatus: OrderStatus | null): Promise<void> {
  const payload: OrderStatusChangedPayload = {
    orderId: order.id,
    number: order.number,
    status: order.status,
    previousStatus,
    occurredAt: new Date(order.updatedAt).toISOString(),
  };
  await new OutboxRepository(tx).append({ tenantId: order.tenantId, events: [{ type: Topic.OrderStatusChanged, payload: { ...payload } }] });
}
