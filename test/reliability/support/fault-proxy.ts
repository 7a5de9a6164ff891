import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type FaultMode = 'pass' | 'drop-response' | 'refuse' | 'blackhole';

export interface FaultProxy {
  /** Address to use instead of the target's. */
  host: string;
  port: number;
  /**
   * `pass`: bytes flow both ways. `drop-response`: the request reaches the target, and when its answer
   * starts coming back the client's connection is reset (the client saw its request sent, never the
   * answer). `refuse`: new connections are reset at once. `blackhole`: connections are accepted and
   * nothing is ever forwarded.
   */
  mode: FaultMode;
  /** Added to every chunk in both directions, in ms. */
  latencyMs: number;
  /** Responses dropped so far. */
  dropped: number;
  /** Resets every open connection (a link that goes down). */
  cut(): void;
  close(): Promise<void>;
}

/** A TCP proxy on loopback in front of `target`, with faults a test switches on and off. */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => (sockets.add(s), s.once('close', () => sockets.delete(s)));
  const server = createServer((client) => {
    track(client);
    client.on('error', () => {});
    if (proxy.mode === 'refuse') return void client.resetAndDestroy();
    if (proxy.mode === 'blackhole') return;
    const upstream = connect(target.port, target.host);
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    const delayed = (fn: () => void) => (proxy.latencyMs ? setTimeout(fn, proxy.latencyMs) : fn());
    client.on('data', (chunk) => delayed(() => upstream.writable && upstream.write(chunk)));
    upstream.on('data', (chunk) => delayed(() => {
      if (proxy.mode === 'drop-response') {
        proxy.dropped++;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      if (client.writable) client.write(chunk);
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: FaultProxy = {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    mode: 'pass',
    latencyMs: 0,
    dropped: 0,
    cut: () => sockets.forEach((s) => s.resetAndDestroy()),
    close: async () => {
      proxy.cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return proxy;
}
