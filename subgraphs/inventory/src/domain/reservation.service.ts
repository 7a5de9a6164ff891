import { randomUUID } from 'node:crypto';
import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import { inTransaction, type Db, type Tx } from '../data/prisma.ts';
import { createRepositories, type Repositories } from '../data/repositories.ts';
import type { NewReservation } from '../data/reservation.repository.ts';
import { isUuid, type Actor } from '@stockline/service';
import { idempotent, saveResponseStatement } from './idempotency.ts';
import { createLevelGate, itemGateKey, levelGateKey, type LevelGate } from './level-gate.ts';
import type { ReservationRecord } from './records.ts';
import { StockLedger, availableOf } from './stock-ledger.ts';
import { checkExists, checkQuantity, checkReference, existingIds } from './stock-validation.ts';

export interface ReserveStockInput {
  itemId: string;
  locationId: string;
  quantity: number;
  reference?: string | null;
  ttlSeconds?: number | null;
  idempotencyKey?: string | null;
}

export interface ReservationPayload {
  reservation: ReservationRecord | null;
  userErrors: UserError[];
}

export interface ReserveLinesInput {
  lines: { itemId: string; quantity: number; locationId?: string | null }[];
  reference?: string | null;
  idempotencyKey?: string | null;
}

export interface ReserveLinesResult {
  /** One entry per reservation made; a line split across locations has several. */
  reservations: (ReservationRecord & { lineIndex: number })[];
  userErrors: UserError[];
}

export interface ConsumeInput {
  consumptions: { reservationId: string; quantity: number }[];
  reference?: string | null;
  idempotencyKey?: string | null;
}

export interface ReservationsResult {
  reservations: ReservationRecord[];
  userErrors: UserError[];
}

/** Longest hold a caller may ask for: 30 days. */
export const MAX_TTL_SECONDS = 30 * 24 * 3600;
export const MAX_LINES = 500;
/** The ledger's actor for holds the sweeper lets go. */
export const SWEEPER_ACTOR = 'system:reservation-sweeper';

const failed = (error: UserError): ReservationPayload => ({ reservation: null, userErrors: [error] });

/**
 * Holds on stock: reserve (available → reserved), release, expire, and consume (ship: onHand and
 * reserved both fall). Consumers: the reserveStock/releaseReservation mutations, the sweeper, and
 * the orders service through the internal API (reserveLines / consume / release).
 */
export class ReservationService {
  constructor(
    private readonly db: Db,
    private readonly onCommitted: () => void = () => {},
    private readonly repos: Repositories = createRepositories(db),
    private readonly gate: LevelGate = createLevelGate(),
  ) {}

  async reserveStock(actor: Actor, input: ReserveStockInput): Promise<ReservationPayload> {
    const invalid =
      checkQuantity(input.quantity, ['input', 'quantity']) ??
      checkReference(input.reference, ['input', 'reference']) ??
      (input.ttlSeconds != null && (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds < 1 || input.ttlSeconds > MAX_TTL_SECONDS)
        ? userError(UserErrorCode.InvalidInput, `ttlSeconds must be between 1 and ${MAX_TTL_SECONDS}`, ['input', 'ttlSeconds'])
        : null);
    if (invalid) return failed(invalid);
    const result = await this.gate.run([levelGateKey(actor.tenantId, input)], () => inTransaction(this.db, (tx) =>
      idempotent(tx, { tenantId: actor.tenantId, operation: 'reserveStock', key: input.idempotencyKey, input, reused: failed }, async () => {
        const found = await existingIds(tx, this.repos, actor.tenantId, { itemIds: [input.itemId], locationIds: [input.locationId] });
        const missing = checkExists(found, input, ['input']);
        if (missing) return { result: failed(missing), failed: true };
        const ledger = new StockLedger(tx, this.repos, actor.tenantId, actor.userId);
        await ledger.lock([{ itemId: input.itemId, locationId: input.locationId }]);
        const id = randomUUID();
        const outcome = ledger.apply({ ...input, reason: 'RESERVED', onHandDelta: 0, reservedDelta: input.quantity, reservationId: id });
        if (!outcome.ok) return { result: failed({ ...outcome.error, field: ['input', 'quantity'] }), failed: true };
        const expiresAt = input.ttlSeconds != null ? new Date(Date.now() + input.ttlSeconds * 1000) : null;
        const at = new Date();
        const { statement, records: [reservation] } = this.repos.reservations.insertStatement({
          tenantId: actor.tenantId,
          rows: [{ id, itemId: input.itemId, locationId: input.locationId, quantity: input.quantity, reference: input.reference ?? null, expiresAt }],
          at,
        });
        await ledger.commit({ at, also: [statement] });
        return { result: { reservation, userErrors: [] }, failed: false };
      }),
    ));
    this.onCommitted();
    return result;
  }

