import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import { OrderLineRepository } from '../data/order-line.repository.ts';
import { OrderRepository } from '../data/order.repository.ts';
import { inTransaction, type Db } from '../data/prisma.ts';
import { SagaRepository } from '../data/saga.repository.ts';
import { ShipmentRepository } from '../data/shipment.repository.ts';
import type { ReserveLinesRequest } from '../data/inventory.client.ts';
import { isUuid, type Actor } from '@stockline/service';
import { idempotent } from './idempotency.ts';
import { appendStatusEvent, canTransition, transitionOrder } from './order-status.ts';
import { checkCancelReason, normalizePlaceOrder, validatePlaceOrder, type PlaceOrderInput } from './order-validation.ts';
import type { OrderRecord, OrderStatus } from './records.ts';
import { sagaKeys } from './saga-keys.ts';
import type { SagaService } from './saga.service.ts';

export interface OrderPayload {
  order: OrderRecord | null;
  userErrors: UserError[];
}

/** What a placeOrder idempotency key stores: the order it created (or the refusal). */
interface PlacedOrder {
  orderId: string | null;
  userErrors: UserError[];
}

/** Printed order numbers: SO-000123. */
export const formatOrderNumber = (seq: number) => `SO-${String(seq).padStart(6, '0')}`;

const DEFAULT_CANCEL_REASON = 'Cancelled';

/**
 * Orders: placing (the reserve saga), cancelling (the release saga), reading. Status moves go through
 * `transitionOrder` only; inventory is only called from sagas.
 */
export class OrderService {
  constructor(
    private readonly db: Db,
    private readonly sagas: SagaService,
    private readonly onCommitted: () => void = () => {},
  ) {}

  findOrders(actor: Actor, ids: readonly string[]): Promise<OrderRecord[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? new OrderRepository(this.db).findByIds({ tenantId: actor.tenantId, ids: valid }) : Promise.resolve([]);
  }

  listOrders(actor: Actor, { status, beforeSeq, limit }: { status: OrderStatus | null; beforeSeq: number | null; limit: number }) {
    return new OrderRepository(this.db).list({ tenantId: actor.tenantId, status, beforeSeq, limit });
  }

  countOrders(actor: Actor, { status }: { status: OrderStatus | null }) {
    return new OrderRepository(this.db).count({ tenantId: actor.tenantId, status });
  }

  /**
   * Creates the order (PENDING) and its saga in one transaction, then reserves every line or none
   * through inventory. Answers RESERVED, or FAILED with the reasons as userErrors, or PENDING when
   * inventory did not answer in time (the recovery loop finishes it). The same idempotencyKey with the
   * same input answers with the first order; with another input, IDEMPOTENCY_KEY_REUSED.
   */
  async placeOrder(actor: Actor, input: PlaceOrderInput): Promise<OrderPayload> {
    const invalid = validatePlaceOrder(input, ['input']);
    if (invalid.length > 0) return { order: null, userErrors: invalid };
    const order = normalizePlaceOrder(input);
    const { tenantId } = actor;
    const placed = await inTransaction(this.db, (tx) =>
      idempotent<PlacedOrder>(
        tx,
        { tenantId, operation: 'placeOrder', key: input.idempotencyKey, input: order, reused: (error) => ({ orderId: null, userErrors: [error] }) },
        async () => {
          const orders = new OrderRepository(tx);
          const seq = await orders.nextSeq({ tenantId });
          const created = await orders.insert({ tenantId, seq, number: formatOrderNumber(seq), ...order, placedBy: actor.userId });
          await new OrderLineRepository(tx).upsert({
            tenantId,
            orderId: created.id,
            lines: order.lines.map((l, i) => ({ lineIndex: i, part: 0, itemId: l.itemId, locationId: l.locationId, quantity: l.quantity, reservationId: null })),
          });
          await appendStatusEvent(tx, created, null);
          const request: ReserveLinesRequest = { idempotencyKey: sagaKeys.reserve(created.id), reference: created.id, lines: order.lines };
          await this.sagas.begin(tx, {
            tenantId,
            orderId: created.id,
            kind: 'PLACE_ORDER',
            actorId: actor.userId,
            steps: [
              { name: 'CREATE_ORDER', status: 'SUCCEEDED' },
              { name: 'RESERVE', status: 'STARTED', idempotencyKey: request.idempotencyKey, request },
            ],
          });
          return { result: { orderId: created.id, userErrors: [] }, failed: false };
        },
      ),
    );
    this.onCommitted();
    if (!placed.orderId) return { order: null, userErrors: placed.userErrors };
    await this.sagas.settle({ tenantId, orderId: placed.orderId });
    return this.placedPayload(actor, placed.orderId);
  }

