export { SERVICES, type ServiceEntry, type ServiceName, type OwnedData } from './services.ts';
export { callees, isPresent, portEnv, repoRoot, service, servicePath, services, startOrder, subgraphs, urlEnv } from './registry.ts';