  /** Lets go of what a reservation still holds. Releasing one that is no longer active changes nothing. */
  async releaseReservation(actor: Actor, id: string): Promise<ReservationPayload> {
    const result = await this.releaseReservations(actor, { reservationIds: [id] });
    if (result.userErrors.length) return { reservation: null, userErrors: result.userErrors.map((e) => ({ ...e, field: ['id'] })) };
    return { reservation: result.reservations[0], userErrors: [] };
  }

  async releaseReservations(actor: Actor, { reservationIds, idempotencyKey }: { reservationIds: string[]; idempotencyKey?: string | null }): Promise<ReservationsResult> {
    const fail = (error: UserError): ReservationsResult => ({ reservations: [], userErrors: [error] });
    const result = await inTransaction(this.db, (tx) =>
      idempotent(
        tx,
        { tenantId: actor.tenantId, operation: 'releaseReservations', key: idempotencyKey, input: { reservationIds }, reused: fail },
        async () => {
          const repo = this.repos.reservations;
          const locked = await repo.lock({ tenantId: actor.tenantId, ids: reservationIds.filter(isUuid) }, tx);
          const byId = new Map(locked.map((r) => [r.id, r]));
          const unknown = reservationIds.findIndex((id) => !byId.has(id));
          if (unknown >= 0) {
            return { result: fail(userError(UserErrorCode.NotFound, `No reservation with id "${reservationIds[unknown]}"`, ['reservationIds', String(unknown)])), failed: true };
          }
          const released = await this.letGo(tx, actor.tenantId, actor.userId, locked, 'RELEASED');
          const out = reservationIds.map((id) => released.get(id) ?? byId.get(id)!);
          return { result: { reservations: out, userErrors: [] }, failed: false };
        },
      ),
    );
    this.onCommitted();
    return result;
  }

