import { AuthenticationError, ForbiddenError } from '@stockline/errors';
import { hasRole, type Role, type Viewer } from './viewer.ts';
import type { Scope } from './scope.ts';

/** The viewer, or UNAUTHENTICATED when the request carried no valid token. */
export function requireViewer(viewer: Viewer | null | undefined): Viewer {
  if (!viewer) throw new AuthenticationError();
  return viewer;
}

/** The viewer when it holds `role` (or above); FORBIDDEN otherwise. Subgraph operations check scopes instead (`requireScope`). */
export function requireRole(viewer: Viewer | null | undefined, role: Role): Viewer {
  const v = requireViewer(viewer);
  if (!hasRole(v, role)) throw new ForbiddenError(`This operation needs the "${role}" role`);
  return v;
}

/** The viewer when it holds `scope` exactly (a key holds only what it was given; the admin role's bundle holds all); FORBIDDEN otherwise. */
export function requireScope(viewer: Viewer | null | undefined, scope: Scope): Viewer {
  const v = requireViewer(viewer);
  if (!v.scopes.includes(scope)) throw new ForbiddenError(`This operation needs the "${scope}" scope`);
  return v;
}
