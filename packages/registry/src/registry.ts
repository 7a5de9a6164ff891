import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICES, type ServiceEntry } from './services.ts';

/** The repository root (where package.json with the workspaces lives). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Absolute path of a file inside a service's folder. */
export const servicePath = (service: ServiceEntry, ...parts: string[]) => join(repoRoot, service.dir, ...parts);

/** `inventory` → `INVENTORY_URL`: the variable holding a service's base URL (its GraphQL endpoint is `<url>/graphql`). */
export const urlEnv = (name: string) => `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;

/** `inventory` → `INVENTORY_PORT`: the launcher's port variable for a service. */
export const portEnv = (name: string) => `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PORT`;

/**
 * Whether a service's folder exists yet: a package.json, and a schema.graphql for a subgraph.
 * Entries of services still being built are skipped by composition, the gateway and the launcher.
 */
export function isPresent(service: ServiceEntry): boolean {
  return existsSync(servicePath(service, 'package.json')) && (!service.subgraph || existsSync(servicePath(service, 'schema.graphql')));
}

/** A registry entry by name; throws on an unknown name. */
export function service(name: string): ServiceEntry {
  const found = (SERVICES as readonly ServiceEntry[]).find((s) => s.name === name);
  if (!found) throw new Error(`unknown service "${name}"; the registry has ${SERVICES.map((s) => s.name).join(', ')}`);
  return found;
}

/** Every service, or only those whose folder exists (`present: true`). */
export function services({ present = false }: { present?: boolean } = {}): ServiceEntry[] {
  return (SERVICES as readonly ServiceEntry[]).filter((s) => !present || isPresent(s));
}

/** The subgraphs, in registry order. */
export function subgraphs(options: { present?: boolean } = {}): ServiceEntry[] {
  return services(options).filter((s) => s.subgraph);
}

/** Services whose URL `service` reads. */
export function callees(service: ServiceEntry): readonly string[] {
  return service.calls ?? service.dependsOn;
}

/**
 * `list` sorted so every service comes after the services it depends on. Dependencies missing from
 * `list` (not built yet) are ignored; a cycle throws.
 */
export function startOrder(list: ServiceEntry[] = services({ present: true })): ServiceEntry[] {
  const byName = new Map(list.map((s) => [s.name, s]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: ServiceEntry[] = [];
  const visit = (s: ServiceEntry, path: string[]) => {
    if (done.has(s.name)) return;
    if (visiting.has(s.name)) throw new Error(`dependency cycle: ${[...path, s.name].join(' → ')}`);
    visiting.add(s.name);
    for (const dep of s.dependsOn) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, s.name]);
    }
    visiting.delete(s.name);
    done.add(s.name);
    order.push(s);
  };
  for (const s of list) visit(s, []);
  return order;
}
