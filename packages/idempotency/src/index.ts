export { requestHash } from './request-hash.ts';
export { IdempotencyStore, type SqlClient, type StoredResponse } from './idempotency-store.ts';
export { idempotent, keyReusedError, type IdempotentOptions } from './idempotent.ts';
