import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import { claimKeys } from '@stockline/idempotency';
import type { MovementFilter } from '../data/movement.repository.ts';
import { SCHEMA, inTransaction, type Db } from '../data/prisma.ts';
import { createRepositories, type Repositories } from '../data/repositories.ts';
import { isUuid, type Actor } from '@stockline/service';
import { idempotent, saveResponseStatement } from './idempotency.ts';
import type { MovementReason, MovementRecord, StockLevelRecord } from './records.ts';
import { createLevelGate, levelGateKey, type LevelGate } from './level-gate.ts';
import { StockLedger, levelKey } from './stock-ledger.ts';
import { checkExists, checkQuantity, checkReference, existingIds } from './stock-validation.ts';

export interface AdjustStockInput {
  itemId: string;
  locationId: string;
  delta: number;
  reason: MovementReason;
  reference?: string | null;
  changeFromQuantity?: number | null;
  idempotencyKey?: string | null;
}

export interface SetStockInput {
  itemId: string;
  locationId: string;
  onHand: number;
  reason?: MovementReason | null;
  reference?: string | null;
  changeFromQuantity?: number | null;
  idempotencyKey?: string | null;
}

export interface TransferStockInput {
  itemId: string;
  fromLocationId: string;
  toLocationId: string;
  quantity: number;
  reference?: string | null;
  idempotencyKey?: string | null;
}

export interface StockPayload {
  stockLevel: StockLevelRecord | null;
  movement: MovementRecord | null;
  userErrors: UserError[];
}

export interface BulkStockPayload {
  stockLevels: (StockLevelRecord | null)[];
  userErrors: UserError[];
}

export interface TransferPayload {
  from: StockLevelRecord | null;
  to: StockLevelRecord | null;
  userErrors: UserError[];
}

export type BulkMode = 'ATOMIC' | 'PER_ITEM';

/** Most changes one bulkAdjustStock call takes. */
export const MAX_BULK_STOCK_INPUTS = 5_000;

/** Reasons a caller may give to adjustStock; the others are written by reservations, fulfillment and transfers. */
const ADJUST_REASONS = new Set<MovementReason>(['RECEIVED', 'CORRECTION', 'DAMAGED', 'RETURNED']);

/** Thrown inside a transaction to roll all of it back and answer with these errors. */
class AtomicRollback extends Error {
  constructor(readonly errors: (UserError | null)[]) {
    super('atomic bulk refused');
  }
}

const failed = (error: UserError): StockPayload => ({ stockLevel: null, movement: null, userErrors: [error] });

/**
 * Changes of on-hand stock: adjust, set, bulk adjust, transfer, reorder points.
 * Each call is one transaction: levels locked, invariants checked, ledger lines and outbox events
 * written with the new quantities, the idempotency key claimed alongside.
 */
export class StockService {
  constructor(
    private readonly db: Db,
    private readonly onCommitted: () => void = () => {},
    private readonly repos: Repositories = createRepositories(db),
    private readonly gate: LevelGate = createLevelGate(),
  ) {}

  listMovements(actor: Actor, { filter, beforeId, limit }: { filter: MovementFilter; beforeId: string | null; limit: number }) {
    if (!validFilter(filter)) return Promise.resolve([]);
    return this.repos.movements.list({ tenantId: actor.tenantId, filter, beforeId, limit });
  }

  countMovements(actor: Actor, filter: MovementFilter) {
    if (!validFilter(filter)) return Promise.resolve(0);
    return this.repos.movements.count({ tenantId: actor.tenantId, filter });
  }

  async adjustStock(actor: Actor, input: AdjustStockInput): Promise<StockPayload> {
    const invalid = validateAdjust(input, ['input']);
    if (invalid) return failed(invalid);
    return this.gate.run([levelGateKey(actor.tenantId, input)], () => this.adjustLevel(actor, input));
  }

