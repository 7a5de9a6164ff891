import { randomBytes } from 'node:crypto';

/** One request a client made, with what it finally saw. */
export interface BankRequest {
  op: 'adjust' | 'transfer' | 'reserve' | 'release' | 'place' | 'fulfill' | 'cancel';
  /** The idempotency key (also the reference written on the movement / reservation), or the target id. */
  key: string;
  /** Every attempt's failure (HTTP or GraphQL error code), in order. */
  failures: string[];
  /** 'ok', a user error code, or 'gave-up' when the retry budget ran out. */
  outcome: string;
  /** What the success names: a movement, reservation, order or shipment id. */
  id?: string;
  /** For the order ops: the order's id. */
  orderId?: string;
}

export interface BankWorld {
  itemIds: string[];
  locationIds: string[];
}

const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { movement { id } userErrors { code } } }`;
const TRANSFER = `mutation($input: TransferStockInput!) { transferStock(input: $input) { from { onHand } to { onHand } userErrors { code } } }`;
const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } userErrors { code } } }`;
const RELEASE = `mutation($id: ID!) { releaseReservation(id: $id) { reservation { id status } userErrors { code } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status lines { id quantity } } userErrors { code } } }`;
const FULFILL = `mutation($input: FulfillOrderInput!) { fulfillOrder(input: $input) { shipment { id } userErrors { code } } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id, reason: "bank chaos") { order { id status } userErrors { code } } }`;
const ADDRESS = { name: 'Ada', line1: '1 Main St', city: 'London', postalCode: 'SW1', country: 'GB' };

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  payload?: { userErrors: { code: string }[]; [k: string]: any };
  failure?: string;
}

/** One attempt: the mutation's payload, or why there is none (HTTP status, GraphQL code, network error). */
async function attempt(url: string, token: string, field: string, query: string, variables: Record<string, unknown>): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(20_000),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] };
    const payload = body.data?.[field];
    if (payload && !body.errors?.length) return { payload };
    // An internal error is a defect whatever the fault: keep its message to say where it comes from.
    const code = (e: { message: string; extensions?: { code?: string } }) => (e.extensions?.code === 'INTERNAL_SERVER_ERROR' ? `INTERNAL_SERVER_ERROR(${field}: ${e.message.slice(0, 200)})` : e.extensions?.code);
    return { failure: `${response.status}:${body.errors?.map(code).join(',') ?? 'no-data'}` };
  } catch (error) {
    return { failure: `network:${(error as Error).name}` };
  }
}

/**
 * Jepsen's bank workload on the stock ledger: `clients` concurrent clients, until `until`, each making
 * random adjustments, transfers, reservations (and releases), orders (and fulfilments, cancellations)
 * of `world`'s items. A request that fails (no answer, an error instead of a payload) is retried with
 * the same input and idempotency key until it is answered or `giveUpAt` passes.
 */
