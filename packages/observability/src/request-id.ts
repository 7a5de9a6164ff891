import { randomUUID } from 'node:crypto';

/** Header that carries one request's id from the gateway to every subgraph it calls. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** The incoming request id when it looks sane, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.-]{1,128}$/.test(value) ? value : randomUUID();
}
