/**
 * Identical requests in flight at the same time share one answer: the first starts the work, the
 * others wait for its promise. The entry is gone as soon as it settles, so nothing is cached
 * beyond the lifetime of one request (Hive Gateway does the same for its subgraph queries).
 */
export function createInflight<T>() {
  const inflight = new Map<string, Promise<T>>();
  return {
    run(key: string, work: () => Promise<T>): { promise: Promise<T>; shared: boolean } {
      const existing = inflight.get(key);
      if (existing) return { promise: existing, shared: true };
      const promise = work().finally(() => inflight.delete(key));
      inflight.set(key, promise);
      return { promise, shared: false };
    },
    get size() {
      return inflight.size;
    },
  };
}
