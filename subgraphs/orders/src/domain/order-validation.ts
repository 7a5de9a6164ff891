import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import { isUuid } from '@stockline/service';
import type { Address } from './records.ts';

/** Most lines one order may have (inventory's reserve-lines takes as many). */
export const MAX_ORDER_LINES = 500;
/** Most inputs one fulfillOrders call may have. */
export const MAX_BULK_FULFILLMENTS = 500;
/** Largest quantity of one line; keeps sums far from int4 overflow. */
export const MAX_QUANTITY = 1_000_000_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** Longest accepted text per field (characters, after trimming). */
export const TEXT_LIMITS = {
  name: 200,
  line1: 200,
  line2: 200,
  city: 100,
  postalCode: 20,
  country: 100,
  customerEmail: 254,
  carrier: 100,
  trackingNumber: 100,
  trackingUrl: 2000,
  reason: 500,
} as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

export interface PlaceOrderInput {
  lines: { itemId: string; quantity: number; locationId?: string | null }[];
  shippingAddress: { name: string; line1: string; line2?: string | null; city: string; postalCode: string; country: string };
  customerEmail?: string | null;
  idempotencyKey?: string | null;
}

export interface FulfillOrderInput {
  orderId: string;
  lines?: { orderLineId: string; quantity: number }[] | null;
  carrier: string;
  trackingNumber: string;
  trackingUrl?: string | null;
  idempotencyKey?: string | null;
}

/** The input as stored and hashed: text trimmed, absent optionals null. */
export function normalizePlaceOrder(input: PlaceOrderInput) {
  const a = input.shippingAddress;
  const address: Address = {
    name: a.name.trim(),
    line1: a.line1.trim(),
    line2: a.line2?.trim() || null,
    city: a.city.trim(),
    postalCode: a.postalCode.trim(),
    country: a.country.trim(),
  };
  return {
    lines: input.lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, locationId: l.locationId ?? null })),
    shippingAddress: address,
    customerEmail: input.customerEmail?.trim() || null,
  };
}

export function normalizeFulfillOrder(input: FulfillOrderInput) {
  return {
    orderId: input.orderId,
    lines: input.lines ? input.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity })) : null,
    carrier: input.carrier.trim(),
    trackingNumber: input.trackingNumber.trim(),
    trackingUrl: input.trackingUrl?.trim() || null,
  };
}

/** Every problem of a placeOrder input that can be seen without looking anything up. */
export function validatePlaceOrder(input: PlaceOrderInput, path: string[]): UserError[] {
  const errors: UserError[] = [];
  const push = (error: UserError | null) => error && errors.push(error);
  if (input.lines.length === 0) push(userError(UserErrorCode.InvalidInput, 'An order needs at least one line', [...path, 'lines']));
  if (input.lines.length > MAX_ORDER_LINES) {
    return [userError(UserErrorCode.LimitExceeded, `An order has at most ${MAX_ORDER_LINES} lines; got ${input.lines.length}`, [...path, 'lines'])];
  }
  input.lines.forEach((line, i) => {
    const at = [...path, 'lines', String(i)];
    push(checkQuantity(line.quantity, [...at, 'quantity']));
    if (!isUuid(line.itemId)) push(userError(UserErrorCode.NotFound, `No item with id "${line.itemId}"`, [...at, 'itemId'], { itemId: line.itemId }));
    if (line.locationId != null && !isUuid(line.locationId)) push(userError(UserErrorCode.NotFound, `No location with id "${line.locationId}"`, [...at, 'locationId']));
  });
  const a = input.shippingAddress;
  const at = [...path, 'shippingAddress'];
  push(checkText(a.name, [...at, 'name'], TEXT_LIMITS.name));
  push(checkText(a.line1, [...at, 'line1'], TEXT_LIMITS.line1));
  push(checkText(a.line2, [...at, 'line2'], TEXT_LIMITS.line2, { required: false }));
  push(checkText(a.city, [...at, 'city'], TEXT_LIMITS.city));
  push(checkText(a.postalCode, [...at, 'postalCode'], TEXT_LIMITS.postalCode));
  push(checkText(a.country, [...at, 'country'], TEXT_LIMITS.country));
  if (input.customerEmail != null) {
    const email = input.customerEmail.trim();
    if (email.length > TEXT_LIMITS.customerEmail || !EMAIL.test(email)) {
      push(userError(UserErrorCode.InvalidInput, `customerEmail must be an email address of at most ${TEXT_LIMITS.customerEmail} characters`, [...path, 'customerEmail']));
    }
  }
  push(checkIdempotencyKey(input.idempotencyKey, [...path, 'idempotencyKey']));
  return errors;
}

