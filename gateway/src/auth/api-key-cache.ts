import type { Principal } from '@stockline/auth';

/** How long a resolved key is trusted without asking the access service again. @default 30 s */
export const DEFAULT_API_KEY_CACHE_TTL_MS = 30_000;
/** How long an unknown hash is remembered as unknown (spares the access service a flood of bad keys). */
const NEGATIVE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry { principal: Principal | null; until: number }

/**
 * Secret hash → principal, for `ttlMs`. Revocations delete entries at once (by key id, from the
 * pub/sub message), so the TTL only bounds how stale a cached key can be when a message is lost.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs = DEFAULT_API_KEY_CACHE_TTL_MS) {}

  /** The cached answer: a principal, null for a known-unknown hash, undefined when not cached. */
  get(hash: string, now = Date.now()): Principal | null | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.principal;
  }

  set(hash: string, principal: Principal | null, now = Date.now()): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { principal, until: now + (principal ? this.ttlMs : Math.min(this.ttlMs, NEGATIVE_TTL_MS)) });
  }

  /** Forgets the key with this hash, or with this id. */
  drop({ hash, keyId }: { hash?: string; keyId?: string }): void {
    if (hash) this.entries.delete(hash);
    if (keyId) for (const [h, e] of this.entries) if (e.principal?.keyId === keyId) this.entries.delete(h);
  }
}
