/** Polls `read` until `check` passes or `timeoutMs` runs out; returns the last value either way (assert on it). */
export async function eventually<T>(read: () => T | Promise<T>, check: (value: T) => boolean, { timeoutMs = 10_000, everyMs = 100 } = {}): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
