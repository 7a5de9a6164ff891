import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { servicePath, type ServiceEntry } from '@stockline/registry';

/**
 * The environment variables a service reads: the `<NAME>_ENV` list its `src/config.ts` exports
 * (a convention of every service; see packages/registry/README.md).
 */
export async function serviceEnv(service: ServiceEntry): Promise<string[]> {
  const file = servicePath(service, 'src', 'config.ts');
  if (!existsSync(file)) throw new Error(`${service.name}: ${service.dir}/src/config.ts is missing`);
  const exported = `${service.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ENV`;
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const list = module[exported];
  if (!Array.isArray(list)) throw new Error(`${service.name}: ${service.dir}/src/config.ts does not export ${exported} (the variables it reads)`);
  return list as string[];
}
