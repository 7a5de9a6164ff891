import type { Logger } from '@stockline/observability';
import { AlertStatus, type Alert } from './alert-book.ts';

export const DEFAULT_WEBHOOK_ATTEMPTS = 6;
export const DEFAULT_WEBHOOK_BACKOFF_MS = 250;
const WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * The webhook body: Alertmanager's webhook format (version 4), so receivers written for
 * Alertmanager accept it as is.
 */
export function webhookBody(alert: Alert) {
  return {
    version: '4',
    status: alert.status === AlertStatus.Firing ? 'firing' : 'resolved',
    receiver: 'stockline',
    groupKey: alert.key,
    alerts: [
      {
        status: alert.status === AlertStatus.Firing ? 'firing' : 'resolved',
        labels: { alertname: alert.rule, severity: alert.severity, ...alert.labels },
        annotations: { summary: alert.summary },
        startsAt: alert.startsAt,
        endsAt: alert.endsAt ?? '0001-01-01T00:00:00Z',
        fingerprint: alert.id,
      },
    ],
  };
}

/**
 * Tells of every alert that fires or resolves: one log line, and a POST to the webhook when one is
 * configured, retried with exponential backoff (250 ms, 500 ms, … `attempts` tries). Deliveries go
 * one at a time, in order, so a "resolved" never overtakes its "firing".
 */
export function createAlertNotifier({ logger, webhookUrl, attempts = DEFAULT_WEBHOOK_ATTEMPTS, backoffMs = DEFAULT_WEBHOOK_BACKOFF_MS }: { logger: Logger; webhookUrl: string | null; attempts?: number; backoffMs?: number }) {
  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  const deliver = async (alert: Alert) => {
    const body = JSON.stringify(webhookBody(alert));
    for (let attempt = 1; attempt <= attempts && !closed; attempt++) {
      try {
        const response = await fetch(webhookUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
        await response.body?.cancel();
        if (response.ok) return;
        throw new Error(`webhook answered ${response.status}`);
      } catch (err) {
        if (attempt === attempts) return logger.error({ err, alert: alert.key }, 'alert webhook failed; giving up');
        logger.warn({ err, alert: alert.key, attempt }, 'alert webhook failed; retrying');
        await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
      }
    }
  };
  return {
    notify(alert: Alert): void {
      const log = alert.status === AlertStatus.Firing ? logger.warn.bind(logger) : logger.info.bind(logger);
      log({ alert: { key: alert.key, rule: alert.rule, severity: alert.severity, status: alert.status, labels: alert.labels } }, `alert ${alert.status.toLowerCase()}: ${alert.summary}`);
      if (webhookUrl) queue = queue.then(() => deliver(alert));
    },
    /** Waits for deliveries under way (up to their retries), then stops retrying. */
    async close(): Promise<void> {
      const pending = queue;
      closed = true;
      await pending;
    },
  };
}