  private async adjustLevel(actor: Actor, input: AdjustStockInput): Promise<StockPayload> {
    if (!input.idempotencyKey) {
      const applied = await this.adjustExistingLevel(actor, input);
      if (applied) {
        this.onCommitted();
        return applied;
      }
    }
    const result = await inTransaction(this.db, (tx) =>
      idempotent(tx, { tenantId: actor.tenantId, operation: 'adjustStock', key: input.idempotencyKey, input, reused: failed }, async () => {
        const found = await existingIds(tx, this.repos, actor.tenantId, { itemIds: [input.itemId], locationIds: [input.locationId] });
        const missing = checkExists(found, input, ['input']);
        if (missing) return { result: failed(missing), failed: true };
        const ledger = new StockLedger(tx, this.repos, actor.tenantId, actor.userId);
        const key = { itemId: input.itemId, locationId: input.locationId };
        await ledger.lock([key], { create: input.delta > 0 ? [key] : [] });
        const stale = checkStale(ledger.get(input.itemId, input.locationId), input.changeFromQuantity, ['input', 'changeFromQuantity'], input.itemId);
        if (stale) return { result: failed(stale), failed: true };
        const outcome = ledger.apply({ ...input, onHandDelta: input.delta, reservedDelta: 0 });
        if (!outcome.ok) return { result: failed({ ...outcome.error, field: ['input', 'delta'] }), failed: true };
        // The level, the ledger line, the outbox row and the key's response in one statement.
        const at = new Date();
        const expected = ledger.preview(at);
        const stockLevel = expected.levels.get(levelKey(input.itemId, input.locationId))!;
        const idempotencyKey = input.idempotencyKey;
        const save = idempotencyKey
          ? [saveResponseStatement({ tenantId: actor.tenantId, operation: 'adjustStock', key: idempotencyKey, response: { stockLevel, movement: expected.movements[0], userErrors: [] }, movementIdAt: ['movement', 'id'] })]
          : [];
        const { movements } = await ledger.commit({ at, also: save });
        return { result: { stockLevel, movement: movements[0], userErrors: [] }, failed: false, saved: !!idempotencyKey };
      }),
    );
    this.onCommitted();
    return result;
  }

  /**
   * An adjustment without idempotency key of a level that exists, accepted: one statement in its own
   * transaction (LedgerRepository.adjustOne), so a hot level is locked for that statement only. Null when
   * it was not applied (no level yet, or refused); then the general path decides and says why.
   */
  private async adjustExistingLevel(actor: Actor, input: AdjustStockInput): Promise<StockPayload | null> {
    if (!isUuid(input.itemId) || !isUuid(input.locationId)) return null;
    const at = new Date();
    const { tenantId, userId } = actor;
    const reference = input.reference ?? null;
    const row = await this.repos.ledger.adjustOne({
      tenantId, itemId: input.itemId, locationId: input.locationId, delta: input.delta, reason: input.reason, reference,
      changeFromQuantity: input.changeFromQuantity ?? null, actorId: userId, at,
    });
    if (!row) return null;
    const { itemId, locationId } = input;
    return {
      stockLevel: { tenantId, itemId, locationId, onHand: row.onHand, reserved: row.reserved, reorderPoint: row.reorderPoint, version: row.version, updatedAt: at },
      movement: {
        id: row.movementId, tenantId, itemId, locationId, reason: input.reason, onHandDelta: input.delta, reservedDelta: 0,
        onHandAfter: row.onHand, reservedAfter: row.reserved, reference, reservationId: null, actorId: userId, occurredAt: at,
      },
      userErrors: [],
    };
  }

