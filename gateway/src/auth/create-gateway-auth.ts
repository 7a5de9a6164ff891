import { AuthenticationError } from '@stockline/errors';
import { apiKeyRevocationChannel, createAuthenticator, createJwksVerifier, hashApiKeySecret, type ApiKeyRevoked, type Authenticate, type Principal } from '@stockline/auth';
import { createPubSub, type PubSub } from '@stockline/events';
import type { Logger } from '@stockline/observability';
import { AccessClient } from './access-client.ts';
import { ApiKeyCache } from './api-key-cache.ts';
import { PrincipalRevocations } from './principal-revocations.ts';

export interface GatewayAuthOptions {
  jwtSecret: string;
  /** Identity provider, when configured (AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, claim names). */
  provider: { jwksUrl: string; issuer: string; audience: string[]; tenantClaim: string; rolesClaim: string } | null;
  /** Base URL of the access service; null disables API keys. */
  accessUrl: string | null;
  apiKeyCacheTtlMs: number;
  timeoutMs: number;
  /** The bus revocations arrive on: the one given (embedded mode shares one), else Redis at `redisUrl`, else in-process. */
  bus?: PubSub;
  redisUrl: string | null;
  channelPrefix: string;
  logger: Logger;
}

export interface GatewayAuth {
  /** The principal behind an `Authorization` header (HTTP) or connection_init's `authorization` (WebSocket). */
  authenticate: Authenticate;
  /** Emits the id of every revoked key; the WebSocket server ends their subscriptions. */
  revocations: PrincipalRevocations;
  access: AccessClient | null;
  /** Starts listening for revocations. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Authentication at the gateway: provider tokens against the JWKS, development HS256 tokens, and API
 * keys resolved through the access service with a short cache (no database round trip per request).
 * A revocation published by access drops the key from every gateway's cache at once and is re-emitted
 * locally as `onPrincipalRevoked(keyId)`; a cached key past its expiry is refused without asking.
 */
export function createGatewayAuth(options: GatewayAuthOptions): GatewayAuth {
  const { logger } = options;
  let bus: PubSub | null = options.bus ?? null;
  const cache = new ApiKeyCache(options.apiKeyCacheTtlMs);
  const revocations = new PrincipalRevocations();
  const access = options.accessUrl ? new AccessClient({ baseUrl: options.accessUrl, jwtSecret: options.jwtSecret, timeoutMs: options.timeoutMs }) : null;
  let subscription: number | null = null;

  const verifyApiKey = async (secret: string): Promise<Principal> => {
    const hash = hashApiKeySecret(secret);
    let principal = cache.get(hash);
    if (principal === undefined) {
      const resolved = await access!.resolveApiKey(hash).catch((err) => {
        logger.error({ err }, 'API key lookup failed');
        throw new AuthenticationError('API key could not be checked; try again');
      });
      principal = resolved && {
        userId: `apikey:${resolved.keyId}`,
        tenantId: resolved.tenantId,
        roles: [],
        scopes: resolved.scopes,
        token: '',
        keyId: resolved.keyId,
        expiresAt: resolved.expiresAt ? new Date(resolved.expiresAt) : null,
      };
      cache.set(hash, principal);
    }
    if (!principal) throw new AuthenticationError('API key is unknown, revoked or expired');
    if (principal.expiresAt && principal.expiresAt.getTime() <= Date.now()) {
      cache.drop({ hash });
      throw new AuthenticationError('API key is expired');
    }
    return { ...principal, token: secret };
  };

  const authenticate = createAuthenticator({
    jwtSecret: options.jwtSecret,
    verifyProviderToken: options.provider ? createJwksVerifier(options.provider) : null,
    verifyApiKey: access ? verifyApiKey : null,
  });

  return {
    authenticate,
    revocations,
    access,
    async start() {
      if (!access) return;
      bus ??= createPubSub({ redisUrl: options.redisUrl });
      subscription = await bus.subscribe(apiKeyRevocationChannel(options.channelPrefix), (message: ApiKeyRevoked) => {
        cache.drop({ hash: message.secretHash, keyId: message.keyId });
        revocations.emitRevoked(message.keyId);
      }, {});
    },
    async close() {
      // A bus this module made is closed whole (unsubscribing first would race the quit and reject);
      // a shared one only loses this listener.
      if (bus && !options.bus) await bus.close();
      else if (subscription !== null) bus?.unsubscribe(subscription);
      subscription = null;
      bus = null;
    },
  };
}
