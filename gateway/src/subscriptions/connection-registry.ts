import type { WebSocket } from 'ws';
import type { Viewer } from '@stockline/auth';
import { CloseCode } from './close-code.ts';

/** setTimeout takes at most this many milliseconds. */
const MAX_TIMER_MS = 2_147_483_647;

export interface Connection {
  socket: WebSocket;
  viewer: Viewer;
  expiry: NodeJS.Timeout | null;
}

/**
 * The authenticated sockets of this instance, by tenant: enforces the per-tenant limit, ends a
 * connection when its credential expires, and closes a principal's sockets on revocation.
 */
export class ConnectionRegistry {
  private readonly byTenant = new Map<string, Set<Connection>>();

  constructor(private readonly options: { maxConnectionsPerTenant: number }) {}

  get size(): number {
    let n = 0;
    for (const set of this.byTenant.values()) n += set.size;
    return n;
  }

  /** Registers an authenticated socket; false (and the socket closed with 4429) when its tenant is at the limit. */
  add(socket: WebSocket, viewer: Viewer): Connection | null {
    const set = this.byTenant.get(viewer.tenantId) ?? new Set<Connection>();
    if (set.size >= this.options.maxConnectionsPerTenant) {
      socket.close(CloseCode.TooManyConnections, `Too many connections for this tenant (limit ${this.options.maxConnectionsPerTenant})`);
      return null;
    }
    const connection: Connection = { socket, viewer, expiry: null };
    const expiresAt = viewer.expiresAt?.getTime();
    if (expiresAt !== undefined) {
      connection.expiry = setTimeout(() => socket.close(CloseCode.Forbidden, 'Token expired'), Math.min(Math.max(0, expiresAt - Date.now()), MAX_TIMER_MS));
      connection.expiry.unref();
    }
    set.add(connection);
    this.byTenant.set(viewer.tenantId, set);
    return connection;
  }

  remove(connection: Connection): void {
    if (connection.expiry) clearTimeout(connection.expiry);
    const set = this.byTenant.get(connection.viewer.tenantId);
    set?.delete(connection);
    if (set?.size === 0) this.byTenant.delete(connection.viewer.tenantId);
  }

  /**
   * Closes (4403) every socket opened with a credential matching `match` — an API key's id, a user, or a
   * whole tenant — e.g. when a key is revoked. Returns how many were closed.
   */
  closeWhere(match: { keyId?: string; userId?: string; tenantId?: string }, reason = 'Credential revoked'): number {
    let closed = 0;
    for (const set of this.byTenant.values()) {
      for (const { socket, viewer } of set) {
        if (match.tenantId !== undefined && viewer.tenantId !== match.tenantId) continue;
        if (match.userId !== undefined && viewer.userId !== match.userId) continue;
        if (match.keyId !== undefined && viewer.keyId !== match.keyId) continue;
        socket.close(CloseCode.Forbidden, reason);
        closed += 1;
      }
    }
    return closed;
  }
}
