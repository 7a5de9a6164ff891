import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, createAuthenticator, createJwksVerifier, generateApiKeySecret, hashApiKeySecret, hashesEqual, isApiKeySecret, signInternalToken, signToken, verifyToken, type Authenticate } from '../src/index.ts';

const secret = 'a-test-secret-of-enough-length';
const ISSUER = 'https://idp.test/';
const AUDIENCE = 'stockline-api';
const code = async (p: Promise<unknown>) => p.then(() => 'accepted', (e) => e.extensions?.code ?? String(e));
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

interface TestKey { kid: string; alg: 'RS256' | 'ES256'; privateKey: CryptoKey; publicJwk: JWK; publicPem: string }
async function makeKey(kid: string, alg: 'RS256' | 'ES256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, publicPem: await exportSPKI(publicKey) };
}

/** A token as an identity provider would issue it: tenant and roles under configurable (here nested/namespaced) claims. */
function providerToken(key: TestKey, { iss = ISSUER, aud = AUDIENCE, roles = ['clerk'], tenant = 'acme', exp = '5m' } = {}) {
  return new SignJWT({ 'https://stockline.dev/tenant': tenant, app: { roles } })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setSubject('auth0|alice')
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

describe('authenticate', () => {
  let server: Server;
  let published: JWK[] = [];
  let rsa: TestKey, ec: TestKey, stranger: TestKey;
  let authenticate: Authenticate;

  beforeAll(async () => {
    [rsa, ec, stranger] = await Promise.all([makeKey('k1', 'RS256'), makeKey('k2', 'ES256'), makeKey('k1', 'RS256')]);
    published = [rsa.publicJwk, ec.publicJwk];
    server = createServer((_, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: published })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const verifyProviderToken = createJwksVerifier({
      jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      issuer: ISSUER,
      audience: AUDIENCE,
      tenantClaim: 'https://stockline.dev/tenant',
      rolesClaim: 'app.roles',
      // Refetch on every unknown kid and treat fetched keys as stale at once: rotation is visible immediately.
      cacheMaxAgeMs: 1,
      cooldownMs: 0,
    });
    authenticate = createAuthenticator({
      jwtSecret: secret,
      verifyProviderToken,
      verifyApiKey: async (key) => ({ userId: 'apikey:1', tenantId: 'acme', roles: [], scopes: [], token: key, keyId: '1' }),
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts RS256 and ES256 tokens signed with a key of the JWKS, reading the configured tenant and roles claims', async () => {
    for (const key of [rsa, ec]) {
      const principal = await authenticate(`Bearer ${await providerToken(key)}`);
      expect(principal).toMatchObject({ userId: 'auth0|alice', tenantId: 'acme', roles: ['clerk'], keyId: null });
      expect(principal.scopes).toEqual(['read_inventory', 'write_inventory', 'read_orders', 'write_orders', 'read_analytics', 'read_media']);
    }
  });

  it('refuses with UNAUTHENTICATED a token signed with another key, for another issuer or audience, or expired', async () => {
    expect(await code(authenticate(`Bearer ${await providerToken(stranger)}`))).toBe('UNAUTHENTICATED');
    expect(await code(authenticate(`Bearer ${await providerToken(rsa, { iss: 'https://evil.test/' })}`))).toBe('UNAUTHENTICATED');
    expect(await code(authenticate(`Bearer ${await providerToken(rsa, { aud: 'another-api' })}`))).toBe('UNAUTHENTICATED');
    expect(await code(authenticate(`Bearer ${await providerToken(rsa, { exp: '-5m' })}`))).toBe('UNAUTHENTICATED');
    expect(await code(authenticate(`Bearer ${await providerToken(rsa, { roles: ['root'] })}`))).toBe('UNAUTHENTICATED');
  });

  it('refuses alg none and an HS256 token forged with the provider public key', async () => {
    const claims = { sub: 'mallory', 'https://stockline.dev/tenant': 'acme', app: { roles: ['admin'] }, iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 };
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    expect(await code(authenticate(`Bearer ${unsigned}`))).toBe('UNAUTHENTICATED');
    for (const material of [rsa.publicPem, JSON.stringify(rsa.publicJwk), rsa.publicJwk.n!]) {
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new TextEncoder().encode(material));
      expect(await code(authenticate(`Bearer ${forged}`))).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a token whose key was rotated out of the JWKS, and accepts the new key', async () => {
    const before = await providerToken(rsa);
    expect(await code(authenticate(`Bearer ${before}`))).toBe('accepted');
    const next = await makeKey('k3', 'RS256');
    published = [next.publicJwk, ec.publicJwk];
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await code(authenticate(`Bearer ${before}`))).toBe('UNAUTHENTICATED');
    expect(await code(authenticate(`Bearer ${await providerToken(next)}`))).toBe('accepted');
    published = [rsa.publicJwk, ec.publicJwk];
  });

  it('accepts HS256 development tokens and sends API keys to the key resolver; refuses a missing header', async () => {
    expect(await authenticate(`Bearer ${await signToken({ sub: 'dev', tenant: 'demo', roles: ['admin'], secret })}`)).toMatchObject({ tenantId: 'demo', scopes: [...ALL_SCOPES] });
    expect(await authenticate(`Bearer ${generateApiKeySecret()}`)).toMatchObject({ keyId: '1' });
    expect(await code(authenticate(undefined))).toBe('UNAUTHENTICATED');
    expect(await code(authenticate('Basic abc'))).toBe('UNAUTHENTICATED');
  });

  it('refuses RS256 tokens when no JWKS is configured', async () => {
    const hsOnly = createAuthenticator({ jwtSecret: secret });
    expect(await code(hsOnly(`Bearer ${await providerToken(rsa)}`))).toBe('UNAUTHENTICATED');
    expect(await code(hsOnly(`Bearer ${generateApiKeySecret()}`))).toBe('UNAUTHENTICATED');
  });
});

describe('signInternalToken', () => {
  it('carries the exact scopes and key id to subgraphs and never outlives the key', async () => {
    const expiresAt = new Date(Date.now() + 10_000);
    const token = await signInternalToken({ userId: 'apikey:9', tenantId: 't', roles: [], scopes: ['read_orders'] as never, token: 'x', keyId: '9', expiresAt }, secret);
    const viewer = await verifyToken(token, secret);
    expect(viewer).toMatchObject({ userId: 'apikey:9', tenantId: 't', roles: [], scopes: ['read_orders'], keyId: '9' });
    expect(viewer.expiresAt!.getTime()).toBeLessThanOrEqual(expiresAt.getTime());
  });
});

describe('API key secrets', () => {
  it('are long, prefixed, distinct, and compared by hash in constant time', () => {
    const a = generateApiKeySecret();
    const b = generateApiKeySecret();
    expect(a).toMatch(/^slk_[A-Za-z0-9_-]{43}$/);
    expect(isApiKeySecret(a) && a !== b).toBe(true);
    expect(isApiKeySecret('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe(false);
    expect(hashesEqual(hashApiKeySecret(a), hashApiKeySecret(a))).toBe(true);
    expect(hashesEqual(hashApiKeySecret(a), hashApiKeySecret(b))).toBe(false);
    expect(hashesEqual(hashApiKeySecret(a), '')).toBe(false);
  });
});
