import { createServer } from 'node:http';
import { listen } from '@stockline/service';

export interface ReceivedAlert {
  status: 'firing' | 'resolved';
  alertname: string;
  service?: string;
  at: number;
}

/** A local HTTP server that records every alert webhook it receives (Alertmanager's JSON). */
export async function startWebhookReceiver() {
  const received: ReceivedAlert[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const payload = JSON.parse(body) as { alerts: { status: 'firing' | 'resolved'; labels: Record<string, string> }[] };
      for (const a of payload.alerts) received.push({ status: a.status, alertname: a.labels.alertname, service: a.labels.service, at: Date.now() });
      res.end('ok');
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    received,
    /** Resolves with the first alert matching, polling until `timeoutMs`. */
    async waitFor(match: (a: ReceivedAlert) => boolean, timeoutMs: number): Promise<ReceivedAlert> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching alert in ${timeoutMs} ms; got ${JSON.stringify(received)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