  async setStock(actor: Actor, input: SetStockInput): Promise<StockPayload> {
    const invalid =
      checkQuantity(input.onHand, ['input', 'onHand'], { min: 0 }) ??
      (input.changeFromQuantity != null ? checkQuantity(input.changeFromQuantity, ['input', 'changeFromQuantity'], { min: 0 }) : null) ??
      checkReference(input.reference, ['input', 'reference']);
    if (invalid) return failed(invalid);
    const reason = input.reason ?? 'CORRECTION';
    if (!ADJUST_REASONS.has(reason)) return failed(reasonError(reason, ['input', 'reason']));
    const result = await this.gate.run([levelGateKey(actor.tenantId, input)], () => inTransaction(this.db, (tx) =>
      idempotent(tx, { tenantId: actor.tenantId, operation: 'setStock', key: input.idempotencyKey, input, reused: failed }, async () => {
        const found = await existingIds(tx, this.repos, actor.tenantId, { itemIds: [input.itemId], locationIds: [input.locationId] });
        const missing = checkExists(found, input, ['input']);
        if (missing) return { result: failed(missing), failed: true };
        const ledger = new StockLedger(tx, this.repos, actor.tenantId, actor.userId);
        const key = { itemId: input.itemId, locationId: input.locationId };
        await ledger.lock([key], { create: [key] });
        const level = ledger.get(input.itemId, input.locationId)!;
        const stale = checkStale(level, input.changeFromQuantity, ['input', 'changeFromQuantity'], input.itemId);
        if (stale) return { result: failed(stale), failed: true };
        const delta = input.onHand - level.onHand;
        if (delta === 0) return { result: { stockLevel: { ...level }, movement: null, userErrors: [] }, failed: false };
        const outcome = ledger.apply({ itemId: input.itemId, locationId: input.locationId, reason, reference: input.reference, onHandDelta: delta, reservedDelta: 0 });
        if (!outcome.ok) {
          const error = userError(UserErrorCode.InsufficientStock, `onHand cannot go below the ${level.reserved} reserved`, ['input', 'onHand'], {
            itemId: input.itemId,
            available: level.onHand - level.reserved,
          });
          return { result: failed(error), failed: true };
        }
        const { movements, levels } = await ledger.commit();
        return { result: { stockLevel: levels.get(levelKey(input.itemId, input.locationId))!, movement: movements[0], userErrors: [] }, failed: false };
      }),
    ));
    this.onCommitted();
    return result;
  }

