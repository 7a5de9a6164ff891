import { randomUUID } from 'node:crypto';
import { Topic, type DomainEvent } from '@stockline/events';

/** One ledger line of the scripted history: what the ledger says, the truth reports are checked against. */
export interface Movement {
  tenantId: string;
  itemId: string;
  locationId: string;
  reason: string;
  onHandDelta: number;
  reservedDelta: number;
  onHandAfter: number;
  reservedAfter: number;
  reorderPoint: number | null;
  at: Date;
}

export interface ScriptedTenant {
  tenantId: string;
  items: { id: string; sku: string; categoryId: string; archived: boolean }[];
  categories: string[];
  locations: string[];
  movements: Movement[];
  /** Final levels by `${itemId}/${locationId}`. */
  levels: Map<string, { itemId: string; locationId: string; onHand: number; reserved: number; reorderPoint: number | null }>;
}

export interface ScriptedHistory {
  start: Date;
  days: number;
  tenants: ScriptedTenant[];
  /** Every event in log order (pos), tenants interleaved. */
  events: DomainEvent[];
}

/** A small deterministic PRNG (mulberry32), so a failing history can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

/**
 * A 60-day history per tenant — receipts, reservations and releases, shipments, corrections, damage,
 * returns, transfers, a quiet stretch with no movement, a re-categorised and an archived item — as the
 * DomainEvents inventory would publish (payloads as in stock-ledger.ts / catalog.service.ts), with
 * event times spread over the 60 days.
 */
