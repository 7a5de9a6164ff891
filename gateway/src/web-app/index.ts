/** The live inventory board at /app and persisted documents at /graphql (APQ is Apollo Server's own; trusted documents are here). */
export { serveWebApp, injectWebAppConfig, DEFAULT_WEB_APP_DIST_DIR, WEB_APP_NOT_BUILT_MESSAGE, type WebAppPageConfig } from './serve-web-app.ts';
export { webAppCsp } from './web-app-csp.ts';
export { loadTrustedDocuments, trustedDocumentsOnly, DEFAULT_TRUSTED_DOCUMENTS_MANIFEST, TRUSTED_DOCUMENT_REFUSED } from './trusted-documents.ts';
export { webAppConfig, webAppEnv, type WebAppConfig } from './web-app-env.ts';
