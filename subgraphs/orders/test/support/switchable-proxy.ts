import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SwitchableProxy {
  /** Base URL to give the orders service as INVENTORY_URL. */
  url: string;
  /** Where requests go while up. */
  target: string | null;
  /** Down: every request is answered 503, as by a load balancer with no healthy backend. */
  up: boolean;
  close(): Promise<void>;
}

/** A stand-in for the network between orders and inventory that a test can take down and bring back. */
export async function startSwitchableProxy(): Promise<SwitchableProxy> {
  const proxy: SwitchableProxy = { url: '', target: null, up: false, close: async () => {} };
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (!proxy.up || !proxy.target) return res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":"SERVICE_UNAVAILABLE"}');
    const upstream = await fetch(`${proxy.target}${req.url}`, {
      method: req.method,
      headers: { 'content-type': 'application/json', authorization: String(req.headers.authorization ?? '') },
      body: req.method === 'POST' ? body : undefined,
    });
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return proxy;
}
