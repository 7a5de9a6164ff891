/** Plain records the data layer returns and the domain works with (no Prisma types leak past data/). */

export interface ItemRecord {
  id: string;
  tenantId: string;
  sku: string;
  name: string;
  description: string | null;
  categoryId: string | null;
  version: number;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CategoryRecord {
  id: string;
  tenantId: string;
  name: string;
}

export interface LocationRecord {
  id: string;
  tenantId: string;
  code: string;
  name: string;
}

export interface StockLevelRecord {
  tenantId: string;
  itemId: string;
  locationId: string;
  onHand: number;
  reserved: number;
  reorderPoint: number | null;
  version: number;
  updatedAt: Date;
}

export type MovementReason =
  | 'RECEIVED'
  | 'CORRECTION'
  | 'DAMAGED'
  | 'RETURNED'
  | 'RESERVED'
  | 'RELEASED'
  | 'SHIPPED'
  | 'TRANSFER_IN'
  | 'TRANSFER_OUT';

export interface MovementRecord {
  id: string;
  tenantId: string;
  itemId: string;
  locationId: string;
  reason: MovementReason;
  onHandDelta: number;
  reservedDelta: number;
  onHandAfter: number;
  reservedAfter: number;
  reference: string | null;
  reservationId: string | null;
  actorId: string;
  occurredAt: Date;
}

export type ReservationStatus = 'ACTIVE' | 'CONSUMED' | 'RELEASED' | 'EXPIRED';

export interface ReservationRecord {
  id: string;
  tenantId: string;
  itemId: string;
  locationId: string;
  quantity: number;
  consumedQuantity: number;
  reference: string | null;
  status: ReservationStatus;
  expiresAt: Date | null;
  createdAt: Date;
}
