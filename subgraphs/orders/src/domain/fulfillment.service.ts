import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import type { ConsumeRequest } from '../data/inventory.client.ts';
import { OrderLineRepository } from '../data/order-line.repository.ts';
import { OrderRepository } from '../data/order.repository.ts';
import { inTransaction, type Db } from '../data/prisma.ts';
import { SagaRepository } from '../data/saga.repository.ts';
import { ShipmentRepository } from '../data/shipment.repository.ts';
import { isUuid, type Actor } from '@stockline/service';
import { idempotent } from './idempotency.ts';
import { MAX_BULK_FULFILLMENTS, normalizeFulfillOrder, validateFulfillOrder, type FulfillOrderInput } from './order-validation.ts';
import type { OrderRecord, ShipmentRecord } from './records.ts';
import { sagaKeys } from './saga-keys.ts';
import type { SagaService } from './saga.service.ts';
import { ServiceUnavailableError } from '@stockline/errors';

export interface FulfillmentPayload {
  order: OrderRecord | null;
  shipment: ShipmentRecord | null;
  userErrors: UserError[];
}

export interface BulkFulfillmentPayload {
  shipments: (ShipmentRecord | null)[];
  userErrors: UserError[];
}

/** What a fulfillOrder idempotency key stores: the shipment it created (or the refusal). */
interface StartedShipment {
  orderId: string | null;
  shipmentId: string | null;
  userErrors: UserError[];
}

/** How many fulfillments of one fulfillOrders call run at once (each is a short saga). */
export const BULK_CONCURRENCY = 8;

const FULFILLABLE = new Set(['RESERVED', 'PARTIALLY_FULFILLED']);

/**
 * Shipping orders: each fulfillment is a saga that creates the shipment (PENDING, invisible), has
 * inventory consume the reservations (onHand and reserved fall), then records the shipment and the
 * lines' fulfilled quantities and moves the order to PARTIALLY_FULFILLED or FULFILLED.
 */
export class FulfillmentService {
  constructor(
    private readonly db: Db,
    private readonly sagas: SagaService,
    private readonly onCommitted: () => void = () => {},
  ) {}

  /**
   * Ships some or all of an order's unfulfilled quantity. The same idempotencyKey with the same input
   * answers with the first shipment and creates no second one. Throws SERVICE_UNAVAILABLE when
   * inventory gave no answer (the shipment is recorded once it does; retry with the same key).
   */
  async fulfillOrder(actor: Actor, input: FulfillOrderInput): Promise<FulfillmentPayload> {
    const outcome = await this.fulfill(actor, input, ['input']);
    if (outcome === 'unavailable') throw unavailable();
    return outcome;
  }

  /** Up to 500 fulfillments, each succeeding or failing on its own; errors point at their input. */
  async fulfillOrders(actor: Actor, inputs: FulfillOrderInput[]): Promise<BulkFulfillmentPayload> {
    if (inputs.length > MAX_BULK_FULFILLMENTS) {
      return {
        shipments: inputs.map(() => null),
        userErrors: [userError(UserErrorCode.LimitExceeded, `At most ${MAX_BULK_FULFILLMENTS} inputs per call; got ${inputs.length}`, ['inputs'])],
      };
    }
    const outcomes = await mapWithConcurrency(inputs, BULK_CONCURRENCY, (input, i) => this.fulfill(actor, input, ['inputs', String(i)]));
    if (outcomes.includes('unavailable')) throw unavailable();
    const done = outcomes as FulfillmentPayload[];
    return { shipments: done.map((o) => o.shipment), userErrors: done.flatMap((o) => o.userErrors) };
  }

  /** Marks a shipment delivered (idempotent: delivered again answers it unchanged). */
  async markShipmentDelivered(actor: Actor, shipmentId: string): Promise<FulfillmentPayload> {
    const notFound = (): FulfillmentPayload => ({
      order: null,
      shipment: null,
      userErrors: [userError(UserErrorCode.NotFound, `No shipment with id "${shipmentId}"`, ['shipmentId'])],
    });
    if (!isUuid(shipmentId)) return notFound();
    const { tenantId } = actor;
    return inTransaction(this.db, async (tx) => {
      const shipments = new ShipmentRepository(tx);
      const shipment = await shipments.lock({ tenantId, id: shipmentId });
      if (!shipment || shipment.status === 'PENDING' || shipment.status === 'VOID') return notFound();
      const delivered = shipment.status === 'SHIPPED' ? await shipments.transition({ tenantId, id: shipmentId, from: 'SHIPPED', to: 'DELIVERED' }) : shipment;
      const [order] = await new OrderRepository(tx).findByIds({ tenantId, ids: [shipment.orderId] });
      return { order, shipment: delivered, userErrors: [] };
    });
  }

