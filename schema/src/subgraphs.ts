import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';

/**
 * The subgraphs the gateway composes, in a fixed order, with the URL each has inside
 * docker-compose (the gateway replaces it with its configured URL at run time).
 * A subgraph whose folder has no schema.graphql yet is left out.
 */
export const SUBGRAPHS = [
  { name: 'inventory', url: 'http://inventory:4001/graphql' },
  { name: 'orders', url: 'http://orders:4002/graphql' },
  { name: 'analytics', url: 'http://analytics:4003/graphql' },
  { name: 'media', url: 'http://media:4004/graphql' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const supergraphPath = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));

const schemaPath = (name: string) => fileURLToPath(new URL(`../../subgraphs/${name}/schema.graphql`, import.meta.url));

/** The SDL of every subgraph that exists. */
export function loadSubgraphs(): { name: string; url: string; typeDefs: DocumentNode }[] {
  return SUBGRAPHS.filter((s) => existsSync(schemaPath(s.name))).map((s) => ({
    name: s.name,
    url: s.url,
    typeDefs: parse(readFileSync(schemaPath(s.name), 'utf8')),
  }));
}
