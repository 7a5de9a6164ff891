import { signInternalToken, type Principal } from '@stockline/auth';

/** Re-sign when less than this is left, so a subgraph never receives a token about to expire. */
const RENEW_BEFORE_MS = 30_000;
/** Distinct callers remembered; the least recently signed are forgotten first. */
const MAX_CACHED = 10_000;
const signed = new Map<string, { token: string; until: number }>();

/** Everything the internal token says about the caller: two principals with the same identity get the same token. */
function identityOf(p: Principal): string {
  return [p.tenantId, p.userId, p.roles.join(','), p.scopes.join(','), p.keyId ?? '', p.expiresAt?.getTime() ?? ''].join('\u0000');
}

/**
 * The internal token forwarded to subgraphs for `principal` (whatever it presented: provider token,
 * API key, development token). Signed once per caller identity and reused while it has time left:
 * signing per request cost the gateway an HMAC and the subgraphs a verification each (the subgraphs
 * remember tokens they verified), and identical tokens let identical reads share one subgraph call.
 * A principal's own expiry is part of its identity, so a token never outlives the credential.
 */
export async function internalTokenFor(principal: Principal, secret: string): Promise<string> {
  const key = `${secret}\u0000${identityOf(principal)}`;
  const cached = signed.get(key);
  if (cached && cached.until - Date.now() > RENEW_BEFORE_MS) return cached.token;
  const token = await signInternalToken(principal, secret);
  const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
  signed.delete(key);
  signed.set(key, { token, until: exp * 1000 });
  if (signed.size > MAX_CACHED) signed.delete(signed.keys().next().value!);
  return token;
}
