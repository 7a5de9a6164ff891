import { SignJWT } from 'jose';
import type { Role } from './role.ts';

export interface SignTokenOptions {
  sub: string;
  tenant: string;
  roles: Role[] | string[];
  secret: string;
  /** Lifetime, in jose's notation. @default '12h' */
  expiresIn?: string;
}

/** Signs an HS256 bearer token with the contract's claims (sub, tenant, roles). */
export async function signToken({ sub, tenant, roles, secret, expiresIn = '12h' }: SignTokenOptions): Promise<string> {
  return new SignJWT({ tenant, roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
