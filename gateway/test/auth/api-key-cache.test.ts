import { describe, expect, it } from 'vitest';
import type { Principal } from '@stockline/auth';
import { ApiKeyCache } from '../../src/auth/api-key-cache.ts';

const principal = (keyId: string): Principal => ({ userId: `apikey:${keyId}`, tenantId: 't', roles: [], scopes: [], token: '', keyId });

describe('ApiKeyCache', () => {
  it('answers until the TTL, then forgets; remembers unknown hashes for a shorter time', () => {
    const cache = new ApiKeyCache(30_000);
    cache.set('h1', principal('k1'), 0);
    cache.set('h2', null, 0);
    expect(cache.get('h1', 29_999)?.keyId).toBe('k1');
    expect(cache.get('h2', 4_999)).toBeNull();
    expect(cache.get('h2', 5_000)).toBeUndefined();
    expect(cache.get('h1', 30_000)).toBeUndefined();
  });

  it('drops a key by id or by hash at once (revocation)', () => {
    const cache = new ApiKeyCache(30_000);
    cache.set('h1', principal('k1'), 0);
    cache.set('h2', principal('k2'), 0);
    cache.drop({ keyId: 'k1' });
    cache.drop({ hash: 'h2' });
    expect(cache.get('h1', 1)).toBeUndefined();
    expect(cache.get('h2', 1)).toBeUndefined();
  });
});