export async function runBankClients({ url, token, world, clients, until, giveUpAt }: { url: string; token: string; world: BankWorld; clients: number; until: number; giveUpAt: number }): Promise<BankRequest[]> {
  const requests: BankRequest[] = [];

  const send = async (request: BankRequest, field: string, query: string, variables: Record<string, unknown>) => {
    requests.push(request);
    while (Date.now() < giveUpAt) {
      const answer = await attempt(url, token, field, query, variables);
      if (answer.payload) {
        const codes = answer.payload.userErrors.map((e) => e.code);
        request.outcome = codes.length ? codes.join(',') : 'ok';
        return answer.payload;
      }
      request.failures.push(answer.failure!);
      await sleep(between(100, 400));
    }
    request.outcome = 'gave-up';
    return null;
  };

  const client = async (c: number) => {
    const reservations: string[] = [];
    const orders: { id: string; lines: { id: string; quantity: number }[] }[] = [];
    for (let n = 0; Date.now() < until; n++) {
      const key = `bank-${c}-${n}-${randomBytes(3).toString('hex')}`;
      const itemId = pick(world.itemIds);
      const locationId = pick(world.locationIds);
      // A client with orders works on them often (fulfil, cancel): few requests get done under chaos.
      const roll = orders.length && Math.random() < 0.4 ? (Math.random() < 0.75 ? 0.9 : 0.97) : Math.random() * 0.85;
      if (roll < 0.25) {
        const delta = pick([-3, -2, -1, 1, 2, 3]);
        const request: BankRequest = { op: 'adjust', key, failures: [], outcome: '' };
        const p = await send(request, 'adjustStock', ADJUST, {
          input: { itemId, locationId, delta, reason: delta > 0 ? 'RECEIVED' : 'DAMAGED', reference: key, idempotencyKey: key },
        });
        if (p?.movement) request.id = p.movement.id;
      } else if (roll < 0.45) {
        const toLocationId = pick(world.locationIds.filter((l) => l !== locationId));
        await send({ op: 'transfer', key, failures: [], outcome: '' }, 'transferStock', TRANSFER, {
          input: { itemId, fromLocationId: locationId, toLocationId, quantity: between(1, 3), reference: key, idempotencyKey: key },
        });
      } else if (roll < 0.6) {
        const request: BankRequest = { op: 'reserve', key, failures: [], outcome: '' };
        const p = await send(request, 'reserveStock', RESERVE, { input: { itemId, locationId, quantity: between(1, 3), reference: key, idempotencyKey: key } });
        if (p?.reservation) reservations.push((request.id = p.reservation.id));
      } else if (roll < 0.65 && reservations.length) {
        const id = reservations.splice(between(0, reservations.length - 1), 1)[0]!;
        await send({ op: 'release', key: id, id, failures: [], outcome: '' }, 'releaseReservation', RELEASE, { id });
      } else if (roll < 0.85) {
        const request: BankRequest = { op: 'place', key, failures: [], outcome: '' };
        const lines = [{ itemId, locationId, quantity: between(1, 3) }];
        if (Math.random() < 0.4) lines.push({ itemId: pick(world.itemIds.filter((i) => i !== itemId)), locationId: pick(world.locationIds), quantity: between(1, 2) });
        const p = await send(request, 'placeOrder', PLACE, { input: { lines, shippingAddress: ADDRESS, idempotencyKey: key } });
        if (p?.order) {
          request.id = request.orderId = p.order.id;
          orders.push({ id: p.order.id, lines: p.order.lines });
        }
      } else if (roll < 0.95 && orders.length) {
        const order = pick(orders);
        const request: BankRequest = { op: 'fulfill', key, orderId: order.id, failures: [], outcome: '' };
        // Half the time the first line's first unit only (a partial fulfilment), else everything left.
        const lines = Math.random() < 0.5 ? [{ orderLineId: order.lines[0]!.id, quantity: 1 }] : undefined;
        const p = await send(request, 'fulfillOrder', FULFILL, { input: { orderId: order.id, lines, carrier: 'UPS', trackingNumber: key, idempotencyKey: key } });
        if (p?.shipment) request.id = p.shipment.id;
      } else if (orders.length) {
        const order = orders.splice(between(0, orders.length - 1), 1)[0]!;
        await send({ op: 'cancel', key: order.id, orderId: order.id, id: order.id, failures: [], outcome: '' }, 'cancelOrder', CANCEL, { id: order.id });
      }
    }
  };

  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  return requests;
}

/** Counts by outcome and by failure, for the test's messages and the docs. */
export function summarize(requests: BankRequest[]) {
  const count = (xs: string[]) => Object.fromEntries([...xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1]));
  return {
    requests: requests.length,
    outcomes: count(requests.map((r) => `${r.op}:${r.outcome}`)),
    retried: requests.filter((r) => r.failures.length > 0).length,
    failures: count(requests.flatMap((r) => r.failures)),
  };
}
