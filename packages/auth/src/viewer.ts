import { Role } from './role.ts';
import type { Scope } from './scope.ts';

export { Role };

/** Who is calling: taken from a verified credential, never from bare headers. */
export interface Viewer {
  /** The user (`sub`), or `apikey:<id>` for an API key. */
  userId: string;
  tenantId: string;
  roles: Role[];
  /** What the caller may do: its roles' bundles, or exactly an API key's scopes. */
  scopes: Scope[];
  /** The raw bearer credential (at the gateway: what the client sent; in a subgraph: the gateway's internal token). */
  token: string;
  /** Set when the caller is an API key: its id (revocation ends what it opened). */
  keyId?: string | null;
  /** When the credential stops being valid, if known. */
  expiresAt?: Date | null;
}

/** What `authenticate` returns: the same shape as a subgraph's viewer. */
export type Principal = Viewer;

// viewer < clerk < admin; service is its own world (only internal endpoints accept it).
const RANK: Record<Role, number> = { viewer: 1, clerk: 2, admin: 3, service: 0 };

/** True when the viewer holds `role` or one above it. */
export function hasRole(viewer: Pick<Viewer, 'roles'>, role: Role): boolean {
  if (role === Role.Service) return viewer.roles.includes(Role.Service);
  return viewer.roles.some((r) => r !== Role.Service && RANK[r] >= RANK[role]);
}
