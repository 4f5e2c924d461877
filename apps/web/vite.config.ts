import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** `vite build apps/web` writes the SPA to apps/web/dist; the server serves it with an index.html fallback. */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/trpc': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});
