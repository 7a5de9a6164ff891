import { createServer, type Server } from 'node:http';
import { subgraphs, urlEnv } from '@stockline/registry';
import { listen } from '@stockline/service';

export interface StubSubgraphs {
  url: string;
  /** GraphQL requests received so far. */
  calls: () => number;
  /** Headers of the last GraphQL request. */
  lastHeaders: () => Record<string, string | string[] | undefined>;
  /** Environment pointing every subgraph of the registry at this stub. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * One HTTP server standing in for every subgraph: counts the GraphQL requests the gateway sends and
 * answers each with `items { totalCount: 7, nodes: [10 × { id }] }`, whatever was asked.
 */
export async function startStubSubgraphs(): Promise<StubSubgraphs> {
  let calls = 0;
  let lastHeaders: Record<string, string | string[] | undefined> = {};
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/graphql')) return void res.end(req.url?.startsWith('/metrics') ? '' : '{"status":"ready"}');
    calls++;
    lastHeaders = req.headers;
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { items: { totalCount: 7, nodes: Array.from({ length: 10 }, (_, i) => ({ id: `item-${i}` })) } } }));
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    calls: () => calls,
    lastHeaders: () => lastHeaders,
    env: Object.fromEntries(subgraphs().map((s) => [urlEnv(s.name), url])),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
