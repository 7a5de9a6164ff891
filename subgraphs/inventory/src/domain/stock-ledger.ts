import { Topic } from '@stockline/events';
import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import type { LedgerEvent } from '../data/ledger.repository.ts';
import type { NewMovement } from '../data/movement.repository.ts';
import type { Repositories } from '../data/repositories.ts';
import type { SqlFragment } from '../data/sql.ts';
import type { LevelKey } from '../data/stock-level.repository.ts';
import type { Tx } from '../data/prisma.ts';
import type { MovementReason, MovementRecord, StockLevelRecord } from './records.ts';

export interface StockChange {
  itemId: string;
  locationId: string;
  reason: MovementReason;
  onHandDelta: number;
  reservedDelta: number;
  reference?: string | null;
  reservationId?: string | null;
}

export type ApplyOutcome = { ok: true; index: number } | { ok: false; error: UserError };

const keyOf = (itemId: string, locationId: string) => `${itemId}/${locationId}`;
export const availableOf = (level: Pick<StockLevelRecord, 'onHand' | 'reserved'>) => level.onHand - level.reserved;
const isBelow = (level: Pick<StockLevelRecord, 'onHand' | 'reserved' | 'reorderPoint'>) =>
  level.reorderPoint !== null && availableOf(level) < level.reorderPoint;

/**
 * One transaction's work on stock levels: lock them, apply changes in memory with the invariants
 * checked at every step, then write levels, ledger lines and outbox events (and the caller's reservations)
 * in one statement, so a hot level stays locked for that statement and COMMIT only.
 *
 * Invariants held at every step: onHand >= 0, reserved >= 0, available = onHand - reserved >= 0.
 * A change that would break one is refused with INSUFFICIENT_STOCK and what was available.
 */
export class StockLedger {
  private readonly levels = new Map<string, StockLevelRecord>();
  private readonly changesPerLevel = new Map<string, number>();
  private readonly pending: { movement: NewMovement; lowStock: boolean }[] = [];
  private readonly lowStockWithoutMovement: StockLevelRecord[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly repos: Pick<Repositories, 'levels' | 'ledger'>,
    private readonly tenantId: string,
    private readonly actorId: string,
  ) {}

  /**
   * Locks the levels of `keys` for the rest of the transaction. Levels in `create` that do not exist
   * yet are created empty first (only where a change may add stock, so refused changes leave no trace).
   */
  async lock(keys: LevelKey[], { create = [] }: { create?: LevelKey[] } = {}): Promise<void> {
    const repo = this.repos.levels;
    const wanted = dedupe(keys.concat(create)).filter((k) => !this.levels.has(keyOf(k.itemId, k.locationId)));
    if (wanted.length === 0) return;
    const toCreate = dedupe(create).filter((k) => !this.levels.has(keyOf(k.itemId, k.locationId)));
    const remember = (levels: StockLevelRecord[]) => levels.forEach((level) => this.levels.set(keyOf(level.itemId, level.locationId), { ...level }));
    if (wanted.length === 1) {
      // One level (adjust, set, reserve): lock it; create it only when it is missing (the rare case),
      // which saves a round trip on the hot path. Several levels are created first so that they are
      // all locked by one statement, in (item, location) order.
      remember(await repo.lock({ tenantId: this.tenantId, keys: wanted }, this.tx));
      if (this.levels.has(keyOf(wanted[0].itemId, wanted[0].locationId)) || toCreate.length === 0) return;
    }
    await repo.createMissing({ tenantId: this.tenantId, keys: toCreate }, this.tx);
    remember(await repo.lock({ tenantId: this.tenantId, keys: wanted }, this.tx));
  }

  /** Locks every existing level of `itemIds` in one statement; returns each item's locations. */
  async lockItems(itemIds: string[]): Promise<Map<string, string[]>> {
    const locations = new Map<string, string[]>(itemIds.map((id) => [id, []]));
    for (const level of await this.repos.levels.lockForItems({ tenantId: this.tenantId, itemIds }, this.tx)) {
      const key = keyOf(level.itemId, level.locationId);
      if (!this.levels.has(key)) this.levels.set(key, { ...level });
      locations.get(level.itemId)!.push(level.locationId);
    }
    return locations;
  }

  /** The level as changed so far in this transaction; undefined when it does not exist. */
  get(itemId: string, locationId: string): StockLevelRecord | undefined {
    return this.levels.get(keyOf(itemId, locationId));
  }

