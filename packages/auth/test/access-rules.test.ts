import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ALL_SCOPES,
  API_KEY_PREFIX,
  INTERNAL_ISSUER,
  ROLE_SCOPES,
  Role,
  Scope,
  apiKeyRevocationChannel,
  bearerToken,
  createAuthenticator,
  displayPrefix,
  generateApiKeySecret,
  hashApiKeySecret,
  hashesEqual,
  isApiKeySecret,
  isScope,
  requireRole,
  requireScope,
  requireViewer,
  scopesOfRoles,
  signInternalToken,
  signToken,
  verifyToken,
  type Viewer,
} from '../src/index.ts';
import { viewerFromClaims } from '../src/verify-token.ts';

const secret = 'a-test-secret-of-enough-length';
const refusal = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return `${(error as { extensions?: { code?: string } }).extensions?.code}: ${(error as Error).message}`;
  }
};
const refusalOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e) => `${e.extensions?.code}: ${e.message}`);
const viewer = (roles: Role[], scopes = scopesOfRoles(roles)): Viewer => ({ userId: 'u', tenantId: 't', roles, scopes, token: 'x' });
const sign = (claims: Record<string, unknown>, { sub = 'u1', alg = 'HS256' } = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg }).setSubject(sub).setExpirationTime('1h').sign(new TextEncoder().encode(secret));

describe('requireViewer, requireRole and requireScope', () => {
  it('refuse a request without a viewer with UNAUTHENTICATED', () => {
    for (const check of [() => requireViewer(null), () => requireRole(undefined, Role.Viewer), () => requireScope(null, Scope.ReadInventory)]) {
      expect(refusal(check)).toMatch(/^UNAUTHENTICATED: /);
    }
  });

  it('let a role through to what it or a role above it may do, and refuse the rest with FORBIDDEN naming the role', () => {
    const clerk = viewer([Role.Clerk]);
    expect(requireRole(clerk, Role.Clerk)).toBe(clerk);
    expect(requireRole(clerk, Role.Viewer)).toBe(clerk);
    expect(refusal(() => requireRole(clerk, Role.Admin))).toBe('FORBIDDEN: This operation needs the "admin" role');
    expect(refusal(() => requireRole(viewer([Role.Service]), Role.Viewer))).toBe('FORBIDDEN: This operation needs the "viewer" role');
  });

  it('let a scope through only when the viewer holds it exactly, and refuse the rest with FORBIDDEN naming the scope', () => {
    const key = viewer([], [Scope.ReadOrders]);
    expect(requireScope(key, Scope.ReadOrders)).toBe(key);
    expect(refusal(() => requireScope(key, Scope.WriteOrders))).toBe('FORBIDDEN: This operation needs the "write_orders" scope');
    expect(refusal(() => requireScope(viewer([Role.Admin]), Scope.Admin))).toBe('accepted');
  });
});

describe('scopes', () => {
  it('give viewers reading, clerks also writing stock and orders, admins everything and services nothing', () => {
    const reads = ['read_inventory', 'read_orders', 'read_analytics', 'read_media'];
    expect(scopesOfRoles(['viewer'])).toEqual(reads);
    expect(scopesOfRoles(['clerk'])).toEqual(['read_inventory', 'write_inventory', 'read_orders', 'write_orders', 'read_analytics', 'read_media']);
    expect(scopesOfRoles(['admin'])).toEqual([...ALL_SCOPES]);
    expect(ALL_SCOPES).toEqual(['read_inventory', 'write_inventory', 'read_orders', 'write_orders', 'read_analytics', 'read_media', 'write_media', 'admin']);
    expect(scopesOfRoles(['service'])).toEqual([]);
    expect(ROLE_SCOPES.service).toEqual([]);
    expect(scopesOfRoles(['viewer', 'clerk'])).toEqual(scopesOfRoles(['clerk']));
    expect(scopesOfRoles(['root'])).toEqual([]);
  });

  it('are recognised by name only', () => {
    expect(isScope('write_media')).toBe(true);
    expect(isScope('root')).toBe(false);
    expect(isScope(1)).toBe(false);
  });
});