  /**
   * Cancels an order and releases what it still holds. CANCELLED again answers it unchanged;
   * FULFILLED or FAILED, or a shipment still being recorded, gives INVALID_STATE. A PENDING order's
   * own saga gives back the reservation when it arrives.
   */
  async cancelOrder(actor: Actor, id: string, reason?: string | null): Promise<OrderPayload> {
    const fail = (error: UserError): OrderPayload => ({ order: null, userErrors: [error] });
    if (!isUuid(id)) return fail(userError(UserErrorCode.NotFound, `No order with id "${id}"`, ['id']));
    const invalid = checkCancelReason(reason, ['reason']);
    if (invalid) return fail(invalid);
    const outcome = await inTransaction(this.db, async (tx) => {
      const { tenantId } = actor;
      const order = await new OrderRepository(tx).lock({ tenantId, id });
      if (!order) return fail(userError(UserErrorCode.NotFound, `No order with id "${id}"`, ['id']));
      if (order.status === 'CANCELLED') return { order, userErrors: [] };
      if (!canTransition(order.status, 'CANCELLED')) return fail(userError(UserErrorCode.InvalidState, `Order ${order.number} is ${order.status}; it can no longer be cancelled`, ['id']));
      const pending = await new ShipmentRepository(tx).pendingQuantities({ tenantId, orderId: id });
      if (pending.size > 0) return fail(userError(UserErrorCode.InvalidState, `Order ${order.number} has a shipment being recorded; retry shortly`, ['id']));
      const cancelled = await transitionOrder(tx, order, 'CANCELLED', { failureReason: reason?.trim() || DEFAULT_CANCEL_REASON });
      const held = (await new OrderLineRepository(tx).findByOrderIds({ tenantId, orderIds: [id] }))
        .filter((l) => l.reservationId && l.fulfilledQuantity < l.quantity)
        .map((l) => l.reservationId!);
      await this.sagas.begin(tx, {
        tenantId,
        orderId: id,
        kind: 'CANCEL_ORDER',
        actorId: actor.userId,
        steps: [{ name: 'CANCEL', status: 'SUCCEEDED' }, ...(held.length > 0 ? [await this.sagas.releaseStep(tx, order, held)] : [])],
      });
      return { order: cancelled, userErrors: [] };
    });
    this.onCommitted();
    if (!outcome.order) return outcome;
    await this.sagas.settle({ tenantId: actor.tenantId, orderId: id });
    const [order] = await this.findOrders(actor, [id]);
    return { order, userErrors: [] };
  }

  /** The order a placeOrder created; FAILED ones carry inventory's reasons as userErrors. */
  private async placedPayload(actor: Actor, orderId: string): Promise<OrderPayload> {
    const [order] = await this.findOrders(actor, [orderId]);
    if (order.status !== 'FAILED') return { order, userErrors: [] };
    const step = await new SagaRepository(this.db).findLatestStep({ tenantId: actor.tenantId, orderId, name: 'RESERVE' });
    const errors = ((step?.response as { userErrors?: UserError[] } | null)?.userErrors ?? []).map((e) => ({ ...e, field: e.field ? ['input', ...e.field] : null }));
    return { order, userErrors: errors };
  }
}