  /**
   * Releases expired holds of every tenant (status EXPIRED, ledger reason RELEASED). Replicas may run
   * it at once: rows another sweeper holds are skipped. Returns how many it expired.
   */
  async expireDue({ limit = 500 }: { limit?: number } = {}): Promise<number> {
    const count = await inTransaction(this.db, async (tx) => {
      const due = await this.repos.reservations.lockExpired({ limit }, tx);
      const byTenant = new Map<string, ReservationRecord[]>();
      for (const r of due) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r]);
      for (const [tenantId, rows] of byTenant) await this.letGo(tx, tenantId, SWEEPER_ACTOR, rows, 'EXPIRED');
      return due.length;
    });
    if (count > 0) this.onCommitted();
    return count;
  }

  /**
   * Reserves every line or none (orders' placeOrder). A line without a location is served from one
   * location that can cover it whole (the one with most available), else split across locations,
   * most available first. Lines of one item draw on the same levels in turn, so they are checked against their sum.
   */
  async reserveLines(actor: Actor, input: ReserveLinesInput): Promise<ReserveLinesResult> {
    const fail = (error: UserError): ReserveLinesResult => ({ reservations: [], userErrors: [error] });
    if (input.lines.length === 0 || input.lines.length > MAX_LINES) {
      return fail(userError(UserErrorCode.InvalidInput, `An order needs 1 to ${MAX_LINES} lines`, ['lines']));
    }
    for (const [i, line] of input.lines.entries()) {
      const invalid = checkQuantity(line.quantity, ['lines', String(i), 'quantity']);
      if (invalid) return fail(invalid);
    }
    // Allocation locks every level of the lines' items: an order for a hot item queues on the item.
    const itemKeys = input.lines.map((line) => itemGateKey(actor.tenantId, line.itemId));
    const result = await this.gate.run(itemKeys, () => inTransaction(this.db, (tx) =>
      idempotent(tx, { tenantId: actor.tenantId, operation: 'reserveLines', key: input.idempotencyKey, input, reused: fail, field: ['idempotencyKey'] }, async () => {
        const { tenantId } = actor;
        const found = await existingIds(tx, this.repos, tenantId, {
          itemIds: input.lines.map((l) => l.itemId),
          locationIds: input.lines.flatMap((l) => (l.locationId ? [l.locationId] : [])),
        });
        for (const [i, line] of input.lines.entries()) {
          const missing = line.locationId
            ? checkExists(found, { itemId: line.itemId, locationId: line.locationId }, ['lines', String(i)])
            : found.items.has(line.itemId)
              ? null
              : userError(UserErrorCode.NotFound, `No item with id "${line.itemId}"`, ['lines', String(i), 'itemId'], { itemId: line.itemId });
          if (missing) return { result: fail(missing), failed: true };
        }
        const ledger = new StockLedger(tx, this.repos, tenantId, actor.userId);
        const levelsOf = await ledger.lockItems([...new Set(input.lines.map((l) => l.itemId))]);
        const rows: (NewReservation & { lineIndex: number })[] = [];
        for (const [i, line] of input.lines.entries()) {
          const plan = line.locationId
            ? [{ locationId: line.locationId, quantity: line.quantity }]
            : allocate(line.quantity, (levelsOf.get(line.itemId) ?? []).map((locationId) => ({ locationId, available: availableOf(ledger.get(line.itemId, locationId)!) })));
          if (!plan) {
            const total = (levelsOf.get(line.itemId) ?? []).reduce((sum, loc) => sum + availableOf(ledger.get(line.itemId, loc)!), 0);
            const error = userError(UserErrorCode.InsufficientStock, `Only ${total} of item ${line.itemId} available across locations; ${line.quantity} needed`, ['lines', String(i), 'quantity'], { itemId: line.itemId, available: total });
            return { result: fail(error), failed: true };
          }
          for (const part of plan) {
            const id = randomUUID();
            const outcome = ledger.apply({ itemId: line.itemId, locationId: part.locationId, reason: 'RESERVED', onHandDelta: 0, reservedDelta: part.quantity, reference: input.reference, reservationId: id });
            if (!outcome.ok) return { result: fail({ ...outcome.error, field: ['lines', String(i), 'quantity'] }), failed: true };
            rows.push({ id, itemId: line.itemId, locationId: part.locationId, quantity: part.quantity, reference: input.reference ?? null, expiresAt: null, lineIndex: i });
          }
        }
        const at = new Date();
        const { statement, records: inserted } = this.repos.reservations.insertStatement({ tenantId, rows, at });
        const result = { reservations: inserted.map((r, n) => ({ ...r, lineIndex: rows[n].lineIndex })), userErrors: [] };
        // The reservations, the ledger, the outbox and the key's response in one statement: the levels stay
        // locked for it and COMMIT only.
        const key = input.idempotencyKey;
        await ledger.commit({ at, also: [statement, ...(key ? [saveResponseStatement({ tenantId, operation: 'reserveLines', key, response: result })] : [])] });
        return { result, failed: false, saved: !!key };
      }),
    ));
    this.onCommitted();
    return result;
  }

  /**
   * Ships reserved stock (orders' fulfillment): SHIPPED lines take the quantity out of onHand and reserved.
   * All or nothing; a reservation consumed whole becomes CONSUMED.
   */
  async consume(actor: Actor, input: ConsumeInput): Promise<ReservationsResult> {
    const fail = (error: UserError): ReservationsResult => ({ reservations: [], userErrors: [error] });
    for (const [i, c] of input.consumptions.entries()) {
      const invalid = checkQuantity(c.quantity, ['consumptions', String(i), 'quantity']);
      if (invalid) return fail(invalid);
    }
    const result = await inTransaction(this.db, (tx) =>
      idempotent(tx, { tenantId: actor.tenantId, operation: 'consume', key: input.idempotencyKey, input, reused: fail, field: ['idempotencyKey'] }, async () => {
        const repo = this.repos.reservations;
        const ids = [...new Set(input.consumptions.map((c) => c.reservationId))];
        const locked = new Map((await repo.lock({ tenantId: actor.tenantId, ids: ids.filter(isUuid) }, tx)).map((r) => [r.id, { ...r }]));
        const ledger = new StockLedger(tx, this.repos, actor.tenantId, actor.userId);
        await ledger.lock([...locked.values()].map((r) => ({ itemId: r.itemId, locationId: r.locationId })));
        for (const [i, c] of input.consumptions.entries()) {
          const field = ['consumptions', String(i)];
          const r = locked.get(c.reservationId);
          if (!r) return { result: fail(userError(UserErrorCode.NotFound, `No reservation with id "${c.reservationId}"`, [...field, 'reservationId'])), failed: true };
          if (r.status !== 'ACTIVE') return { result: fail(userError(UserErrorCode.InvalidState, `Reservation ${r.id} is ${r.status}`, [...field, 'reservationId'])), failed: true };
          const left = r.quantity - r.consumedQuantity;
          if (c.quantity > left) return { result: fail(userError(UserErrorCode.InvalidInput, `Reservation ${r.id} holds ${left}; cannot ship ${c.quantity}`, [...field, 'quantity'])), failed: true };
          const outcome = ledger.apply({ itemId: r.itemId, locationId: r.locationId, reason: 'SHIPPED', onHandDelta: -c.quantity, reservedDelta: -c.quantity, reference: input.reference, reservationId: r.id });
          if (!outcome.ok) return { result: fail({ ...outcome.error, field: [...field, 'quantity'] }), failed: true };
          r.consumedQuantity += c.quantity;
          if (r.consumedQuantity === r.quantity) r.status = 'CONSUMED';
        }
        const at = new Date();
        const result = { reservations: ids.map((id) => locked.get(id)!), userErrors: [] };
        const key = input.idempotencyKey;
        await ledger.commit({
          at,
          also: [
            repo.updateStatement({ tenantId: actor.tenantId, rows: [...locked.values()], at }),
            ...(key ? [saveResponseStatement({ tenantId: actor.tenantId, operation: 'consume', key, response: result })] : []),
          ],
        });
        return { result, failed: false, saved: !!key };
      }),
    );
    this.onCommitted();
    return result;
  }

  /** Releases what active `reservations` (locked by the caller) still hold; returns them as changed. */
  private async letGo(tx: Tx, tenantId: string, actorId: string, reservations: ReservationRecord[], status: 'RELEASED' | 'EXPIRED') {
    const active = reservations.filter((r) => r.status === 'ACTIVE');
    const ledger = new StockLedger(tx, this.repos, tenantId, actorId);
    await ledger.lock(active.map((r) => ({ itemId: r.itemId, locationId: r.locationId })));
    const changed = new Map<string, ReservationRecord>();
    for (const r of active) {
      const left = r.quantity - r.consumedQuantity;
      if (left > 0) {
        const outcome = ledger.apply({ itemId: r.itemId, locationId: r.locationId, reason: 'RELEASED', onHandDelta: 0, reservedDelta: -left, reference: r.reference, reservationId: r.id });
        if (!outcome.ok) throw new Error(`Reservation ${r.id} holds more than its level has reserved`);
      }
      changed.set(r.id, { ...r, status });
    }
    const at = new Date();
    await ledger.commit({ at, also: changed.size ? [this.repos.reservations.updateStatement({ tenantId, rows: [...changed.values()], at })] : [] });
    return changed;
  }
}

/** Where to take `quantity` from: one location if any can cover it (most available), else a greedy split; null when all together fall short. */
export function allocate(quantity: number, candidates: { locationId: string; available: number }[]): { locationId: string; quantity: number }[] | null {
  const sorted = candidates.filter((c) => c.available > 0).sort((a, b) => b.available - a.available || (a.locationId < b.locationId ? -1 : 1));
  if (sorted[0] && sorted[0].available >= quantity) return [{ locationId: sorted[0].locationId, quantity }];
  const plan: { locationId: string; quantity: number }[] = [];
  let left = quantity;
  for (const c of sorted) {
    if (left === 0) break;
    const take = Math.min(left, c.available);
    plan.push({ locationId: c.locationId, quantity: take });
    left -= take;
  }
  return left === 0 ? plan : null;
}
