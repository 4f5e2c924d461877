import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** `vite build apps/web` writes the SPA to apps/web/dist; the server serves it with an index.html fallback. */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The budget grid's chunk (Handsontable) is large; it loads only with the budget and forecast pages.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    port: 5173,
    proxy: {
      // The browser's Origin (http://localhost:5173) reaches the server unchanged; in development
      // the server accepts it by default (ALLOWED_ORIGINS, see the README).
      '/trpc': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});
