import type { Express } from 'express';

/** A named dependency check for /readyz; resolves when the dependency answers, rejects otherwise. */
export type ReadinessCheck = [name: string, check: () => Promise<unknown>];

const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/**
 * `/healthz`: the process is alive (200 while it runs, 503 once shutting down).
 * `/readyz`: every check passes within its timeout (200) or not (503), with each check's result.
 */
export function useHealthChecks(app: Express, { checks, isShuttingDown, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS }: {
  checks: ReadinessCheck[];
  isShuttingDown: () => boolean;
  timeoutMs?: number;
}): void {
  app.get('/healthz', (_req, res) => {
    res.status(isShuttingDown() ? 503 : 200).json({ status: isShuttingDown() ? 'stopping' : 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      checks.map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs))),
          ]);
          return [name, { ok: true }] as const;
        } catch (error) {
          return [name, { ok: false, error: (error as Error).message }] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const ok = !isShuttingDown() && results.every(([, r]) => r.ok);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', checks: Object.fromEntries(results) });
  });
}
