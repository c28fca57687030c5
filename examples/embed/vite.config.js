// A plain object (no import of "vite"), so the config also loads when Vite
// runs from another installation.
export default {
  // switchyard's worker uses top-level await, which the default "iife" rejects.
  worker: { format: "es" },
  // Pre-bundling would move the package away from its worker and WASM files,
  // which it finds with `new URL(..., import.meta.url)`.
  optimizeDeps: { exclude: ["switchyard"] },
  build: {
    assetsInlineLimit: (file) => (file.endsWith(".wasm") ? false : undefined),
  },
};
