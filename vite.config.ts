import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import {
  contentSecurityPolicy,
  CONTENT_SECURITY_POLICY_HEADER,
} from "./web/plugins/csp.js";
import { precacheServiceWorker } from "./web/plugins/precache.js";

const webRoot = fileURLToPath(new URL("./web/", import.meta.url));

/**
 * Cross-origin isolation gives the benchmark page precise timers and
 * SharedArrayBuffer; without it Chromium coarsens `performance.now()` to 100 µs.
 */
const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  root: webRoot,
  base: "./",
  publicDir: "public",
  plugins: [
    contentSecurityPolicy(),
    precacheServiceWorker({ swSource: "sw/service-worker.js" }),
  ],
  worker: { format: "es" },
  build: {
    outDir: fileURLToPath(new URL("./web-dist/", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // A .wasm file under 4 KiB would otherwise become a data: URL, which a
    // strict Content-Security-Policy and the service worker's cache handle worse.
    assetsInlineLimit: (filePath) => (filePath.endsWith(".wasm") ? false : undefined),
    rolldownOptions: {
      input: {
        planner: `${webRoot}index.html`,
        rules: `${webRoot}rules.html`,
        bench: `${webRoot}bench.html`,
      },
    },
  },
  server: {
    host: "127.0.0.1",
    headers: isolationHeaders,
    fs: { allow: [fileURLToPath(new URL("./", import.meta.url))] },
  },
  preview: {
    host: "127.0.0.1",
    headers: {
      ...isolationHeaders,
      "Content-Security-Policy": CONTENT_SECURITY_POLICY_HEADER,
    },
  },
});
