import { signInternalToken, type Principal } from '@stockline/auth';

/** Re-sign when less than this is left, so a subgraph never receives a token about to expire. */
const RENEW_BEFORE_MS = 30_000;
const signed = new WeakMap<Principal, { token: string; until: number }>();

/**
 * The internal token forwarded to subgraphs for `principal` (whatever it presented: provider token,
 * API key, development token). Signed once per principal object and reused while it has time left:
 * an HTTP request's subgraph calls share one, a long WebSocket connection gets fresh ones.
 */
export async function internalTokenFor(principal: Principal, secret: string): Promise<string> {
  const cached = signed.get(principal);
  if (cached && cached.until - Date.now() > RENEW_BEFORE_MS) return cached.token;
  const token = await signInternalToken(principal, secret);
  const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
  signed.set(principal, { token, until: exp * 1000 });
  return token;
}
