export { SUBGRAPHS, supergraphPath, loadSubgraphs } from './subgraphs.ts';
export { composeSupergraph } from './compose-supergraph.ts';
