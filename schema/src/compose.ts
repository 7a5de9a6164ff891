/**
 * Writes schema/supergraph.graphql from the subgraphs' SDL, offline (`npm run compose`).
 * Exits 1 with every composition error when the subgraphs do not compose.
 */
import { writeFileSync } from 'node:fs';
import { composeSupergraph } from './compose-supergraph.ts';
import { supergraphPath } from './subgraphs.ts';

const result = composeSupergraph();
if ('errors' in result) {
  for (const error of result.errors) console.error(`composition error: ${error}`);
  process.exit(1);
}
writeFileSync(supergraphPath, result.supergraphSdl);
console.log(`wrote ${supergraphPath} (${result.subgraphs.join(', ')})`);
