/** What a service owns and nobody else reads directly. */
export type OwnedData =
  | { kind: 'postgres'; schema: string }
  | { kind: 'duckdb' }
  | { kind: 'object-storage' };

export interface ServiceEntry {
  /** Short name: log prefix, docker-compose service, `<NAME>_URL` / `<NAME>_PORT` variables. */
  readonly name: string;
  /** npm workspace package (`npm start -w <workspace>`). */
  readonly workspace: string;
  /** Folder from the repository root. */
  readonly dir: string;
  /** Port the service listens on by default (docker-compose and `npm start`). */
  readonly port: number;
  /** The data it owns; empty when it owns none. */
  readonly owns: readonly OwnedData[];
  /** Composed into the supergraph and routed to by the gateway. */
  readonly subgraph: boolean;
  /** Services that must be ready before this one starts (start order). */
  readonly dependsOn: readonly string[];
  /** Services whose `<NAME>_URL` this one reads (defaults to `dependsOn`). */
  readonly calls?: readonly string[];
}

/**
 * Every service of the platform, in no particular order (`startOrder` sorts by dependencies).
 * Adding a service: its folder, one entry here, `npm run compose` (see packages/registry/README.md).
 */
export const SERVICES = [
  { name: 'inventory', workspace: '@stockline/inventory', dir: 'subgraphs/inventory', port: 4001, owns: [{ kind: 'postgres', schema: 'inventory' }], subgraph: true, dependsOn: [] },
  { name: 'orders', workspace: '@stockline/orders', dir: 'subgraphs/orders', port: 4002, owns: [{ kind: 'postgres', schema: 'orders' }], subgraph: true, dependsOn: ['inventory'] },
  { name: 'analytics', workspace: '@stockline/analytics', dir: 'subgraphs/analytics', port: 4003, owns: [{ kind: 'duckdb' }], subgraph: true, dependsOn: ['inventory'] },
  { name: 'media', workspace: '@stockline/media', dir: 'subgraphs/media', port: 4004, owns: [{ kind: 'postgres', schema: 'media' }, { kind: 'object-storage' }], subgraph: true, dependsOn: [], calls: ['inventory'] },
  { name: 'access', workspace: '@stockline/access', dir: 'subgraphs/access', port: 4005, owns: [{ kind: 'postgres', schema: 'access' }], subgraph: true, dependsOn: [] },
  { name: 'gateway', workspace: '@stockline/gateway', dir: 'gateway', port: 4000, owns: [], subgraph: false, dependsOn: ['inventory', 'orders', 'analytics', 'media', 'access'] },
] as const satisfies readonly ServiceEntry[];

export type ServiceName = (typeof SERVICES)[number]['name'];
