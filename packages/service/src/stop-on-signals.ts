import type { Logger } from '@stockline/observability';

/**
 * On SIGTERM or SIGINT: log, run `stop` (stop accepting, drain, close pools), exit 0 — or 1 when
 * stopping failed. For a service's index.ts, the only place that owns the process.
 */
export function stopOnSignals({ stop, logger }: { stop: () => Promise<void>; logger: Logger }): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, async () => {
      logger.info({ signal }, 'shutting down');
      try {
        await stop();
        process.exit(0);
      } catch (err) {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      }
    });
  }
}
