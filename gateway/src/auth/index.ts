export { createGatewayAuth, type GatewayAuth, type GatewayAuthOptions } from './create-gateway-auth.ts';
export { PrincipalRevocations } from './principal-revocations.ts';
export { useAuditTrail, AUDITED_MUTATIONS } from './use-audit-trail.ts';
export { ApiKeyCache, DEFAULT_API_KEY_CACHE_TTL_MS } from './api-key-cache.ts';
export { authEnv, authConfig, requireCompleteProvider, type AuthConfig } from './auth-env.ts';
export { internalTokenFor } from './internal-token-for.ts';
