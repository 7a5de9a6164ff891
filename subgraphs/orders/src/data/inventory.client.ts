import { signToken } from '@stockline/auth';
import {
  INVENTORY_API,
  InventoryRoute,
  type ConsumeRequest,
  type InventoryRequest,
  type InventoryReservation,
  type InventoryResponse,
  type ReleaseRequest,
  type ReservationsResponse,
  type ReserveLinesRequest,
  type ReserveLinesResponse,
} from '@stockline/internal-api';

export { InventoryRoute };
export type { ConsumeRequest, InventoryReservation, ReleaseRequest, ReservationsResponse, ReserveLinesRequest, ReserveLinesResponse };

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_BACKOFF_MS = 100;
/** Service tokens live 5 minutes and are reused for one. */
const TOKEN_TTL = '5m';
const TOKEN_REUSE_MS = 60_000;

/** On whose behalf a call is made: the token's tenant, and the user the ledger names. */
export interface InventoryCaller {
  tenantId: string;
  actorId: string;
}

/**
 * Inventory gave no business answer: unreachable, timed out, 5xx after every retry, or a 4xx
 * (refused credentials or body). The call may or may not have taken effect; replaying it with the
 * same idempotency key is the only way to find out.
 */
export class InventoryCallError extends Error {
  constructor(
    message: string,
    /** HTTP status, or null when no response arrived. */
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'InventoryCallError';
  }
}

export interface InventoryClientOptions {
  /** e.g. http://127.0.0.1:4001 (no trailing slash). */
  baseUrl: string;
  jwtSecret: string;
  /** Per attempt. @default 5000 */
  timeoutMs?: number;
  /** Extra attempts after network errors, timeouts and 5xx (never after 4xx). @default 3 */
  retries?: number;
  /** First backoff; doubles each retry, with jitter. @default 100 */
  backoffMs?: number;
}

/**
 * Client of inventory's internal reservation API. Every call carries an idempotency key, so retrying
 * after a lost response is safe: inventory answers a replay from what it stored and does nothing twice.
 * Uses Node's global fetch (keep-alive by default).
 */
export class InventoryClient {
  private readonly tokens = new Map<string, { token: Promise<string>; until: number }>();
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(private readonly options: InventoryClientOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  }

  /** Reserves every line or none; lines without a location are allocated by inventory. */
  reserveLines(caller: InventoryCaller, body: ReserveLinesRequest): Promise<ReserveLinesResponse> {
    return this.post(InventoryRoute.ReserveLines, caller, body);
  }

  /** Ships reserved stock: onHand and reserved both fall. All or nothing. */
  consume(caller: InventoryCaller, body: ConsumeRequest): Promise<ReservationsResponse> {
    return this.post(InventoryRoute.Consume, caller, body);
  }

  /** Lets go of what the reservations still hold; ones no longer active are left as they are. */
  release(caller: InventoryCaller, body: ReleaseRequest): Promise<ReservationsResponse> {
    return this.post(InventoryRoute.Release, caller, body);
  }

  private async post<R extends InventoryRoute>(route: R, caller: InventoryCaller, body: InventoryRequest<R>): Promise<InventoryResponse<R>> {
    const payload = JSON.stringify({ ...body, actorId: caller.actorId });
    for (let attempt = 0; ; attempt++) {
      let failure: InventoryCallError;
      try {
        const response = await fetch(`${this.options.baseUrl}${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.token(caller.tenantId)}` },
          body: payload,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await response.text();
        if (response.status === 200) return parseOutcome(route, text);
        failure = new InventoryCallError(`inventory ${route} answered ${response.status}: ${text.slice(0, 200)}`, response.status);
        if (response.status < 500) throw failure;
      } catch (error) {
        if (error instanceof InventoryCallError) throw error;
        failure = new InventoryCallError(`inventory ${route} failed: ${(error as Error).message}`, null);
      }
      if (attempt >= this.retries) throw failure;
      await sleep(this.backoffMs * 2 ** attempt * (0.5 + Math.random()));
    }
  }

  private token(tenantId: string): Promise<string> {
    const cached = this.tokens.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.token;
    const token = signToken({ sub: 'service:orders', tenant: tenantId, roles: ['service'], secret: this.options.jwtSecret, expiresIn: TOKEN_TTL });
    this.tokens.set(tenantId, { token, until: Date.now() + TOKEN_REUSE_MS });
    if (this.tokens.size > 10_000) this.tokens.delete(this.tokens.keys().next().value!);
    return token;
  }
}

/** Validates a 200 answer against the route's response schema: a body that does not match is no answer. */
function parseOutcome<R extends InventoryRoute>(route: R, text: string): InventoryResponse<R> {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // fall through: not JSON
  }
  const parsed = INVENTORY_API[route].response.safeParse(body);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new InventoryCallError(`inventory ${route} answered 200 without a valid { reservations, userErrors } (${where})`, 200);
  }
  return parsed.data as InventoryResponse<R>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
