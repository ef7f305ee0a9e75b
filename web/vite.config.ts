/**
 * @module web/vite.config
 * Builds the dashboard into `dist/web`, served by the gateway at `/dashboard/`.
 * Run from the repo root: `npm run build:web` (`vite build web`).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `vite web` during development: proxy the API to a gateway on :8080.
    proxy: { '/admin': 'http://127.0.0.1:8080', '/dashboard/api': 'http://127.0.0.1:8080' },
  },
});
