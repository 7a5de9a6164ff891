import { describe, expect, it } from 'vitest';
import { SERVICES, isPresent, portEnv, service, services, startOrder, subgraphs, urlEnv, type ServiceEntry } from '@stockline/registry';

const entry = (name: string, dependsOn: string[] = []): ServiceEntry => ({ name, workspace: `@x/${name}`, dir: name, port: 1, owns: [], subgraph: false, dependsOn });

describe('the service registry', () => {
  it('names each service, workspace and port once, and depends only on services it lists', () => {
    const names = SERVICES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(SERVICES.map((s) => s.workspace)).size).toBe(names.length);
    expect(new Set(SERVICES.map((s) => s.port)).size).toBe(names.length);
    for (const s of SERVICES as readonly ServiceEntry[]) for (const dep of s.dependsOn) expect(names, `${s.name} depends on ${dep}`).toContain(dep);
  });

  it('orders services after their dependencies and the gateway last', () => {
    const order = startOrder(services()).map((s) => s.name);
    for (const s of SERVICES as readonly ServiceEntry[]) for (const dep of s.dependsOn) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(s.name));
    expect(order.at(-1)).toBe('gateway');
  });

  it('ignores dependencies that are not built yet and refuses a cycle naming it', () => {
    expect(startOrder([entry('b', ['a', 'missing']), entry('a')]).map((s) => s.name)).toEqual(['a', 'b']);
    expect(() => startOrder([entry('a', ['b']), entry('b', ['a'])])).toThrow('dependency cycle: a → b → a');
  });

  it('counts as present only a service whose folder has a package.json and, for a subgraph, a schema.graphql', () => {
    expect(isPresent(service('inventory'))).toBe(true);
    expect(isPresent(service('gateway'))).toBe(true);
    expect(isPresent({ ...entry('ghost'), dir: 'subgraphs/ghost', subgraph: true })).toBe(false);
    expect(subgraphs({ present: true }).every((s) => s.subgraph && isPresent(s))).toBe(true);
  });

  it('derives the URL and port variables from the name and refuses an unknown name', () => {
    expect(urlEnv('inventory')).toBe('INVENTORY_URL');
    expect(portEnv('media')).toBe('MEDIA_PORT');
    expect(() => service('nope')).toThrow('unknown service "nope"');
  });
});
