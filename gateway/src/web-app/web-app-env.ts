import { z } from '@stockline/config';

/** Environment of the /app board and of persisted documents at /graphql (README's configuration table lists each). */
export const webAppEnv = {
  WEB_APP_ENABLED: z.stringbool().default(true),
  /** Refuse every HTTP operation that is not in the manifest (production mode for first-party clients). */
  TRUSTED_DOCUMENTS_ONLY: z.stringbool().default(false),
  TRUSTED_DOCUMENTS_MANIFEST: z.string().optional(),
};

export function webAppConfig(env: { WEB_APP_ENABLED: boolean; TRUSTED_DOCUMENTS_ONLY: boolean; TRUSTED_DOCUMENTS_MANIFEST?: string }) {
  return {
    enabled: env.WEB_APP_ENABLED,
    trustedDocumentsOnly: env.TRUSTED_DOCUMENTS_ONLY,
    /** null: the board's build output (clients/web/dist/persisted-documents.json). */
    manifestPath: env.TRUSTED_DOCUMENTS_MANIFEST ?? null,
  };
}

export type WebAppConfig = ReturnType<typeof webAppConfig>;