/** Every problem of a fulfillOrder input that can be seen without looking anything up. */
export function validateFulfillOrder(input: FulfillOrderInput, path: string[]): UserError[] {
  const errors: UserError[] = [];
  const push = (error: UserError | null) => error && errors.push(error);
  if (!isUuid(input.orderId)) push(userError(UserErrorCode.NotFound, `No order with id "${input.orderId}"`, [...path, 'orderId']));
  if (input.lines) {
    if (input.lines.length === 0) push(userError(UserErrorCode.InvalidInput, 'lines, when given, must name at least one line; omit it to ship everything left', [...path, 'lines']));
    if (input.lines.length > MAX_ORDER_LINES) push(userError(UserErrorCode.LimitExceeded, `At most ${MAX_ORDER_LINES} lines per shipment`, [...path, 'lines']));
    const seen = new Set<string>();
    input.lines.forEach((line, i) => {
      const at = [...path, 'lines', String(i)];
      if (seen.has(line.orderLineId)) push(userError(UserErrorCode.InvalidInput, `Order line "${line.orderLineId}" appears twice`, [...at, 'orderLineId']));
      seen.add(line.orderLineId);
      if (!isUuid(line.orderLineId)) push(userError(UserErrorCode.NotFound, `No order line with id "${line.orderLineId}"`, [...at, 'orderLineId']));
      push(checkQuantity(line.quantity, [...at, 'quantity']));
    });
  }
  push(checkText(input.carrier, [...path, 'carrier'], TEXT_LIMITS.carrier));
  push(checkText(input.trackingNumber, [...path, 'trackingNumber'], TEXT_LIMITS.trackingNumber));
  if (input.trackingUrl != null && input.trackingUrl.trim() !== '') {
    const url = input.trackingUrl.trim();
    if (url.length > TEXT_LIMITS.trackingUrl || !/^https?:\/\/[^\s]+$/i.test(url) || !URL.canParse(url)) {
      push(userError(UserErrorCode.InvalidInput, `trackingUrl must be an http(s) URL of at most ${TEXT_LIMITS.trackingUrl} characters`, [...path, 'trackingUrl']));
    }
  }
  push(checkIdempotencyKey(input.idempotencyKey, [...path, 'idempotencyKey']));
  return errors;
}

export function checkCancelReason(reason: string | null | undefined, field: string[]): UserError | null {
  return checkText(reason, field, TEXT_LIMITS.reason, { required: false });
}

function checkQuantity(value: number, field: string[]): UserError | null {
  if (!Number.isInteger(value) || value < 1) return userError(UserErrorCode.InvalidInput, `quantity must be a whole number of at least 1; got ${value}`, field);
  if (value > MAX_QUANTITY) return userError(UserErrorCode.InvalidInput, `quantity must be at most ${MAX_QUANTITY}; got ${value}`, field);
  return null;
}

function checkText(value: string | null | undefined, field: string[], max: number, { required = true } = {}): UserError | null {
  const text = value?.trim() ?? '';
  if (required && text === '') return userError(UserErrorCode.InvalidInput, `${field.at(-1)} must not be empty`, field);
  if (text.length > max) return userError(UserErrorCode.InvalidInput, `${field.at(-1)} must be at most ${max} characters; got ${text.length}`, field);
  return null;
}

function checkIdempotencyKey(key: string | null | undefined, field: string[]): UserError | null {
  if (key == null) return null;
  return key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH
    ? userError(UserErrorCode.InvalidInput, `idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`, field)
    : null;
}