  /**
   * Many adjustments in one transaction and a handful of statements, applied in input order
   * (several inputs may touch one level). PER_ITEM keeps what succeeded; ATOMIC keeps nothing
   * unless everything succeeded. Each input's idempotencyKey is scoped like adjustStock's.
   */
  async bulkAdjustStock(actor: Actor, inputs: AdjustStockInput[], mode: BulkMode): Promise<BulkStockPayload> {
    if (inputs.length > MAX_BULK_STOCK_INPUTS) {
      return {
        stockLevels: inputs.map(() => null),
        userErrors: [userError(UserErrorCode.LimitExceeded, `At most ${MAX_BULK_STOCK_INPUTS} inputs per call; got ${inputs.length}`, ['inputs'])],
      };
    }
    const errors: (UserError | null)[] = inputs.map((input, i) => validateAdjust(input, ['inputs', String(i)]));
    if (mode === 'ATOMIC' && errors.some(Boolean)) return { stockLevels: inputs.map(() => null), userErrors: errors.filter((e): e is UserError => !!e) };

    // A call over a few levels queues like single changes; a larger one goes straight to the database's locks.
    const gateKeys = inputs.filter((_, i) => !errors[i]).map((input) => levelGateKey(actor.tenantId, input));
    const outcome = await this.gate.run(gateKeys, () => inTransaction(this.db, async (tx) => {
      const { tenantId } = actor;
      const at = (i: number) => ['inputs', String(i)];
      const levels: (StockLevelRecord | null)[] = inputs.map(() => null);
      // Keys: claimed together by the idempotency package; a key seen before answers from storage, a key
      // repeated in the call takes its first use's result.
      const claims = await claimKeys(tx, {
        schema: SCHEMA,
        tenantId,
        operation: 'adjustStock',
        keys: inputs.map((input) => input.idempotencyKey),
        inputs,
        skip: errors.map(Boolean),
        field: (i) => [...at(i), 'idempotencyKey'],
      });
      const { states } = claims;
      states.forEach((state, i) => {
        if (state.kind === 'reused') errors[i] = state.error;
      });
      const live = (i: number) => !errors[i] && states[i].kind !== 'replay' && states[i].kind !== 'repeat';
      const liveInputs = inputs.filter((_, i) => live(i));
      const found = await existingIds(tx, this.repos, tenantId, { itemIds: liveInputs.map((i) => i.itemId), locationIds: liveInputs.map((i) => i.locationId) });
      inputs.forEach((input, i) => {
        if (live(i)) errors[i] = checkExists(found, input, at(i));
      });
      const ok = (i: number) => live(i) && !errors[i];
      const ledger = new StockLedger(tx, this.repos, tenantId, actor.userId);
      await ledger.lock(
        inputs.filter((_, i) => ok(i)).map(({ itemId, locationId }) => ({ itemId, locationId })),
        { create: inputs.filter((input, i) => ok(i) && input.delta > 0) },
      );
      const movementOf = new Map<number, number>();
      inputs.forEach((input, i) => {
        if (!ok(i)) return;
        errors[i] = checkStale(ledger.get(input.itemId, input.locationId), input.changeFromQuantity, [...at(i), 'changeFromQuantity'], input.itemId);
        if (errors[i]) return;
        const result = ledger.apply({ ...input, onHandDelta: input.delta, reservedDelta: 0 });
        if (result.ok) movementOf.set(i, result.index);
        else errors[i] = { ...result.error, field: [...at(i), 'delta'] };
      });
      if (mode === 'ATOMIC' && errors.some(Boolean)) throw new AtomicRollback(errors);

      const { movements, levels: stored } = await ledger.commit();
      for (const i of movementOf.keys()) levels[i] = stored.get(levelKey(inputs[i].itemId, inputs[i].locationId)) ?? null;
      // Answered from storage, then repeats of a key within the call: the first use's result.
      const atInput = (error: UserError, i: number): UserError => ({ ...error, field: [...at(i), ...(error.field?.slice(2) ?? [])] });
      states.forEach((state, i) => {
        if (state.kind !== 'replay') return;
        const previous = state.response as StockPayload;
        levels[i] = previous.stockLevel;
        if (previous.userErrors.length) errors[i] = atInput(previous.userErrors[0], i);
      });
      states.forEach((state, i) => {
        if (state.kind !== 'repeat') return;
        levels[i] = levels[state.first];
        if (errors[state.first]) errors[i] = atInput(errors[state.first]!, i);
      });
      await claims.save((i) => ({
        stockLevel: levels[i],
        movement: movementOf.has(i) ? movements[movementOf.get(i)!] : null,
        userErrors: errors[i] ? [errors[i]] : [],
      }));
      return { levels, errors };
    })).catch((error) => {
      // ATOMIC with a failed input: the whole transaction rolled back, claimed keys included.
      if (error instanceof AtomicRollback) return { levels: inputs.map(() => null), errors: error.errors };
      throw error;
    });
    this.onCommitted();
    return { stockLevels: outcome.levels, userErrors: outcome.errors.filter((e): e is UserError => !!e) };
  }

