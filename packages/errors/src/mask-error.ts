import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './error-code.ts';

const EXPOSED = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * PostgreSQL SQLSTATEs that mean "the database cannot serve you now", not a bug: connection exceptions,
 * too many connections, shutdown, a statement cancelled by `statement_timeout` (57014) and a session
 * ended by `idle_in_transaction_session_timeout` (25P03).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-3]|53300|57014|25P03)$/;
/**
 * Node/pg/Prisma failures to reach the database or to hear from it in time: pg-pool's acquire timeout,
 * a dropped or refused connection, pg's client-side `query_timeout` ("Query read timeout"), and the
 * messages Prisma's pg adapter wraps the same failures in (its error code is a generic P2010), and
 * undici's "other side closed" (UND_ERR_SOCKET): the gateway's subgraph died while answering.
 */
const UNAVAILABLE_MESSAGE = /timeout exceeded when trying to connect|Connection terminated|ECONNREFUSED|ECONNRESET|connect ETIMEDOUT|Query read timeout|Server has closed the connection|Can't reach database server|Timed out fetching a new connection|other side closed|^(ConnectionClosed|DatabaseNotReachable|SocketTimeout)$/;

/**
 * Whether `error` (or what it wraps) says the database is unreachable or saturated: a pool that
 * could not hand out a connection in time, a refused or dropped connection, a shutting-down server.
 * Such a request is answered SERVICE_UNAVAILABLE (retry later, with the same idempotency key), never
 * INTERNAL_SERVER_ERROR: nothing is broken, and clients and alerts must tell the two apart.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { originalError?: unknown; cause?: unknown; code?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && UNAVAILABLE_SQLSTATE.test(e.code)) return true;
    if (typeof e.code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|UND_ERR_SOCKET)$/.test(e.code)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    // Prisma's raw-query errors (code P2010) carry PostgreSQL's SQLSTATE only in their message.
    const prismaCode = typeof e.message === 'string' ? /Raw query failed\. Code: `([0-9A-Z]{5})`/.exec(e.message)?.[1] : undefined;
    if (prismaCode && UNAVAILABLE_SQLSTATE.test(prismaCode)) return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

export interface MaskErrorOptions {
  /** Keep stack traces and original messages (development only). @default false */
  expose?: boolean;
  /** Called with every masked error, for logging. */
  onMasked?: (formatted: GraphQLFormattedError, original: unknown) => void;
}

/**
 * Apollo `formatError`: known codes pass through; anything else becomes INTERNAL_SERVER_ERROR
 * with a generic message. Never throws.
 */
export function maskError({ expose = false, onMasked }: MaskErrorOptions = {}) {
  return (formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError => {
    try {
      const code = String(formatted.extensions?.code ?? '');
      if (EXPOSED.has(code) && code !== ErrorCode.InternalServerError) {
        if (expose) return formatted;
        const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
        return { ...formatted, extensions };
      }
      onMasked?.(formatted, original);
      if (isDatabaseUnavailable(original)) {
        return {
          message: 'The service cannot reach its database or a service it depends on right now; retry later (with the same idempotency key for a change)',
          locations: formatted.locations,
          path: formatted.path,
          extensions: { code: ErrorCode.ServiceUnavailable },
        };
      }
      if (expose) return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.InternalServerError } };
      return {
        message: 'Internal server error',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.InternalServerError },
      };
    } catch {
      return { message: 'Internal server error', extensions: { code: ErrorCode.InternalServerError } };
    }
  };
}
