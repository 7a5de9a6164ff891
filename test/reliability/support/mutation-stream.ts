import pg from 'pg';
import type { GraphQLResponse } from '@stockline/testkit';

export const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { stockLevel { onHand } movement { id } userErrors { code } } }`;
export const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code } } }`;
const ADDRESS = { name: 'Ada', line1: '1 Main St', city: 'London', postalCode: 'SW1', country: 'GB' };

/** What one attempt came to: `ok` (acknowledged), `refused` (an answer with an error code), `lost` (no answer within the bound). */
export interface Outcome {
  kind: 'ok' | 'refused' | 'lost';
  /** The error code of a refusal; the error's message for a lost answer. */
  code?: string;
  /** HTTP status, when there was an answer. */
  status?: number;
  ms: number;
  /** The acknowledged movement or order id. */
  id?: string;
}

/** One change of the stream: its idempotency key (also the movement's reference or the order's e-mail) and its request. */
export interface StreamRequest {
  key: string;
  op: 'adjustStock' | 'placeOrder';
  variables: Record<string, unknown>;
  /** Every attempt, in order. */
  attempts: Outcome[];
  delta?: number;
  quantity?: number;
  itemId: string;
}

/**
 * POSTs one operation and gives up after `timeoutMs` (a lost answer, never a hang): the bound within
 * which the platform must answer, even while its database is gone or slow.
 */
export async function sendBounded(url: string, token: string, query: string, variables: Record<string, unknown>, timeoutMs: number): Promise<{ answer?: GraphQLResponse; outcome: Outcome }> {
  const started = Date.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: any; errors?: GraphQLResponse['errors'] };
    const answer: GraphQLResponse = { status: response.status, data: body.data ?? undefined, errors: body.errors };
    return { answer, outcome: classify(answer, Date.now() - started) };
  } catch (error) {
    return { outcome: { kind: 'lost', code: (error as Error).name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : (error as Error).message, ms: Date.now() - started } };
  }
}

function classify(answer: GraphQLResponse, ms: number): Outcome {
  const payload = answer.data?.adjustStock ?? answer.data?.placeOrder;
  const codes = [...(answer.errors ?? []).map((e) => String(e.extensions?.code)), ...((payload?.userErrors ?? []) as { code: string }[]).map((e) => e.code)];
  if (codes.length) return { kind: 'refused', code: codes.join(','), status: answer.status, ms };
  const id = payload?.movement?.id ?? payload?.order?.id;
  if (!id) return { kind: 'refused', code: `NO_PAYLOAD(${answer.status})`, status: answer.status, ms };
  return { kind: 'ok', status: answer.status, ms, id };
}

/**
 * A stream of adjustStock (3 of 4, delta +2 or −1, reference = key) and placeOrder (1 of 4, one line of
 * one unit, customerEmail = key@…) with an idempotency key each, over `itemIds` at `locationId`.
 */
