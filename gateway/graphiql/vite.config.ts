/**
 * Builds the GraphiQL page into gateway/graphiql/dist.
 * Run from the gateway folder: `vite build --config graphiql/vite.config.ts`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // The gateway mounts the page at /graphiql/: absolute, same-origin asset URLs.
  base: '/graphiql/',
  // No .env lookups or public/ folder are needed; skipping them keeps the build hermetic.
  envDir: false,
  publicDir: false,
  logLevel: 'warn',
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Gzip-size reporting takes seconds on Monaco's multi-megabyte chunks.
    reportCompressedSize: false,
    // Monaco is large by nature; the page is a dev tool, so the default 500 kB warning is noise.
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      onwarn(warning, warn) {
        // React libraries mark modules "use client"; bundling for the browser
        // drops the directive harmlessly, and ~100 such lines hide real warnings.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  worker: {
    // Monaco's GraphQL worker splits into chunks, which the default IIFE format cannot express.
    format: 'es',
  },
});
