/** An API key as the API shows it: never the secret, never its hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** What the gateway needs to act as a key: resolved from the secret's hash. */
export interface ApiKeyPrincipal {
  keyId: string;
  tenantId: string;
  name: string;
  scopes: string[];
  expiresAt: Date | null;
}

export interface AuditEntryRecord {
  seq: bigint;
  id: string;
  actorId: string;
  action: string;
  details: unknown;
  requestId: string | null;
  occurredAt: Date;
}

/** One administrative action to append. */
export interface NewAuditEntry {
  tenantId: string;
  actorId: string;
  action: string;
  details: Record<string, unknown>;
  requestId: string | null;
}

/** Audit action names written by this service; the gateway records the catalog's (`upsertItem`, `createLocation`, …). */
export enum AuditAction {
  ApiKeyCreated = 'apiKey.created',
  ApiKeyRevoked = 'apiKey.revoked',
}