export function createMutationStream({ url, token, itemIds, locationId, prefix }: { url: string; token: string; itemIds: string[]; locationId: string; prefix: string }) {
  const requests: StreamRequest[] = [];
  const make = (n: number): StreamRequest => {
    const key = `${prefix}-${n}`;
    const itemId = itemIds[n % itemIds.length]!;
    if (n % 4 === 3) {
      return { key, op: 'placeOrder', itemId, quantity: 1, attempts: [], variables: { input: { lines: [{ itemId, quantity: 1 }], shippingAddress: ADDRESS, customerEmail: `${key}@reliability.test`, idempotencyKey: key } } };
    }
    const delta = n % 2 ? 2 : -1;
    return { key, op: 'adjustStock', itemId, delta, attempts: [], variables: { input: { itemId, locationId, delta, reason: 'CORRECTION', reference: key, idempotencyKey: key } } };
  };
  const send = async (request: StreamRequest, timeoutMs: number) => {
    const { outcome } = await sendBounded(url, token, request.op === 'adjustStock' ? ADJUST : PLACE, request.variables, timeoutMs);
    request.attempts.push(outcome);
    return outcome;
  };
  return {
    requests,
    send,
    /** `clients` concurrent senders, back to back, until `stop()` is true or `max` requests were made. */
    async run({ clients, stop, max, timeoutMs, onAnswer, pauseAfterRefusalMs = 0 }: {
      clients: number; stop: () => boolean; max: number; timeoutMs: number; onAnswer?: (request: StreamRequest, outcome: Outcome) => void;
      /** A client's pause after an answer that was not an acknowledgement, as a real client backs off. */
      pauseAfterRefusalMs?: number;
    }) {
      await Promise.all(Array.from({ length: clients }, async () => {
        while (!stop() && requests.length < max) {
          const request = make(requests.length);
          requests.push(request);
          const outcome = await send(request, timeoutMs);
          onAnswer?.(request, outcome);
          if (outcome.kind !== 'ok' && pauseAfterRefusalMs) await new Promise((resolve) => setTimeout(resolve, pauseAfterRefusalMs));
        }
      }));
    },
    /**
     * Sends every request whose last attempt was not acknowledged again, with the same key, until it is
     * (at most `attempts` rounds, `pauseMs` apart). Returns those still not acknowledged.
     */
    async retryUnacknowledged({ attempts = 10, pauseMs = 500, timeoutMs }: { attempts?: number; pauseMs?: number; timeoutMs: number }) {
      for (let round = 0; round < attempts; round++) {
        const pending = requests.filter((r) => r.attempts.at(-1)?.kind !== 'ok');
        if (!pending.length) return [];
        for (const r of pending) await send(r, timeoutMs);
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
      return requests.filter((r) => r.attempts.at(-1)?.kind !== 'ok');
    },
  };
}

/**
 * What the database holds for each key of the stream: movements whose reference is the key, orders
 * whose e-mail is the key's; and orders whose status disagrees with their lines' reservations (a
 * RESERVED order must hold an ACTIVE reservation of its quantity per line, a FAILED or CANCELLED one none).
 */
export async function streamEffects(databaseUrl: string, tenantId: string) {
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const movements = await sql.query(`SELECT reference, count(*)::int AS n FROM inventory.stock_movements WHERE tenant_id = $1 AND reference IS NOT NULL GROUP BY reference`, [tenantId]);
    const orders = await sql.query(`SELECT split_part(customer_email, '@', 1) AS key, count(*)::int AS n, min(status::text) AS status FROM orders.orders WHERE tenant_id = $1 GROUP BY 1`, [tenantId]);
    const disagreeing = await sql.query(
      `SELECT o.id, o.status::text AS status, l.quantity, r.status::text AS reservation_status, r.quantity AS reserved
       FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id AND l.tenant_id = o.tenant_id
       LEFT JOIN inventory.reservations r ON r.id = l.reservation_id AND r.tenant_id = o.tenant_id
       WHERE o.tenant_id = $1 AND NOT (
         (o.status = 'RESERVED' AND r.status = 'ACTIVE' AND r.quantity = l.quantity) OR
         (o.status IN ('FAILED', 'CANCELLED') AND (r.id IS NULL OR r.status <> 'ACTIVE')))`,
      [tenantId],
    );
    const pending = await sql.query(`SELECT count(*)::int AS n FROM orders.orders WHERE tenant_id = $1 AND status = 'PENDING'`, [tenantId]);
    return {
      movementsByKey: new Map<string, number>(movements.rows.map((r) => [r.reference, r.n])),
      ordersByKey: new Map<string, { n: number; status: string }>(orders.rows.map((r) => [r.key, { n: r.n, status: r.status }])),
      disagreeingOrders: disagreeing.rows,
      pendingOrders: pending.rows[0].n as number,
    };
  } finally {
    await sql.end();
  }
}
