// Builds the page into dist/web: plain static files the console's server serves; nothing is loaded from elsewhere.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: { outDir: `${here}/../../dist/web`, emptyOutDir: true, sourcemap: true },
  // `vite --config src/web/vite.config.mts` serves the page with hot reload; the API comes from a running console.
  server: { proxy: { '/api': 'http://127.0.0.1:3006', '/gateway': 'http://127.0.0.1:3006' } },
});
