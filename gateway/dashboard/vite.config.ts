/**
 * Builds the operators' dashboard into gateway/dashboard/dist (served at /dashboard/).
 * Run from the gateway folder: `vite build --config dashboard/vite.config.ts`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  envDir: false,
  publicDir: false,
  logLevel: 'warn',
  clearScreen: false,
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, reportCompressedSize: false },
});
