import { Role, signToken, type Scope } from '@stockline/auth';
import { REQUEST_ID_HEADER } from '@stockline/observability';

/** What access answers for a usable key. */
export interface ResolvedApiKey { keyId: string; tenantId: string; name: string; scopes: Scope[]; expiresAt: string | null }

export interface AuditRecord { tenantId: string; actorId: string; action: string; details: Record<string, unknown>; requestId: string | null }

const GATEWAY_SUBJECT = 'service:gateway';
/** Tenant claim of the gateway's key lookups, which are by hash and not yet in a tenant. */
const NO_TENANT = '_gateway';

/** The gateway's client of the access service's internal API (`/internal/v1`), with service tokens. */
export class AccessClient {
  constructor(private readonly options: { baseUrl: string; jwtSecret: string; timeoutMs: number }) {}

  /** The key a secret's hash names, or null when access knows no usable key with it. Throws when access cannot answer. */
  async resolveApiKey(secretHash: string): Promise<ResolvedApiKey | null> {
    const response = await this.post(NO_TENANT, '/api-keys/resolve', { secretHash });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`access answered ${response.status} to a key lookup`);
    return (await response.json()) as ResolvedApiKey;
  }

  /** Appends an audit entry of `tenantId`. Throws when access does not take it. */
  async recordAudit({ tenantId, ...entry }: AuditRecord): Promise<void> {
    const response = await this.post(tenantId, '/audit', entry, entry.requestId);
    if (!response.ok) throw new Error(`access answered ${response.status} to an audit entry`);
  }

  private async post(tenant: string, path: string, body: unknown, requestId?: string | null): Promise<Response> {
    const token = await signToken({ sub: GATEWAY_SUBJECT, tenant, roles: [Role.Service], secret: this.options.jwtSecret, expiresIn: '1m' });
    return fetch(`${this.options.baseUrl}/internal/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
  }
}
