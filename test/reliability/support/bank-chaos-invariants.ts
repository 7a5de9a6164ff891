import pg from 'pg';
import type { BankRequest } from './bank-chaos-workload.ts';
import { brokenLevels, levelChecks } from './invariants.ts';

interface LineRow {
  order_id: string; status: string; line_id: string; quantity: number; fulfilled_quantity: number; shipped: number;
  reservation_id: string | null; r_status: string | null; r_quantity: number | null; r_consumed: number | null;
}

async function query<T>(databaseUrl: string, text: string, values: unknown[]): Promise<T[]> {
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    return (await sql.query(text, values)).rows as T[];
  } finally {
    await sql.end();
  }
}

/** Whether the platform has settled: no saga running, no shipment pending, every outbox row published. */
export async function unsettled(databaseUrl: string, tenantId: string) {
  const [row] = await query<{ sagas: number; shipments: number; outbox: number }>(
    databaseUrl,
    `SELECT (SELECT count(*) FROM orders.sagas WHERE tenant_id = $1 AND status = 'RUNNING')::int AS sagas,
            (SELECT count(*) FROM orders.shipments WHERE tenant_id = $1 AND status = 'PENDING')::int AS shipments,
            ((SELECT count(*) FROM orders.outbox_events WHERE published_at IS NULL) + (SELECT count(*) FROM inventory.outbox_events WHERE published_at IS NULL))::int AS outbox`,
    [tenantId],
  );
  return row!;
}

/** Why an order's status disagrees with its lines' reservations and shipments (empty: it agrees). */
function orderProblems(status: string, lines: LineRow[]): string[] {
  const problems: string[] = [];
  for (const l of lines) {
    if (l.shipped !== l.fulfilled_quantity) problems.push(`line ${l.line_id}: fulfilled ${l.fulfilled_quantity}, shipped ${l.shipped}`);
    if (l.reservation_id) {
      if (l.r_status === null) problems.push(`line ${l.line_id}: reservation ${l.reservation_id} does not exist`);
      else if (l.r_quantity !== l.quantity || l.r_consumed !== l.fulfilled_quantity) problems.push(`line ${l.line_id}: ${l.quantity} ordered, ${l.fulfilled_quantity} fulfilled, reservation of ${l.r_quantity} with ${l.r_consumed} consumed`);
    }
  }
  const complete = (l: LineRow) => l.fulfilled_quantity === l.quantity;
  const expectReservation = (l: LineRow, want: string) => l.r_status !== want && problems.push(`${status} order, line ${l.line_id} (${l.fulfilled_quantity}/${l.quantity}): reservation ${l.r_status ?? 'missing'}, expected ${want}`);
  switch (status) {
    case 'RESERVED':
      for (const l of lines) (expectReservation(l, 'ACTIVE'), l.fulfilled_quantity && problems.push(`RESERVED order with line ${l.line_id} fulfilled`));
      break;
    case 'PARTIALLY_FULFILLED':
      if (!lines.some((l) => l.fulfilled_quantity > 0) || lines.every(complete)) problems.push('PARTIALLY_FULFILLED but nothing or everything fulfilled');
      for (const l of lines) expectReservation(l, complete(l) ? 'CONSUMED' : 'ACTIVE');
      break;
    case 'FULFILLED':
      for (const l of lines) (expectReservation(l, 'CONSUMED'), !complete(l) && problems.push(`FULFILLED order with line ${l.line_id} at ${l.fulfilled_quantity}/${l.quantity}`));
      break;
    case 'CANCELLED':
      for (const l of lines) if (l.reservation_id) expectReservation(l, complete(l) ? 'CONSUMED' : 'RELEASED');
      break;
    case 'FAILED':
      for (const l of lines) {
        if (l.r_status === 'ACTIVE') problems.push(`FAILED order holds reservation ${l.reservation_id}`);
        if (l.fulfilled_quantity) problems.push(`FAILED order with line ${l.line_id} fulfilled`);
      }
      break;
    default:
      problems.push(`status ${status} after every saga finished`);
  }
  return problems;
}

/**
 * The bank test's end state, read with SQL from both services' tables (one database, a schema each):
 * every broken invariant, as a sentence. Empty means: no level negative, every level its ledger's sum,
 * reserved = what active holds hold, every order's status agrees with its reservations and shipments,
 * no hold left behind by an order, and every request a client saw succeed is there (once).
 */
