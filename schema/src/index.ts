export { SUBGRAPHS, supergraphPath, loadSubgraphs, type SubgraphName } from './subgraphs.ts';
export { composeSupergraph } from './compose-supergraph.ts';
