/**
 * The dashboard's build: a static bundle in dist/web that the server hands
 * out as files. Everything is bundled (no CDN), asset URLs are relative so the
 * server may mount the dashboard under any path, and routes live in the hash
 * so a reload never asks the server for a page it does not have.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // The dashboard targets current browsers; no legacy transforms.
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `vite` in this folder for development: API and socket go to a running `kt serve`.
    proxy: { '/api': { target: process.env['KT_SERVER'] ?? 'http://127.0.0.1:8001', ws: true } },
  },
});
