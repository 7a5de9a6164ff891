/** Self-hosted GraphiQL page served by the gateway at /graphiql. */
export { serveGraphiql, DEFAULT_GRAPHIQL_DIST_DIR, GRAPHIQL_NOT_BUILT_MESSAGE, type ServeGraphiqlOptions } from './serve-graphiql.ts';
export { GRAPHIQL_CSP } from './csp.ts';
export { injectPageConfig, serializeForScript, type GraphiqlPageConfig } from './render-index.ts';
