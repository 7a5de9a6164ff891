export { createSubgraphService, type SubgraphService, type SubgraphServiceOptions, type BaseContext } from './create-subgraph-service.ts';
export { useHealthChecks, type ReadinessCheck } from './use-health-checks.ts';
export { connectionFrom, encodeCursor, decodeCursor, pageSize, DEFAULT_MAX_PAGE_SIZE, type Connection } from './connection.ts';
export { listen } from './listen.ts';
export { DateTimeScalar } from './date-time-scalar.ts';
export { stopOnSignals } from './stop-on-signals.ts';
export { onParentExit } from './on-parent-exit.ts';
export { isUuid, type Actor } from './actor.ts';
export { KeyedGate, type KeyedGateOptions } from './keyed-gate.ts';