  /** One fulfillment: validate, start the saga (or find the one this key started), drive it, answer. */
  private async fulfill(actor: Actor, input: FulfillOrderInput, path: string[]): Promise<FulfillmentPayload | 'unavailable'> {
    const invalid = validateFulfillOrder(input, path);
    if (invalid.length > 0) return { order: null, shipment: null, userErrors: invalid };
    const request = normalizeFulfillOrder(input);
    const { tenantId } = actor;
    const fail = (error: UserError): StartedShipment => ({ orderId: null, shipmentId: null, userErrors: [error] });
    const started = await inTransaction(this.db, (tx) =>
      idempotent<StartedShipment>(tx, { tenantId, operation: 'fulfillOrder', key: input.idempotencyKey, input: request, reused: fail, field: [...path, 'idempotencyKey'] }, async () => {
        const refuse = (code: UserErrorCode, message: string, field: string[]) => ({ result: fail(userError(code, message, [...path, ...field])), failed: true });
        const order = await new OrderRepository(tx).lock({ tenantId, id: request.orderId });
        if (!order) return refuse(UserErrorCode.NotFound, `No order with id "${request.orderId}"`, ['orderId']);
        if (!FULFILLABLE.has(order.status)) return refuse(UserErrorCode.InvalidState, `Order ${order.number} is ${order.status}; only RESERVED or PARTIALLY_FULFILLED orders ship`, ['orderId']);
        const shipments = new ShipmentRepository(tx);
        const lines = await new OrderLineRepository(tx).findByOrderIds({ tenantId, orderIds: [order.id] });
        const pending = await shipments.pendingQuantities({ tenantId, orderId: order.id });
        const left = new Map(lines.map((l) => [l.id, l.quantity - l.fulfilledQuantity - (pending.get(l.id) ?? 0)]));
        let wanted: { orderLineId: string; quantity: number }[];
        if (request.lines) {
          for (const [i, line] of request.lines.entries()) {
            const remaining = left.get(line.orderLineId);
            if (remaining === undefined) return refuse(UserErrorCode.NotFound, `Order ${order.number} has no line "${line.orderLineId}"`, ['lines', String(i), 'orderLineId']);
            if (line.quantity > remaining) {
              return refuse(UserErrorCode.InvalidInput, `Line ${line.orderLineId} has ${remaining} left to ship; cannot ship ${line.quantity}`, ['lines', String(i), 'quantity']);
            }
          }
          wanted = request.lines;
        } else {
          wanted = lines.filter((l) => left.get(l.id)! > 0).map((l) => ({ orderLineId: l.id, quantity: left.get(l.id)! }));
          if (wanted.length === 0) return refuse(UserErrorCode.InvalidState, `Order ${order.number} has nothing left to ship`, ['orderId']);
        }
        const reservationOf = new Map(lines.map((l) => [l.id, l.reservationId]));
        const shipment = await shipments.insert({ tenantId, orderId: order.id, carrier: request.carrier, trackingNumber: request.trackingNumber, trackingUrl: request.trackingUrl, lines: wanted });
        const consume: ConsumeRequest = {
          idempotencyKey: sagaKeys.consume(order.id, shipment.id),
          reference: order.id,
          consumptions: wanted.map((w) => ({ reservationId: reservationOf.get(w.orderLineId)!, quantity: w.quantity })),
        };
        await this.sagas.begin(tx, {
          tenantId,
          orderId: order.id,
          kind: 'FULFILL_ORDER',
          actorId: actor.userId,
          shipmentId: shipment.id,
          steps: [
            { name: 'CREATE_SHIPMENT', status: 'SUCCEEDED', response: { shipmentId: shipment.id } },
            { name: 'CONSUME', status: 'STARTED', idempotencyKey: consume.idempotencyKey, request: consume },
          ],
        });
        return { result: { orderId: order.id, shipmentId: shipment.id, userErrors: [] }, failed: false };
      }),
    );
    this.onCommitted();
    if (!started.shipmentId || !started.orderId) return { order: null, shipment: null, userErrors: started.userErrors };
    const settled = await this.sagas.settle({ tenantId, orderId: started.orderId, shipmentId: started.shipmentId });
    return this.shipmentPayload(actor, started.orderId, started.shipmentId, path, settled);
  }

  private async shipmentPayload(actor: Actor, orderId: string, shipmentId: string, path: string[], settled: boolean): Promise<FulfillmentPayload | 'unavailable'> {
    const { tenantId } = actor;
    const [shipment] = await new ShipmentRepository(this.db).findByIds({ tenantId, ids: [shipmentId] });
    const [order] = await new OrderRepository(this.db).findByIds({ tenantId, ids: [orderId] });
    if (shipment.status === 'SHIPPED' || shipment.status === 'DELIVERED') return { order, shipment, userErrors: [] };
    if (shipment.status === 'PENDING' || !settled) return 'unavailable';
    // VOID: inventory refused to consume; its reasons, pointed at the order.
    const step = await new SagaRepository(this.db).findLatestStep({ tenantId, orderId, name: 'CONSUME', shipmentId });
    const errors = (step?.response as { userErrors?: UserError[] } | null)?.userErrors ?? [];
    return { order, shipment: null, userErrors: errors.map((e) => ({ ...e, field: [...path, 'orderId'] })) };
  }
}

function unavailable() {
  return new ServiceUnavailableError('Inventory did not answer in time; the shipment will be recorded when it does. Retry with the same idempotencyKey for the outcome.');
}

async function mapWithConcurrency<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
