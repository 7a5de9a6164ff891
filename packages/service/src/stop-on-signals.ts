import type { Logger } from '@stockline/observability';
import { onParentExit } from './on-parent-exit.ts';

/**
 * On SIGTERM or SIGINT, or when the parent process dies (npm or the launcher signalled on its own):
 * log, run `stop` (stop accepting, drain, close pools), exit 0 — or 1 when stopping failed.
 * For a service's index.ts, the only place that owns the process.
 */
export function stopOnSignals({ stop, logger }: { stop: () => Promise<void>; logger: Logger }): void {
  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: reason }, 'shutting down');
    try {
      await stop();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));
  onParentExit(() => void shutdown('parent exited'));
}
