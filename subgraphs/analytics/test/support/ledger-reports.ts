import type { Movement, ScriptedTenant } from './history.ts';

/**
 * The reports computed straight from the scripted ledger, without SQL: what every figure of the
 * analytics store must equal.
 */
const DAY = 86_400_000;

export function bucketStart(at: Date, interval: 'DAY' | 'WEEK' | 'MONTH'): Date {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (interval === 'WEEK') return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY);
  if (interval === 'MONTH') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  return d;
}

function nextBucket(at: Date, interval: 'DAY' | 'WEEK' | 'MONTH'): Date {
  if (interval === 'MONTH') return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return new Date(at.getTime() + (interval === 'WEEK' ? 7 : 1) * DAY);
}

const itemCategory = (t: ScriptedTenant) => new Map(t.items.map((i) => [i.id, i.categoryId]));

function inScope(t: ScriptedTenant, m: Movement, f: { itemId?: string; categoryId?: string; locationId?: string }) {
  return (!f.itemId || m.itemId === f.itemId) && (!f.locationId || m.locationId === f.locationId) && (!f.categoryId || itemCategory(t).get(m.itemId) === f.categoryId);
}

export function expectedTimeseries(t: ScriptedTenant, q: { from: Date; to: Date; interval: 'DAY' | 'WEEK' | 'MONTH'; itemId?: string; categoryId?: string; locationId?: string }) {
  const moves = t.movements.filter((m) => inScope(t, m, q));
  const points = [];
  for (let b = bucketStart(q.from, q.interval); b < q.to; b = nextBucket(b, q.interval)) {
    const lo = Math.max(b.getTime(), q.from.getTime());
    const hi = Math.min(nextBucket(b, q.interval).getTime(), q.to.getTime());
    const inBucket = moves.filter((m) => m.at.getTime() >= lo && m.at.getTime() < hi);
    const sum = (pick: (m: Movement) => number) => inBucket.reduce((s, m) => s + pick(m), 0);
    points.push({
      at: b.toISOString(),
      onHand: moves.filter((m) => m.at.getTime() < hi).reduce((s, m) => s + m.onHandDelta, 0),
      received: sum((m) => (m.reason === 'RECEIVED' ? m.onHandDelta : 0)),
      shipped: sum((m) => (m.reason === 'SHIPPED' ? -m.onHandDelta : 0)),
      adjusted: sum((m) => (m.reason !== 'RECEIVED' && m.reason !== 'SHIPPED' ? m.onHandDelta : 0)),
    });
  }
  return points;
}

export function expectedSummary(t: ScriptedTenant, f: { locationId?: string; categoryId?: string }) {
  const items = t.items.filter((i) => !i.archived && (!f.categoryId || i.categoryId === f.categoryId));
  let itemCount = 0, unitsOnHand = 0, unitsReserved = 0, outOfStockCount = 0, belowReorderPointCount = 0;
  for (const item of items) {
    const levels = [...t.levels.values()].filter((l) => l.itemId === item.id && (!f.locationId || l.locationId === f.locationId));
    if (f.locationId && levels.length === 0) continue;
    itemCount++;
    const onHand = levels.reduce((s, l) => s + l.onHand, 0);
    const reserved = levels.reduce((s, l) => s + l.reserved, 0);
    unitsOnHand += onHand;
    unitsReserved += reserved;
    if (onHand - reserved <= 0) outOfStockCount++;
    if (levels.some((l) => l.reorderPoint !== null && l.onHand - l.reserved < l.reorderPoint)) belowReorderPointCount++;
  }
  return { itemCount, unitsOnHand, unitsReserved, outOfStockCount, belowReorderPointCount };
}

export function expectedMovementStats(t: ScriptedTenant, q: { from: Date; to: Date }) {
  const stats = new Map<string, { itemId: string; unitsShipped: number; unitsReceived: number }>();
  for (const m of t.movements) {
    if (m.at < q.from || m.at >= q.to) continue;
    const s = stats.get(m.itemId) ?? { itemId: m.itemId, unitsShipped: 0, unitsReceived: 0 };
    if (m.reason === 'SHIPPED') s.unitsShipped -= m.onHandDelta;
    if (m.reason === 'RECEIVED') s.unitsReceived += m.onHandDelta;
    stats.set(m.itemId, s);
  }
  return [...stats.values()]
    .filter((s) => s.unitsShipped !== 0 || s.unitsReceived !== 0)
    .sort((a, b) => b.unitsShipped - a.unitsShipped || b.unitsReceived - a.unitsReceived || (a.itemId < b.itemId ? -1 : 1));
}

export function expectedAbc(t: ScriptedTenant, q: { from: Date; to: Date }) {
  const shipped = expectedMovementStats(t, q).filter((s) => s.unitsShipped > 0).sort((a, b) => b.unitsShipped - a.unitsShipped || (a.itemId < b.itemId ? -1 : 1));
  const total = shipped.reduce((s, x) => s + x.unitsShipped, 0);
  let before = 0;
  return shipped.map((s) => {
    const cls = before * 100 < total * 80 ? 'A' : before * 100 < total * 95 ? 'B' : 'C';
    before += s.unitsShipped;
    return { itemId: s.itemId, unitsShipped: s.unitsShipped, class: cls };
  });
}

export function expectedAvailable(t: ScriptedTenant, itemId: string) {
  return [...t.levels.values()].filter((l) => l.itemId === itemId).reduce((s, l) => s + l.onHand - l.reserved, 0);
}

export function expectedDeadStock(t: ScriptedTenant, q: { now: Date; days: number }) {
  const archived = new Set(t.items.filter((i) => i.archived).map((i) => i.id));
  const last = new Map<string, number>();
  for (const m of t.movements) last.set(m.itemId, Math.max(last.get(m.itemId) ?? 0, m.at.getTime()));
  const onHand = new Map<string, number>();
  for (const l of t.levels.values()) onHand.set(l.itemId, (onHand.get(l.itemId) ?? 0) + l.onHand);
  return [...onHand]
    .filter(([id, units]) => units > 0 && !archived.has(id) && last.get(id)! <= q.now.getTime() - q.days * DAY)
    .map(([id, units]) => ({ itemId: id, onHand: units, lastMovementAt: new Date(last.get(id)!).toISOString() }))
    .sort((a, b) => (a.lastMovementAt < b.lastMovementAt ? -1 : a.lastMovementAt > b.lastMovementAt ? 1 : a.itemId < b.itemId ? -1 : 1));
}