  /** Applies one change if every invariant holds after it; the level is left as it was otherwise. */
  apply(change: StockChange): ApplyOutcome {
    const level = this.get(change.itemId, change.locationId);
    if (!level) {
      return {
        ok: false,
        error: userError(UserErrorCode.InsufficientStock, `Item ${change.itemId} has no stock at location ${change.locationId}`, undefined, {
          itemId: change.itemId,
          available: 0,
        }),
      };
    }
    const onHand = level.onHand + change.onHandDelta;
    const reserved = level.reserved + change.reservedDelta;
    if (onHand < 0 || reserved < 0 || onHand - reserved < 0) {
      const available = availableOf(level);
      const wanted = Math.max(-change.onHandDelta, change.reservedDelta, 0);
      return {
        ok: false,
        error: userError(
          UserErrorCode.InsufficientStock,
          `Only ${available} available of item ${change.itemId} at location ${change.locationId}; ${wanted} needed`,
          undefined,
          { itemId: change.itemId, available },
        ),
      };
    }
    const wasBelow = isBelow(level);
    level.onHand = onHand;
    level.reserved = reserved;
    this.bump(level);
    this.pending.push({
      movement: {
        itemId: change.itemId,
        locationId: change.locationId,
        reason: change.reason,
        onHandDelta: change.onHandDelta,
        reservedDelta: change.reservedDelta,
        onHandAfter: onHand,
        reservedAfter: reserved,
        reference: change.reference ?? null,
        reservationId: change.reservationId ?? null,
        actorId: this.actorId,
      },
      lowStock: !wasBelow && isBelow(level),
    });
    return { ok: true, index: this.pending.length - 1 };
  }

  /** Sets (or clears, with null) a level's reorder point; a level newly below it raises LowStock. */
  setReorderPoint(itemId: string, locationId: string, reorderPoint: number | null): void {
    const level = this.get(itemId, locationId)!;
    const wasBelow = isBelow(level);
    level.reorderPoint = reorderPoint;
    this.bump(level);
    if (!wasBelow && isBelow(level)) this.lowStockWithoutMovement.push({ ...level });
  }

  /**
   * Writes everything applied, and `also` (more CTEs stamped with `at`, e.g. reservations), in one statement;
   * returns the ledger lines (in apply order) and the levels as stored.
   */
  async commit({ at = new Date(), also = [] }: { at?: Date; also?: SqlFragment[] } = {}): Promise<{ movements: MovementRecord[]; levels: Map<string, StockLevelRecord> }> {
    const keys = [...this.changesPerLevel.keys()];
    const changed = keys.map((k) => this.levels.get(k)!);
    const increments = keys.map((k) => this.changesPerLevel.get(k)!);
    const events: LedgerEvent[] = [];
    this.pending.forEach(({ movement, lowStock }, i) => {
      const level = this.levels.get(keyOf(movement.itemId, movement.locationId))!;
      events.push({ type: Topic.StockChanged, payload: stockChangedPayload(movement, level.reorderPoint, at), movement: i });
      if (lowStock) {
        events.push({ type: Topic.LowStock, payload: lowStockPayload({ ...level, onHand: movement.onHandAfter, reserved: movement.reservedAfter }, at), movement: null });
      }
    });
    for (const level of this.lowStockWithoutMovement) events.push({ type: Topic.LowStock, payload: lowStockPayload(level, at), movement: null });
    const ids = await this.repos.ledger.write(
      { tenantId: this.tenantId, at, levels: changed, increments, movements: this.pending.map((p) => p.movement), events, also },
      this.tx,
    );
    return this.preview(at, ids);
  }

  /**
   * What `commit({ at })` will answer: the levels were locked when read, so what is stored is what was read
   * plus the changes. Ledger line ids are known only once inserted ('' until then).
   */
  preview(at: Date, ids: string[] = []): { movements: MovementRecord[]; levels: Map<string, StockLevelRecord> } {
    const movements = this.pending.map(({ movement }, i): MovementRecord => ({ ...movement, id: ids[i] ?? '', tenantId: this.tenantId, occurredAt: at }));
    const stored = [...this.changesPerLevel.entries()].map(([k, changes]): StockLevelRecord => {
      const level = this.levels.get(k)!;
      return { ...level, version: level.version + changes, updatedAt: at };
    });
    return { movements, levels: new Map(stored.map((l) => [keyOf(l.itemId, l.locationId), l])) };
  }

  private bump(level: StockLevelRecord) {
    const key = keyOf(level.itemId, level.locationId);
    this.changesPerLevel.set(key, (this.changesPerLevel.get(key) ?? 0) + 1);
  }
}

function dedupe(keys: LevelKey[]): LevelKey[] {
  return [...new Map(keys.map((k) => [keyOf(k.itemId, k.locationId), k])).values()];
}

/** StockChanged of a ledger line; `movementId` is added by the statement that inserts the line. */
function stockChangedPayload(m: NewMovement, reorderPoint: number | null, at: Date) {
  return {
    itemId: m.itemId,
    locationId: m.locationId,
    reason: m.reason,
    onHand: m.onHandAfter,
    reserved: m.reservedAfter,
    available: m.onHandAfter - m.reservedAfter,
    onHandDelta: m.onHandDelta,
    reservedDelta: m.reservedDelta,
    reorderPoint,
    reference: m.reference,
    reservationId: m.reservationId,
    actorId: m.actorId,
    occurredAt: at.toISOString(),
  };
}

function lowStockPayload(level: StockLevelRecord, at: Date) {
  return {
    itemId: level.itemId,
    locationId: level.locationId,
    onHand: level.onHand,
    reserved: level.reserved,
    available: availableOf(level),
    reorderPoint: level.reorderPoint,
    occurredAt: new Date(at).toISOString(),
  };
}

export { keyOf as levelKey };
