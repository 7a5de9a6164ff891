import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type DocumentNode } from 'graphql';
import { servicePath, subgraphs } from '@stockline/registry';

/**
 * The subgraphs the gateway composes, from the service registry in its order, with the URL each has
 * inside docker-compose (the gateway replaces it with its configured URL at run time).
 */
export const SUBGRAPHS = subgraphs().map((s) => ({ name: s.name, url: `http://${s.name}:${s.port}/graphql` }));

export const supergraphPath = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));

/** The SDL of every subgraph whose folder exists (one still being built, without schema.graphql, is left out). */
export function loadSubgraphs(): { name: string; url: string; typeDefs: DocumentNode }[] {
  return subgraphs({ present: true }).map((s) => ({
    name: s.name,
    url: `http://${s.name}:${s.port}/graphql`,
    typeDefs: parse(readFileSync(servicePath(s, 'schema.graphql'), 'utf8')),
  }));
}
