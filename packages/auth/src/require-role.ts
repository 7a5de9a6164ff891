import { AuthenticationError, ForbiddenError } from '@stockline/errors';
import { hasRole, type Role, type Viewer } from './viewer.ts';

/** The viewer, or UNAUTHENTICATED when the request carried no valid token. */
export function requireViewer(viewer: Viewer | null | undefined): Viewer {
  if (!viewer) throw new AuthenticationError();
  return viewer;
}

/** The viewer when it holds `role` (or above); FORBIDDEN otherwise. */
export function requireRole(viewer: Viewer | null | undefined, role: Role): Viewer {
  const v = requireViewer(viewer);
  if (!hasRole(v, role)) throw new ForbiddenError(`This operation needs the "${role}" role`);
  return v;
}
