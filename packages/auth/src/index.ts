export { Role, hasRole, type Viewer } from './viewer.ts';
export { signToken, type SignTokenOptions } from './sign-token.ts';
export { verifyToken, bearerToken } from './verify-token.ts';
export { requireRole, requireViewer } from './require-role.ts';
export { DEV_JWT_SECRET } from './dev-secret.ts';
