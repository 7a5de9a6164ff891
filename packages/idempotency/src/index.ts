export { requestHash } from './request-hash.ts';
export { IdempotencyStore, type SqlClient, type StoredResponse } from './idempotency-store.ts';
export { claimKeys, type KeyClaims, type KeyState } from './claim-keys.ts';
export { VALIDATION_CODES, idempotent, isValidationRefusal, keyReusedError, type IdempotentOptions } from './idempotent.ts';
