import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, type DocumentNode } from 'graphql';
import { Pool } from 'undici';
import { REQUEST_ID_HEADER } from '@stockline/observability';
import type { GatewayContext } from '../context.ts';
import { internalTokenFor } from '../auth/internal-token-for.ts';
import { createInflight } from './coalesce-inflight.ts';
import { UNAVAILABLE_STATUSES, subgraphUnavailable } from './subgraph-unavailable.ts';
import { uniqueRepresentations } from './unique-representations.ts';
import type { createWriteEpochs } from './write-epochs.ts';

export interface SubgraphDataSourceOptions {
  /** The subgraph's GraphQL endpoint. */
  url: string;
  /** The subgraph's name in the supergraph (errors name it). @default the URL's host */
  name?: string;
  /** Longest wait for the answer's headers, then again for its body. */
  timeoutMs: number;
  jwtSecret: string;
  /** Per-tenant mutation counters shared by all subgraphs of this gateway. */
  writeEpochs: ReturnType<typeof createWriteEpochs>;
  /** Keep-alive connections to the subgraph. @default 128 */
  connections?: number;
}

type Incoming = { context: GatewayContext; incomingRequestContext: GatewayGraphQLRequestContext<GatewayContext> };

interface RawAnswer {
  status: number;
  contentType: string;
  cacheControl: string | null;
  text: string;
}

/**
 * How the gateway calls a subgraph. In place of Apollo's RemoteGraphQLDataSource (node-fetch
 * Request/Headers objects and a fetch per call), it:
 * - sends over an undici keep-alive pool with plain header objects;
 * - forwards the internal token the gateway signs for the caller (docs/access.md) and the request id;
 * - sends each distinct `_entities` representation once;
 * - lets identical reads in flight at the same time (same subgraph, same caller, same document and
 *   variables, no mutation finished for the tenant in between) share one subgraph call.
 * Errors keep Apollo's shapes: a non-2xx answer is `<status>: <text>` with the answer in
 * `extensions.response`; a subgraph that cannot be reached or answers 502/503/504 gives an error
 * per missing field, with its path, SERVICE_UNAVAILABLE and the subgraph's name (subgraphUnavailable).
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly inflight = createInflight<RawAnswer>();

  constructor(private readonly options: SubgraphDataSourceOptions) {
    const url = new URL(options.url);
    this.path = url.pathname + url.search;
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 128,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    // GraphQLDataSourceRequestKind.INCOMING_OPERATION (the enum is not exported by @apollo/gateway).
    const incoming = options.kind === ('incoming operation' as typeof options.kind) ? (options as Incoming) : null;
    const context = incoming?.context;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (request.http?.headers) for (const [name, value] of request.http.headers) headers[name.toLowerCase()] = value;
    if (context?.viewer) headers.authorization = `Bearer ${await internalTokenFor(context.viewer, this.options.jwtSecret)}`;
    if (context?.requestId) headers[REQUEST_ID_HEADER] = context.requestId;

    const representations = request.variables?.representations;
    const deduped = Array.isArray(representations) && representations.length > 1 ? uniqueRepresentations(representations) : null;
    const variables = deduped ? { ...request.variables, representations: deduped.unique } : request.variables;
    const body = JSON.stringify({ query: request.query, variables, operationName: request.operationName, extensions: request.extensions });

    const operation = incoming?.incomingRequestContext.operation?.operation;
    const tenant = context?.viewer?.tenantId;
    let answer: RawAnswer;
    const unavailable = () => subgraphUnavailable({ serviceName: this.options.name ?? new URL(this.options.url).host, query: request.query!, document: (options as { document?: DocumentNode }).document, representations });
    try {
      if (operation === 'query') {
        const key = `${tenant ?? ''}\u0000${tenant ? this.options.writeEpochs.of(tenant) : 0}\u0000${headers.authorization ?? ''}\u0000${body}`;
        answer = await this.inflight.run(key, () => this.send(headers, body)).promise;
      } else {
        try {
          answer = await this.send(headers, body);
        } finally {
          if (operation === 'mutation' && tenant) this.options.writeEpochs.advance(tenant);
        }
      }
    } catch {
      // Not reached, reset, or no answer in time: the fields of this fetch are missing, the rest is served.
      return unavailable();
    }
    if (UNAVAILABLE_STATUSES.has(answer.status)) return unavailable();

    if (incoming) restrictCachePolicy(incoming, answer.cacheControl);
    if (answer.status < 200 || answer.status > 299) throw errorFromAnswer(this.options.url, answer);
    const parsed = parseAnswer(answer);
    if (!deduped) return parsed;
    const data = parsed.data as { _entities?: unknown } | null | undefined;
    const { entities, errors } = deduped.expand(data?._entities, parsed.errors);
    return { ...parsed, data: data ? { ...data, _entities: entities } : data, ...(errors ? { errors } : {}) };
  }

  private async send(headers: Record<string, string>, body: string): Promise<RawAnswer> {
    const response = await this.pool.request({ path: this.path, method: 'POST', headers, body });
    const text = await response.body.text();
    const contentType = String(response.headers['content-type'] ?? '');
    const cacheControl = response.headers['cache-control'];
    return { status: response.statusCode, contentType, cacheControl: typeof cacheControl === 'string' ? cacheControl : null, text };
  }

  /** Closes the keep-alive connections (gateway stop). */
  close(): Promise<void> {
    return this.pool.close();
  }
}

function parseAnswer(answer: RawAnswer): GatewayGraphQLResponse {
  if (!/^application\/(graphql-response\+)?json/.test(answer.contentType)) throw new Error(`Expected JSON response body, but received: ${answer.text.slice(0, 200)}`);
  const parsed = JSON.parse(answer.text);
  if (!parsed || typeof parsed !== 'object') throw new Error(`Expected JSON response body, but received: ${answer.text.slice(0, 200)}`);
  return parsed;
}

/** Apollo's error for a non-2xx subgraph answer. */
function errorFromAnswer(url: string, answer: RawAnswer): GraphQLError {
  let body: unknown = answer.text;
  try {
    if (answer.contentType.includes('json')) body = JSON.parse(answer.text);
  } catch {
    /* keep the text */
  }
  const code = answer.status === 401 ? 'UNAUTHENTICATED' : answer.status === 403 ? 'FORBIDDEN' : undefined;
  const statusText = STATUS_TEXT[answer.status] ?? '';
  return new GraphQLError(`${answer.status}: ${statusText}`, { extensions: { response: { url, status: answer.status, statusText, body }, ...(code ? { code } : {}) } });
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 413: 'Payload Too Large', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

/** As Apollo's data source: the subgraph's Cache-Control (none means max-age 0) restricts the response's cache policy. */
function restrictCachePolicy(incoming: Incoming, header: string | null) {
  const policy = incoming.incomingRequestContext.overallCachePolicy as { restrict?: (hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }) => void } | undefined;
  if (!policy?.restrict) return;
  const maxAge = header?.match(/max-age=(\d+)/)?.[1];
  const hint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } = { maxAge: maxAge ? Number(maxAge) : 0 };
  if (header && /(^|,)\s*private\s*(,|$)/.test(header)) hint.scope = 'PRIVATE';
  if (header && /(^|,)\s*public\s*(,|$)/.test(header)) hint.scope = 'PUBLIC';
  policy.restrict(hint);
}
