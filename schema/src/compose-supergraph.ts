import { composeServices } from '@apollo/composition';
import { loadSubgraphs } from './subgraphs.ts';

/** Composes the subgraphs that exist into a supergraph SDL, or returns the composition errors. */
export function composeSupergraph(): { supergraphSdl: string; subgraphs: string[] } | { errors: string[] } {
  const subgraphs = loadSubgraphs();
  const result = composeServices(subgraphs);
  if (result.errors) return { errors: result.errors.map((e) => e.message) };
  return { supergraphSdl: `${result.supergraphSdl.trim()}\n`, subgraphs: subgraphs.map((s) => s.name) };
}