export async function bankViolations(databaseUrl: string, tenantId: string, requests: BankRequest[]): Promise<string[]> {
  const violations: string[] = [];
  for (const l of brokenLevels(await levelChecks(databaseUrl, tenantId))) violations.push(`level ${JSON.stringify(l)}`);

  const lines = await query<LineRow>(
    databaseUrl,
    `SELECT o.id AS order_id, o.status::text AS status, l.id AS line_id, l.quantity, l.fulfilled_quantity, l.reservation_id,
            r.status::text AS r_status, r.quantity AS r_quantity, r.consumed_quantity AS r_consumed,
            COALESCE((SELECT sum(sl.quantity) FROM orders.shipment_lines sl JOIN orders.shipments s ON s.id = sl.shipment_id
                      WHERE sl.order_line_id = l.id AND s.status IN ('SHIPPED', 'DELIVERED')), 0)::int AS shipped
     FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id LEFT JOIN inventory.reservations r ON r.id = l.reservation_id
     WHERE o.tenant_id = $1 ORDER BY o.id, l.line_index, l.part`,
    [tenantId],
  );
  const byOrder = new Map<string, LineRow[]>();
  for (const l of lines) byOrder.set(l.order_id, [...(byOrder.get(l.order_id) ?? []), l]);
  for (const [id, rows] of byOrder) for (const p of orderProblems(rows[0]!.status, rows)) violations.push(`order ${id}: ${p}`);

  const orphans = await query<{ id: string; reference: string }>(
    databaseUrl,
    `SELECT r.id, r.reference FROM inventory.reservations r
     WHERE r.tenant_id = $1 AND r.status = 'ACTIVE'
       AND EXISTS (SELECT 1 FROM orders.orders o WHERE o.tenant_id = r.tenant_id AND o.id::text = r.reference)
       AND NOT EXISTS (SELECT 1 FROM orders.order_lines l WHERE l.reservation_id = r.id)`,
    [tenantId],
  );
  for (const o of orphans) violations.push(`reservation ${o.id} held for order ${o.reference} but no line of it says so`);

  // What each client saw, against what is stored. The reference of a movement or reservation is the request's key.
  const movements = new Map((await query<{ reference: string; n: number; ids: string[] }>(databaseUrl,
    `SELECT reference, count(*)::int AS n, array_agg(id::text) AS ids FROM inventory.stock_movements WHERE tenant_id = $1 AND reference LIKE 'bank-%' GROUP BY reference`, [tenantId])).map((r) => [r.reference, r]));
  const reservations = new Map((await query<{ reference: string; n: number; id: string; status: string }>(databaseUrl,
    `SELECT reference, count(*) OVER (PARTITION BY reference)::int AS n, id::text, status::text FROM inventory.reservations WHERE tenant_id = $1 AND reference LIKE 'bank-%'`, [tenantId])).map((r) => [r.reference, r]));
  const reservationStatus = new Map((await query<{ id: string; status: string }>(databaseUrl, `SELECT id::text, status::text FROM inventory.reservations WHERE tenant_id = $1`, [tenantId])).map((r) => [r.id, r.status]));
  const orderStatus = new Map([...byOrder].map(([id, rows]) => [id, rows[0]!.status]));
  const shipments = new Map((await query<{ id: string; status: string }>(databaseUrl, `SELECT id::text, status::text FROM orders.shipments WHERE tenant_id = $1`, [tenantId])).map((r) => [r.id, r.status]));

  for (const r of requests) {
    const ok = r.outcome === 'ok';
    const unknown = r.outcome === 'gave-up';
    const seen = `${r.op} ${r.key} (${r.outcome}${r.failures.length ? ` after ${r.failures.length} failures` : ''})`;
    if (r.op === 'adjust' || r.op === 'transfer') {
      const want = r.op === 'adjust' ? 1 : 2;
      const n = movements.get(r.key)?.n ?? 0;
      if (ok ? n !== want : unknown ? n !== 0 && n !== want : n !== 0) violations.push(`${seen}: ${n} movements`);
      if (ok && r.id && !movements.get(r.key)?.ids.includes(r.id)) violations.push(`${seen}: movement ${r.id} not in the ledger`);
    } else if (r.op === 'reserve') {
      const found = reservations.get(r.key);
      const n = found?.n ?? 0;
      if (ok ? n !== 1 || found!.id !== r.id : unknown ? n > 1 : n !== 0) violations.push(`${seen}: ${n} reservations`);
    } else if (r.op === 'release' && ok) {
      if (reservationStatus.get(r.key) !== 'RELEASED') violations.push(`${seen}: reservation is ${reservationStatus.get(r.key)}`);
    } else if (r.op === 'place' && ok) {
      if (!orderStatus.has(r.orderId!)) violations.push(`${seen}: order ${r.orderId} does not exist`);
    } else if (r.op === 'fulfill' && ok) {
      if (!['SHIPPED', 'DELIVERED'].includes(shipments.get(r.id!) ?? '')) violations.push(`${seen}: shipment ${r.id} is ${shipments.get(r.id!)}`);
    } else if (r.op === 'cancel' && ok) {
      if (orderStatus.get(r.orderId!) !== 'CANCELLED') violations.push(`${seen}: order is ${orderStatus.get(r.orderId!)}`);
    }
  }
  const placed = requests.filter((r) => r.op === 'place');
  const okIds = placed.filter((r) => r.outcome === 'ok').map((r) => r.orderId);
  if (new Set(okIds).size !== okIds.length) violations.push('two placeOrder requests answered with the same order');
  if (orderStatus.size > placed.length) violations.push(`${orderStatus.size} orders from ${placed.length} placeOrder requests`);
  return violations;
}
