import { SubgraphDataSource } from './subgraph-data-source.ts';
import { createWriteEpochs } from './write-epochs.ts';

/**
 * The gateway's subgraph data sources: one keep-alive pool each, sharing the per-tenant mutation
 * counters that keep coalesced reads read-your-writes (see SubgraphDataSource).
 */
export function createDataSources({ timeoutMs, jwtSecret }: { timeoutMs: number; jwtSecret: string }) {
  const writeEpochs = createWriteEpochs();
  const sources: SubgraphDataSource[] = [];
  return {
    create(url: string, name?: string): SubgraphDataSource {
      const source = new SubgraphDataSource({ url, name, timeoutMs, jwtSecret, writeEpochs });
      sources.push(source);
      return source;
    },
    async close(): Promise<void> {
      await Promise.all(sources.map((s) => s.close()));
    },
  };
}
