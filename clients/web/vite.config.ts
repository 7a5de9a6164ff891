/**
 * Builds the board into clients/web/dist, served by the gateway at /app/ (`npm run build -w @stockline/web`).
 * Also emits dist/persisted-documents.json: { "<sha256 hex>": "<document>" } for every operation the app
 * can send, exactly as urql sends it (Graphcache adds __typename, then the document is printed). The gateway's
 * trusted-documents mode accepts only those.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { formatDocument, stringifyDocument } from '@urql/core';
import { defineConfig, type Plugin } from 'vite';
import { OPERATIONS } from './src/documents.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The manifest of trusted documents: what the client will send, keyed by its APQ hash. */
export function persistedDocuments(): Record<string, string> {
  const manifest: Record<string, string> = {};
  for (const doc of Object.values(OPERATIONS)) {
    const text = stringifyDocument(formatDocument(doc));
    manifest[createHash('sha256').update(text).digest('hex')] = text;
  }
  return manifest;
}

function emitPersistedDocuments(): Plugin {
  return {
    name: 'stockline-persisted-documents',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'persisted-documents.json', source: `${JSON.stringify(persistedDocuments(), null, 2)}\n` });
    },
  };
}

export default defineConfig({
  root,
  base: '/app/',
  envDir: false,
  logLevel: 'warn',
  clearScreen: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  plugins: [emitPersistedDocuments()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
