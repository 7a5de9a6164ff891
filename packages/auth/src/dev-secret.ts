/** The documented development secret; every service refuses it when NODE_ENV=production. */
export const DEV_JWT_SECRET = 'stockline-development-secret-change-me';
