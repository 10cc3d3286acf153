import { defineConfig } from 'vite';

/**
 * Builds the page into `dist/` for the server to serve at `/`. Everything is bundled (d3, the
 * calendar table from sim-core): no CDN, no web fonts, so it works offline on a projector.
 */
export default defineConfig({
  root: __dirname,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    rollupOptions: {
      // sim-core modules declare data and classes; the page imports only pure facts from it
      // (the version calendar), so modules it does not use must not ride along.
      treeshake: { moduleSideEffects: (id) => !id.includes('/packages/sim-core/') },
    },
  },
  server: {
    // `vite dev` next to `eks-sim serve` on 3000: the API and the stream go to the server.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
