import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { Role, bearerToken, hasRole, signToken, verifyToken } from '../src/index.ts';

const secret = 'a-test-secret-of-enough-length';
const sign = (claims: Record<string, unknown>, sub = 'u1') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('1h').sign(new TextEncoder().encode(secret));
const code = async (p: Promise<unknown>) => p.then(() => 'accepted', (e) => e.extensions?.code);

describe('verifyToken', () => {
  it('returns the viewer a valid token names', async () => {
    const token = await signToken({ sub: 'alice', tenant: 'acme', roles: ['clerk'], secret });
    expect(await verifyToken(token, secret)).toMatchObject({ userId: 'alice', tenantId: 'acme', roles: ['clerk'], token, keyId: null });
    expect((await verifyToken(token, secret)).scopes).toEqual(['read_inventory', 'write_inventory', 'read_orders', 'write_orders', 'read_analytics', 'read_media']);
  });

  it('refuses missing, expired, forged and incomplete tokens with UNAUTHENTICATED', async () => {
    expect(await code(verifyToken(null, secret))).toBe('UNAUTHENTICATED');
    expect(await code(verifyToken(await signToken({ sub: 'a', tenant: 't', roles: ['admin'], secret, expiresIn: '-1s' }), secret))).toBe('UNAUTHENTICATED');
    expect(await code(verifyToken(await signToken({ sub: 'a', tenant: 't', roles: ['admin'], secret: 'another-secret-of-length' }), secret))).toBe('UNAUTHENTICATED');
    expect(await code(verifyToken(await sign({ roles: ['admin'] }), secret))).toBe('UNAUTHENTICATED');
    expect(await code(verifyToken(await sign({ tenant: 't', roles: ['root'] }), secret))).toBe('UNAUTHENTICATED');
    expect(await code(verifyToken(await sign({ tenant: 't' }), secret))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with another algorithm', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"a","tenant":"t","roles":["admin"]}').toString('base64url')}.`;
    expect(await code(verifyToken(unsigned, secret))).toBe('UNAUTHENTICATED');
  });
});

describe('roles', () => {
  it('orders viewer < clerk < admin and keeps service apart', () => {
    expect(hasRole({ roles: [Role.Admin] }, Role.Clerk)).toBe(true);
    expect(hasRole({ roles: [Role.Viewer] }, Role.Clerk)).toBe(false);
    expect(hasRole({ roles: [Role.Service] }, Role.Viewer)).toBe(false);
    expect(hasRole({ roles: [Role.Admin] }, Role.Service)).toBe(false);
    expect(hasRole({ roles: [Role.Service] }, Role.Service)).toBe(true);
  });

  it('reads only a well-formed bearer header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
