import { displayPrefix, generateApiKeySecret, hashApiKeySecret, hashesEqual, type ApiKeyRevoked, type Viewer } from '@stockline/auth';
import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import { isUuid } from '@stockline/service';
import { ApiKeyRepository } from '../data/api-key.repository.ts';
import { AuditEntryRepository } from '../data/audit-entry.repository.ts';
import { inTransaction, type Db } from '../data/prisma.ts';
import { validateNewApiKey, type CreateApiKeyInput } from './api-key-validation.ts';
import { AuditAction, type ApiKeyPrincipal, type ApiKeyRecord } from './records.ts';

export interface ApiKeyServiceOptions {
  db: Db;
  /** Tells every gateway, after the revocation committed (pub/sub). */
  publishRevocation: (message: ApiKeyRevoked) => Promise<void>;
  /** The time (tests move it). @default the system clock */
  clock?: () => Date;
}

type CreatePayload = { apiKey: ApiKeyRecord | null; secret: string | null; userErrors: UserError[] };
type RevokePayload = { apiKey: ApiKeyRecord | null; userErrors: UserError[] };

/**
 * API keys: created by admins with scopes they hold, listed, revoked; resolved from a secret's hash
 * for the gateway. Every change writes its audit entry in the same transaction.
 */
export class ApiKeyService {
  private readonly db: Db;
  private readonly publishRevocation: ApiKeyServiceOptions['publishRevocation'];
  private readonly clock: () => Date;

  constructor({ db, publishRevocation, clock = () => new Date() }: ApiKeyServiceOptions) {
    this.db = db;
    this.publishRevocation = publishRevocation;
    this.clock = clock;
  }

  /** A new key; the secret is in this answer only (the database keeps its SHA-256). */
  async createApiKey(actor: Viewer, requestId: string | null, input: CreateApiKeyInput): Promise<CreatePayload> {
    const { errors, name, scopes, expiresAt } = validateNewApiKey(actor, input, this.clock());
    if (errors.length) return { apiKey: null, secret: null, userErrors: errors };
    const secret = generateApiKeySecret();
    const prefix = displayPrefix(secret);
    const apiKey = await inTransaction(this.db, async (tx) => {
      const created = await new ApiKeyRepository(tx).create({ tenantId: actor.tenantId, name, prefix, secretHash: hashApiKeySecret(secret), scopes, createdBy: actor.userId, expiresAt });
      await new AuditEntryRepository(tx).append({
        tenantId: actor.tenantId,
        actorId: actor.userId,
        action: AuditAction.ApiKeyCreated,
        details: { keyId: created.id, name, prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null },
        requestId,
      });
      return created;
    });
    return { apiKey, secret, userErrors: [] };
  }

  listApiKeys(actor: Viewer): Promise<ApiKeyRecord[]> {
    return new ApiKeyRepository(this.db).listByTenant({ tenantId: actor.tenantId });
  }

  /** Revokes a key of the caller's tenant; revoking a revoked key answers it unchanged. NOT_FOUND for another tenant's or no key. */
  async revokeApiKey(actor: Viewer, requestId: string | null, id: string): Promise<RevokePayload> {
    const notFound = { apiKey: null, userErrors: [userError(UserErrorCode.NotFound, `No API key with id "${id}"`, ['id'])] };
    if (!isUuid(id)) return notFound;
    const revoked = await inTransaction(this.db, async (tx) => {
      const done = await new ApiKeyRepository(tx).revoke({ tenantId: actor.tenantId, id, at: this.clock() });
      if (done) {
        await new AuditEntryRepository(tx).append({
          tenantId: actor.tenantId,
          actorId: actor.userId,
          action: AuditAction.ApiKeyRevoked,
          details: { keyId: id, name: done.key.name, prefix: done.key.prefix },
          requestId,
        });
      }
      return done;
    });
    if (revoked) {
      await this.publishRevocation({ keyId: id, secretHash: revoked.secretHash });
      return { apiKey: revoked.key, userErrors: [] };
    }
    const existing = await new ApiKeyRepository(this.db).findById({ tenantId: actor.tenantId, id });
    return existing ? { apiKey: existing, userErrors: [] } : notFound;
  }

  /**
   * The key a secret's hash names, if usable now; marks it used. The lookup goes through the unique
   * index on the hash; the stored hash is then compared in constant time as well, so no comparison
   * in our code depends on how much of a guess was right.
   */
  async resolveApiKey(secretHash: string): Promise<ApiKeyPrincipal | null> {
    const now = this.clock();
    const repository = new ApiKeyRepository(this.db);
    const found = await repository.findUsableByHash({ secretHash, now });
    if (!found || !hashesEqual(found.secretHash, secretHash)) return null;
    await repository.touchLastUsed({ id: found.keyId, at: now });
    const { secretHash: _hash, ...principal } = found;
    return principal;
  }
}