  async transferStock(actor: Actor, input: TransferStockInput): Promise<TransferPayload> {
    const fail = (error: UserError): TransferPayload => ({ from: null, to: null, userErrors: [error] });
    const invalid =
      checkQuantity(input.quantity, ['input', 'quantity']) ??
      checkReference(input.reference, ['input', 'reference']) ??
      (input.fromLocationId === input.toLocationId
        ? userError(UserErrorCode.InvalidInput, 'fromLocationId and toLocationId must differ', ['input', 'toLocationId'])
        : null);
    if (invalid) return fail(invalid);
    const levels = [{ itemId: input.itemId, locationId: input.fromLocationId }, { itemId: input.itemId, locationId: input.toLocationId }];
    const result = await this.gate.run(levels.map((level) => levelGateKey(actor.tenantId, level)), () => inTransaction(this.db, (tx) =>
      idempotent(tx, { tenantId: actor.tenantId, operation: 'transferStock', key: input.idempotencyKey, input, reused: fail }, async () => {
        const found = await existingIds(tx, this.repos, actor.tenantId, { itemIds: [input.itemId], locationIds: [input.fromLocationId, input.toLocationId] });
        const missing =
          checkExists(found, { itemId: input.itemId, locationId: input.fromLocationId }, ['input'], 'fromLocationId') ??
          checkExists(found, { itemId: input.itemId, locationId: input.toLocationId }, ['input'], 'toLocationId');
        if (missing) return { result: fail(missing), failed: true };
        const ledger = new StockLedger(tx, this.repos, actor.tenantId, actor.userId);
        const from = { itemId: input.itemId, locationId: input.fromLocationId };
        const to = { itemId: input.itemId, locationId: input.toLocationId };
        await ledger.lock([from], { create: [to] });
        const out = ledger.apply({ ...from, reason: 'TRANSFER_OUT', onHandDelta: -input.quantity, reservedDelta: 0, reference: input.reference });
        if (!out.ok) return { result: fail({ ...out.error, field: ['input', 'quantity'] }), failed: true };
        ledger.apply({ ...to, reason: 'TRANSFER_IN', onHandDelta: input.quantity, reservedDelta: 0, reference: input.reference });
        const { levels } = await ledger.commit();
        return {
          result: { from: levels.get(levelKey(from.itemId, from.locationId))!, to: levels.get(levelKey(to.itemId, to.locationId))!, userErrors: [] },
          failed: false,
        };
      }),
    ));
    this.onCommitted();
    return result;
  }

  async setReorderPoint(actor: Actor, { itemId, locationId, reorderPoint }: { itemId: string; locationId: string; reorderPoint: number | null }): Promise<StockPayload> {
    if (reorderPoint !== null) {
      const invalid = checkQuantity(reorderPoint, ['reorderPoint'], { min: 0 });
      if (invalid) return failed(invalid);
    }
    const result = await this.gate.run([levelGateKey(actor.tenantId, { itemId, locationId })], () => inTransaction(this.db, async (tx) => {
      const found = await existingIds(tx, this.repos, actor.tenantId, { itemIds: [itemId], locationIds: [locationId] });
      const missing = checkExists(found, { itemId, locationId }, []);
      if (missing) return failed(missing);
      const ledger = new StockLedger(tx, this.repos, actor.tenantId, actor.userId);
      await ledger.lock([{ itemId, locationId }], { create: [{ itemId, locationId }] });
      ledger.setReorderPoint(itemId, locationId, reorderPoint);
      const { levels } = await ledger.commit();
      return { stockLevel: levels.get(levelKey(itemId, locationId))!, movement: null, userErrors: [] };
    }));
    this.onCommitted();
    return result;
  }
}

/** A filter naming a malformed id matches nothing. */
const validFilter = (filter: MovementFilter) => (!filter.itemId || isUuid(filter.itemId)) && (!filter.locationId || isUuid(filter.locationId));

function validateAdjust(input: AdjustStockInput, path: string[]): UserError | null {
  return (
    checkQuantity(input.delta, [...path, 'delta'], { allowNegative: true }) ??
    (ADJUST_REASONS.has(input.reason) ? null : reasonError(input.reason, [...path, 'reason'])) ??
    (input.changeFromQuantity != null ? checkQuantity(input.changeFromQuantity, [...path, 'changeFromQuantity'], { min: 0 }) : null) ??
    checkReference(input.reference, [...path, 'reference'])
  );
}

function reasonError(reason: string, field: string[]): UserError {
  return userError(
    UserErrorCode.InvalidInput,
    `reason ${reason} is recorded by reservations, fulfillment and transfers; use one of ${[...ADJUST_REASONS].join(', ')}`,
    field,
  );
}

/** QUANTITY_STALE with the current onHand when compare-and-set does not match. */
function checkStale(level: StockLevelRecord | undefined, expected: number | null | undefined, field: string[], itemId: string): UserError | null {
  if (expected == null) return null;
  const current = level?.onHand ?? 0;
  return current === expected
    ? null
    : userError(UserErrorCode.QuantityStale, `changeFromQuantity is ${expected} but onHand is ${current}`, field, { itemId, current });
}
