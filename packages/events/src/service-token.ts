import { signToken } from '@stockline/auth';

const LIFETIME_S = 3_600;

/**
 * A cached `service` token for platform consumers (tenant `*`: they read every tenant's events),
 * signed again ten minutes before it expires.
 */
export function serviceToken({ jwtSecret, sub }: { jwtSecret: string; sub: string }): () => Promise<string> {
  let current: { token: Promise<string>; renewAt: number } | null = null;
  return () => {
    if (!current || Date.now() > current.renewAt) {
      current = { token: signToken({ sub: `service:${sub}`, tenant: '*', roles: ['service'], secret: jwtSecret, expiresIn: `${LIFETIME_S}s` }), renewAt: Date.now() + (LIFETIME_S - 600) * 1000 };
    }
    return current.token;
  };
}