describe('bearerToken', () => {
  it('takes the token of a Bearer header in any case, the first of several, and nothing else', () => {
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Bearer   abc  ')).toBe('abc');
    expect(bearerToken(['Bearer first', 'Bearer second'])).toBe('first');
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken('Bearer ')).toBeNull();
    expect(bearerToken('xBearer abc')).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});

describe('verifyToken', () => {
  it('says why a token is refused: missing, expired, invalid, or which claim is wrong', async () => {
    expect(await refusalOf(verifyToken('', secret))).toBe('UNAUTHENTICATED: Missing bearer token: send "Authorization: Bearer <jwt>"');
    expect(await refusalOf(verifyToken(await signToken({ sub: 'a', tenant: 't', roles: ['admin'], secret, expiresIn: '-1s' }), secret))).toBe('UNAUTHENTICATED: Bearer token is expired');
    expect(await refusalOf(verifyToken('not.a.jwt', secret))).toBe('UNAUTHENTICATED: Bearer token is invalid');
    expect(await refusalOf(verifyToken(await sign({ tenant: 't', roles: [] }, { sub: '' }), secret))).toBe('UNAUTHENTICATED: Bearer token has no "sub" claim');
    expect(await refusalOf(verifyToken(await sign({ tenant: '', roles: [] }), secret))).toBe('UNAUTHENTICATED: Bearer token has no "tenant" claim');
    expect(await refusalOf(verifyToken(await sign({ tenant: 't', roles: 'admin' }), secret))).toBe('UNAUTHENTICATED: Bearer token "roles" must be a list of viewer, clerk, admin, service');
    expect(await refusalOf(verifyToken(await sign({ tenant: 't', roles: [1] }), secret))).toMatch(/"roles" must be a list/);
    expect(await refusalOf(verifyToken(await sign({ tenant: 't', roles: [], scopes: ['root'] }), secret))).toBe('UNAUTHENTICATED: Bearer token "scopes" must be a list of known scopes');
    expect(await refusalOf(verifyToken(await sign({ tenant: 't', roles: [], scopes: 'admin' }), secret))).toMatch(/"scopes" must be a list/);
  });

  it('answers a token verified before from memory, but never with another secret and never past its expiry', async () => {
    const token = await signToken({ sub: 'a', tenant: 't', roles: ['viewer'], secret });
    const first = await verifyToken(token, secret);
    expect(await verifyToken(token, secret)).toBe(first);
    expect(await refusalOf(verifyToken(token, 'another-secret-of-enough-length'))).toBe('UNAUTHENTICATED: Bearer token is invalid');
    const now = Math.floor(Date.now() / 1000);
    const shortLived = await new SignJWT({ tenant: 't', roles: [] }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setExpirationTime(now + 1).sign(new TextEncoder().encode(secret));
    expect((await verifyToken(shortLived, secret)).expiresAt!.getTime()).toBe((now + 1) * 1000);
    await new Promise((resolve) => setTimeout(resolve, (now + 2) * 1000 - Date.now()));
    expect(await refusalOf(verifyToken(shortLived, secret))).toBe('UNAUTHENTICATED: Bearer token is expired');
  });

  it('takes scopes and a key id from an internal token, and the roles bundles when it has no scopes', async () => {
    const internal = await signInternalToken({ userId: 'apikey:1', tenantId: 't', roles: [], scopes: [Scope.ReadMedia], token: 'x', keyId: 'k1' }, secret);
    expect(await verifyToken(internal, secret)).toMatchObject({ scopes: ['read_media'], keyId: 'k1', roles: [] });
    const person = await signInternalToken({ userId: 'u', tenantId: 't', roles: [Role.Viewer], scopes: scopesOfRoles(['viewer']), token: 'x' }, secret);
    const decoded = JSON.parse(Buffer.from(person.split('.')[1], 'base64url').toString());
    expect(decoded).toMatchObject({ iss: INTERNAL_ISSUER, sub: 'u', tenant: 't' });
    expect(decoded).not.toHaveProperty('key');
    expect(decoded.exp - decoded.iat).toBe(120);
    expect((await verifyToken(person, secret)).keyId).toBeNull();
  });

  it('signs an internal token for at least a second, even for a principal about to expire', async () => {
    const token = await signInternalToken({ userId: 'u', tenantId: 't', roles: [], scopes: [], token: 'x', expiresAt: new Date(Date.now() - 5_000) }, secret, 60);
    const { exp, iat } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(exp - iat).toBe(1);
    const later = await signInternalToken({ userId: 'u', tenantId: 't', roles: [], scopes: [], token: 'x', expiresAt: new Date(Date.now() + 3_600_000) }, secret, 60);
    const claims = JSON.parse(Buffer.from(later.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(60);
  });
});

describe('viewerFromClaims', () => {
  it('reads dotted claim names as nested claims, and a name present as is or URL-like whole', () => {
    const nested = viewerFromClaims({ sub: 'a', realm: { tenant: 't1', access: { roles: ['clerk'] } } }, 'tok', { tenantClaim: 'realm.tenant', rolesClaim: 'realm.access.roles' });
    expect(nested).toMatchObject({ tenantId: 't1', roles: ['clerk'], token: 'tok', expiresAt: null });
    const flat = viewerFromClaims({ sub: 'a', 'realm.tenant': 't2', 'https://x.dev/roles': ['viewer'] }, 'tok', { tenantClaim: 'realm.tenant', rolesClaim: 'https://x.dev/roles' });
    expect(flat).toMatchObject({ tenantId: 't2', roles: ['viewer'] });
    expect(() => viewerFromClaims({ sub: 'a', realm: 'flat', roles: [] }, 'tok', { tenantClaim: 'realm.tenant', rolesClaim: 'roles' })).toThrow('Bearer token has no "realm.tenant" claim');
  });
});

describe('createAuthenticator', () => {
  it('refuses HS256 tokens when told not to accept them, and names an algorithm it does not accept', async () => {
    const token = await signToken({ sub: 'a', tenant: 't', roles: ['admin'], secret });
    expect(await refusalOf(createAuthenticator({ jwtSecret: secret, acceptHs256: false })(`Bearer ${token}`))).toBe('UNAUTHENTICATED: Bearer token algorithm "HS256" is not accepted');
    expect(await createAuthenticator({ jwtSecret: secret })(`Bearer ${token}`)).toMatchObject({ tenantId: 't' });
    const hs512 = await sign({ tenant: 't', roles: [] }, { alg: 'HS512' });
    expect(await refusalOf(createAuthenticator({ jwtSecret: secret, verifyProviderToken: async () => viewer([]) })(`Bearer ${hs512}`))).toBe('UNAUTHENTICATED: Bearer token algorithm "HS512" is not accepted');
    expect(await refusalOf(createAuthenticator({ jwtSecret: secret })('Bearer garbage'))).toBe('UNAUTHENTICATED: Bearer token is invalid');
    expect(await refusalOf(createAuthenticator({ jwtSecret: secret })(undefined))).toBe('UNAUTHENTICATED: Missing bearer token: send "Authorization: Bearer <token or API key>"');
    expect(await refusalOf(createAuthenticator({ jwtSecret: secret })(`Bearer ${generateApiKeySecret()}`))).toBe('UNAUTHENTICATED: API keys are not accepted here');
  });
});

describe('API key helpers', () => {
  it('show a key by its prefix and first eight characters, hash it as hex SHA-256, and name the revocation channel', () => {
    const key = generateApiKeySecret();
    expect(displayPrefix(key)).toBe(key.slice(0, 12));
    expect(displayPrefix(key).startsWith(API_KEY_PREFIX)).toBe(true);
    expect(hashApiKeySecret('slk_x')).toBe('11138b0ea62fbe3f7c8f6199a96e668bf06f7b74a2b7b1e7a0c4ff8d90f5e23e');
    expect(hashApiKeySecret('slk_x')).not.toBe(hashApiKeySecret('slk_y'));
    expect(apiKeyRevocationChannel('stockline.events.')).toBe('stockline.events.access.api-key-revoked');
  });
});

describe('what a forged or odd credential cannot do', () => {
  it('refuses an HS512 token signed with the right secret: only HS256 is accepted', async () => {
    expect(await refusalOf(verifyToken(await sign({ tenant: 't', roles: [] }, { alg: 'HS512' }), secret))).toBe('UNAUTHENTICATED: Bearer token is invalid');
  });

  it('refuses a sub or tenant that is not a string, scopes with one unknown among known ones, and a null nested claim', async () => {
    const numericSub = await new SignJWT({ sub: 7 as never, tenant: 't', roles: [] }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
    expect(await refusalOf(verifyToken(numericSub, secret))).toMatch(/^UNAUTHENTICATED: /);
    expect(await refusalOf(verifyToken(await sign({ tenant: 7, roles: [] }), secret))).toBe('UNAUTHENTICATED: Bearer token has no "tenant" claim');
    expect(await refusalOf(verifyToken(await sign({ tenant: 't', roles: [], scopes: ['read_orders', 'root'] }), secret))).toMatch(/"scopes" must be a list of known scopes/);
    expect(() => viewerFromClaims({ sub: 'a', realm: null, roles: [] }, 'tok', { tenantClaim: 'realm.tenant', rolesClaim: 'roles' })).toThrow('Bearer token has no "realm.tenant" claim');
  });

  it('accepts a token without an expiry, and remembers it', async () => {
    const token = await new SignJWT({ tenant: 't', roles: ['viewer'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('no-exp').sign(new TextEncoder().encode(secret));
    const first = await verifyToken(token, secret);
    expect(first).toMatchObject({ userId: 'no-exp', expiresAt: null });
    expect(await verifyToken(token, secret)).toBe(first);
  });

  it('recognises an API key only by its whole shape, and never matches two empty hashes', () => {
    const key = generateApiKeySecret();
    expect(isApiKeySecret(`x${key}`)).toBe(false);
    expect(isApiKeySecret(`${key}x`)).toBe(false);
    expect(hashesEqual('', '')).toBe(false);
  });

  it('grants a role when any of the viewer\'s roles ranks high enough', () => {
    expect(requireRole(viewer([Role.Viewer, Role.Admin]), Role.Admin).roles).toEqual(['viewer', 'admin']);
  });
});
