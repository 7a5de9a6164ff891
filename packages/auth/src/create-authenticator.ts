import { decodeProtectedHeader } from 'jose';
import { AuthenticationError } from '@stockline/errors';
import { isApiKeySecret } from './api-key-secret.ts';
import { bearerToken, verifyToken } from './verify-token.ts';
import { PROVIDER_ALGORITHMS } from './create-jwks-verifier.ts';
import type { Principal } from './viewer.ts';

export interface AuthenticatorOptions {
  /** HS256 secret of development tokens (`npm run token`). */
  jwtSecret: string;
  /** Accept HS256 tokens signed with `jwtSecret` from clients. @default true */
  acceptHs256?: boolean;
  /** Verifier of identity-provider tokens (RS256/ES256 against a JWKS), when one is configured. */
  verifyProviderToken?: ((token: string) => Promise<Principal>) | null;
  /** Resolver of API key secrets, when keys are enabled. Throws UNAUTHENTICATED for unknown, revoked or expired keys. */
  verifyApiKey?: ((secret: string) => Promise<Principal>) | null;
}

/** `authenticate(authorizationHeader)`: the principal behind a bearer credential, or UNAUTHENTICATED. */
export type Authenticate = (authorization: string | string[] | null | undefined) => Promise<Principal>;

/**
 * One entry point for every credential, used by HTTP requests and WebSocket connection_init alike:
 * an API key (`slk_…`) goes to `verifyApiKey`; a JWT goes by its header's `alg` to the provider's
 * JWKS (RS256/ES256) or to the HS256 secret. Any other `alg` (`none` included) is refused before any
 * verification, and each verifier pins its own algorithms too, so an HS256 token "signed" with the
 * provider's public key can never pass as a provider token.
 */
export function createAuthenticator({ jwtSecret, acceptHs256 = true, verifyProviderToken, verifyApiKey }: AuthenticatorOptions): Authenticate {
  return async (authorization) => {
    const token = bearerToken(authorization);
    if (!token) throw new AuthenticationError('Missing bearer token: send "Authorization: Bearer <token or API key>"');
    if (isApiKeySecret(token)) {
      if (!verifyApiKey) throw new AuthenticationError('API keys are not accepted here');
      return verifyApiKey(token);
    }
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthenticationError('Bearer token is invalid');
    }
    if (alg === 'HS256' && acceptHs256) return verifyToken(token, jwtSecret);
    if ((PROVIDER_ALGORITHMS as readonly string[]).includes(alg ?? '') && verifyProviderToken) return verifyProviderToken(token);
    throw new AuthenticationError(`Bearer token algorithm "${alg}" is not accepted`);
  };
}
