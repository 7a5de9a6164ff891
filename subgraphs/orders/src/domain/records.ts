/** Plain records the data layer returns and the domain works with (no Prisma types leak past data/). */

export type OrderStatus = 'PENDING' | 'RESERVED' | 'PARTIALLY_FULFILLED' | 'FULFILLED' | 'CANCELLED' | 'FAILED';

export interface Address {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  country: string;
}

export interface OrderRecord {
  id: string;
  tenantId: string;
  seq: number;
  number: string;
  status: OrderStatus;
  customerEmail: string | null;
  shippingAddress: Address;
  failureReason: string | null;
  placedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderLineRecord {
  id: string;
  tenantId: string;
  orderId: string;
  /** Index of the input line it came from; parts of one split line share it. */
  lineIndex: number;
  part: number;
  itemId: string;
  locationId: string | null;
  quantity: number;
  fulfilledQuantity: number;
  reservationId: string | null;
}

/** PENDING (consume not yet recorded) and VOID (refused by inventory) are never shown in the API. */
export type ShipmentStatus = 'PENDING' | 'SHIPPED' | 'DELIVERED' | 'VOID';

export interface ShipmentRecord {
  id: string;
  tenantId: string;
  orderId: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  status: ShipmentStatus;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface ShipmentLineRecord {
  shipmentId: string;
  orderLineId: string;
  quantity: number;
}

export type SagaKind = 'PLACE_ORDER' | 'FULFILL_ORDER' | 'CANCEL_ORDER';

export interface SagaRecord {
  id: string;
  tenantId: string;
  orderId: string;
  kind: SagaKind;
  status: 'RUNNING' | 'COMPLETED';
  actorId: string;
  shipmentId: string | null;
  attempts: number;
}

export type SagaStepName = 'CREATE_ORDER' | 'RESERVE' | 'CONFIRM' | 'CREATE_SHIPMENT' | 'CONSUME' | 'RECORD_SHIPMENT' | 'CANCEL' | 'RELEASE';
export type SagaStepStatus = 'STARTED' | 'SUCCEEDED' | 'FAILED';

export interface SagaStepRecord {
  id: string;
  sagaId: string;
  tenantId: string;
  orderId: string;
  name: SagaStepName;
  status: SagaStepStatus;
  idempotencyKey: string | null;
  request: unknown;
  response: unknown;
}
