import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface HeldProxy {
  port: number;
  /** While held, what clients send is kept, not forwarded (the server answers nothing new). */
  hold(): void;
  /** Forwards what was kept for every client still connected; what dead clients sent is dropped. */
  release(): void;
  /** Bytes kept right now, over all connections. */
  heldBytes(): number;
  /** Client connections open right now. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on loopback in front of `target` that can hold what clients send: a client's command
 * (e.g. the outbox relay's PUBLISH to Redis) is written and never answered, as if the process stopped
 * between sending it and the server seeing it. Connections stay open either way.
 */
export async function startHeldProxy(target: { host: string; port: number }): Promise<HeldProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket; kept: Buffer[] }>();
  let held = false;
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const pair = { client, upstream, kept: [] as Buffer[] };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      pair.kept = [];
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk) => (held || pair.kept.length ? pair.kept.push(chunk) : upstream.write(chunk)));
    upstream.on('data', (chunk) => client.writable && client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hold: () => void (held = true),
    release() {
      held = false;
      for (const pair of pairs) {
        for (const chunk of pair.kept.splice(0)) pair.upstream.write(chunk);
      }
    },
    connections: () => pairs.size,
    heldBytes: () => [...pairs].reduce((n, p) => n + p.kept.reduce((m, c) => m + c.length, 0), 0),
    async close() {
      for (const p of pairs) (p.client.destroy(), p.upstream.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
