import { defineConfig } from "vite";

// The build goes into the Python package, which serves it at "/".
export default defineConfig({
  base: "/",
  build: {
    outDir: "../src/midcorridor/web/static",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    // No inline scripts or data: modules: the page runs under a strict CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
