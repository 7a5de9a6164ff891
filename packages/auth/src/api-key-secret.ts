import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every API key secret starts with this, so it is recognisable in a config file or a leaked log (and by secret scanners). */
export const API_KEY_PREFIX = 'slk_';
/** Random bytes per secret: 256 bits, so a fast hash is as good as a slow one (nothing to brute-force). */
const SECRET_BYTES = 32;
/** Characters of the secret shown in lists, prefix included. */
const DISPLAY_LENGTH = API_KEY_PREFIX.length + 8;
const SHAPE = /^slk_[A-Za-z0-9_-]{43}$/;

/** A new API key secret: `slk_` and 43 base64url characters. */
export function generateApiKeySecret(): string {
  return API_KEY_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
}

/** True when `token` has the shape of an API key secret (it is not a JWT). */
export const isApiKeySecret = (token: string): boolean => SHAPE.test(token);

/** What is stored and looked up: the SHA-256 of the secret, hex. The secret itself is never stored. */
export const hashApiKeySecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** The first characters of a secret, shown in lists to recognise a key. */
export const displayPrefix = (secret: string): string => secret.slice(0, DISPLAY_LENGTH);

/** Compares two hex hashes in constant time (never with `===`, whose time depends on the first difference). */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
