/** Roles from the contract, plus `service` for calls between subgraphs (never issued to users). */
export enum Role {
  Viewer = 'viewer',
  Clerk = 'clerk',
  Admin = 'admin',
  Service = 'service',
}

/** Who is calling: taken from a verified token, never from bare headers. */
export interface Viewer {
  userId: string;
  tenantId: string;
  roles: Role[];
  /** The raw bearer token, forwarded to subgraphs. */
  token: string;
}

// viewer < clerk < admin; service is its own world (only internal endpoints accept it).
const RANK: Record<Role, number> = { viewer: 1, clerk: 2, admin: 3, service: 0 };

/** True when the viewer holds `role` or one above it. */
export function hasRole(viewer: Pick<Viewer, 'roles'>, role: Role): boolean {
  if (role === Role.Service) return viewer.roles.includes(Role.Service);
  return viewer.roles.some((r) => r !== Role.Service && RANK[r] >= RANK[role]);
}