export function scriptHistory({ tenantIds, start = new Date('2026-01-05T00:00:00.000Z'), days = 60, seed = 7, itemsPerTenant = 8 }: {
  tenantIds: string[];
  start?: Date;
  days?: number;
  seed?: number;
  itemsPerTenant?: number;
}): ScriptedHistory {
  const random = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const qty = (max: number) => 1 + Math.floor(random() * max);
  const events: DomainEvent[] = [];
  const seqs = new Map<string, number>();
  let pos = 0;
  const emit = (tenantId: string, type: Topic, at: Date, payload: Record<string, unknown>) => {
    const seq = (seqs.get(tenantId) ?? 0) + 1;
    seqs.set(tenantId, seq);
    events.push({ id: randomUUID(), stream: 'inventory', tenantId, seq, pos: ++pos, type, occurredAt: at.toISOString(), payload });
  };

  const tenants: ScriptedTenant[] = tenantIds.map((tenantId) => ({
    tenantId,
    categories: [randomUUID(), randomUUID()],
    locations: [randomUUID(), randomUUID(), randomUUID()],
    items: [],
    movements: [],
    levels: new Map(),
  }));
  const itemVersion = new Map<string, number>();
  const describe = (t: ScriptedTenant, item: ScriptedTenant['items'][number], at: Date, created: boolean) => {
    const version = (itemVersion.get(item.id) ?? 0) + 1;
    itemVersion.set(item.id, version);
    emit(t.tenantId, Topic.ItemChanged, at, {
      itemId: item.id, sku: item.sku, name: `Item ${item.sku}`, description: null, categoryId: item.categoryId,
      version, archived: item.archived, created, occurredAt: at.toISOString(),
    });
  };
  const move = (t: ScriptedTenant, itemId: string, locationId: string, reason: string, onHandDelta: number, reservedDelta: number, at: Date) => {
    if (onHandDelta === 0 && reservedDelta === 0) return false;
    const key = `${itemId}/${locationId}`;
    const level = t.levels.get(key) ?? { itemId, locationId, onHand: 0, reserved: 0, reorderPoint: null };
    const onHand = level.onHand + onHandDelta;
    const reserved = level.reserved + reservedDelta;
    if (onHand < 0 || reserved < 0 || onHand - reserved < 0) return false;
    level.onHand = onHand;
    level.reserved = reserved;
    t.levels.set(key, level);
    t.movements.push({ tenantId: t.tenantId, itemId, locationId, reason, onHandDelta, reservedDelta, onHandAfter: onHand, reservedAfter: reserved, reorderPoint: level.reorderPoint, at });
    emit(t.tenantId, Topic.StockChanged, at, {
      movementId: randomUUID(), itemId, locationId, reason, onHand, reserved, available: onHand - reserved, onHandDelta, reservedDelta,
      reorderPoint: level.reorderPoint, reference: null, reservationId: null, actorId: 'script', occurredAt: at.toISOString(),
    });
    if (level.reorderPoint !== null && onHand - reserved < level.reorderPoint && onHand - reserved - (onHandDelta - reservedDelta) >= level.reorderPoint) {
      emit(t.tenantId, Topic.LowStock, at, { itemId, locationId, onHand, reserved, available: onHand - reserved, reorderPoint: level.reorderPoint, occurredAt: at.toISOString() });
    }
    return true;
  };

  // Day 0: the catalog and opening receipts (reorder points on some levels).
  for (const t of tenants) {
    for (let i = 0; i < itemsPerTenant; i++) {
      const item = { id: randomUUID(), sku: `${t.tenantId.slice(0, 4)}-${i}`, categoryId: t.categories[i % 2], archived: false };
      t.items.push(item);
      describe(t, item, new Date(start.getTime() + 60_000 * i), true);
      for (const locationId of t.locations.slice(0, 1 + (i % 3))) {
        t.levels.set(`${item.id}/${locationId}`, { itemId: item.id, locationId, onHand: 0, reserved: 0, reorderPoint: i % 2 === 0 ? 20 : null });
        move(t, item.id, locationId, 'RECEIVED', 20 + qty(60), 0, new Date(start.getTime() + 3_600_000 + 60_000 * i));
      }
    }
  }
  // Days 1..days-1: a few operations a day, tenants interleaved; days 20-24 are quiet.
  for (let day = 1; day < days; day++) {
    if (day >= 20 && day <= 24) continue;
    for (let k = 0; k < 12; k++) {
      const at = new Date(start.getTime() + day * DAY + 7 * 3_600_000 + k * 37 * 60_000 + Math.floor(random() * 60_000));
      const t = pick(tenants);
      const levels = [...t.levels.values()];
      const level = pick(levels);
      const { itemId, locationId } = level;
      const r = random();
      if (r < 0.15) move(t, itemId, locationId, 'RECEIVED', qty(40), 0, at);
      else if (r < 0.35) move(t, itemId, locationId, 'RESERVED', 0, Math.min(qty(8), level.onHand - level.reserved), at);
      else if (r < 0.42) level.reserved > 0 && move(t, itemId, locationId, 'RELEASED', 0, -Math.min(level.reserved, qty(4)), at);
      else if (r < 0.7) {
        const q = Math.min(level.reserved, qty(8));
        if (q > 0) move(t, itemId, locationId, 'SHIPPED', -q, -q, at);
      } else if (r < 0.78) move(t, itemId, locationId, 'CORRECTION', random() < 0.5 ? -Math.min(qty(3), level.onHand - level.reserved) : qty(3), 0, at);
      else if (r < 0.83) move(t, itemId, locationId, 'DAMAGED', -Math.min(qty(2), level.onHand - level.reserved), 0, at);
      else if (r < 0.88) move(t, itemId, locationId, 'RETURNED', qty(3), 0, at);
      else {
        const to = pick(t.locations.filter((l) => l !== locationId));
        const q = Math.min(qty(10), level.onHand - level.reserved);
        if (q > 0 && move(t, itemId, locationId, 'TRANSFER_OUT', -q, 0, at)) {
          if (!t.levels.has(`${itemId}/${to}`)) t.levels.set(`${itemId}/${to}`, { itemId, locationId: to, onHand: 0, reserved: 0, reorderPoint: null });
          move(t, itemId, to, 'TRANSFER_IN', q, 0, at);
        }
      }
    }
    if (day === 30) {
      // An item changes category; another is archived.
      for (const t of tenants) {
        const moved = t.items[1];
        moved.categoryId = t.categories[0];
        describe(t, moved, new Date(start.getTime() + day * DAY + 20 * 3_600_000), false);
        const archived = t.items[t.items.length - 1];
        archived.archived = true;
        describe(t, archived, new Date(start.getTime() + day * DAY + 20 * 3_600_000 + 1000), false);
      }
    }
  }
  return { start, days, tenants, events };
}
