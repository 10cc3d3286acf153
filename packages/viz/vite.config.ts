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
      // The page imports only pure facts from sim-core (the version calendar): its other modules
      // (machines, domains) must not ride along. Everything else keeps its declared side effects
      // (d3-transition patches d3-selection when imported).
      treeshake: {
        moduleSideEffects: (id) => !/[\\/]packages[\\/]sim-core[\\/]/.test(id),
      },
    },
  },
  server: {
    // `vite dev` next to `eks-sim serve` on 3000: the API and the stream go to the server.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
