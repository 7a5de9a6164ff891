/** What the access service publishes when a key is revoked; every gateway drops it from its cache and ends its subscriptions. */
export interface ApiKeyRevoked {
  keyId: string;
  /** SHA-256 of the secret (the cache key); never the secret. */
  secretHash: string;
}

/** The pub/sub channel of key revocations (Redis, or the in-process bus on embedded defaults). */
export const apiKeyRevocationChannel = (prefix: string): string => `${prefix}access.api-key-revoked`;
