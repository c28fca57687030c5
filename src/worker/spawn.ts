/**
 * Starts the router worker for the current platform and reports its death:
 * a module Worker in browsers, a worker_threads Worker under Node.
 */

import type { Endpoint } from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";

/** The platform worker object, for hosts that want to observe or stop it. */
export type RawWorker = Worker | import("node:worker_threads").Worker;

export interface WorkerHandle {
  endpoint: Endpoint;
  raw: Promise<RawWorker>;
  /**
   * Registers the callback run when the worker fails, exits on its own, or
   * is stopped by someone other than `terminate` of this handle.
   */
  onDeath(callback: (reason: string) => void): void;
  terminate(): void;
}

/** Starts a worker from `url`, or from the bundled entry for this platform. */
export function startWorker(url?: URL | string): WorkerHandle {
  if (typeof globalThis.Worker === "function") {
    return startBrowserWorker(url);
  }
  return startNodeWorker(url);
}

function startBrowserWorker(url?: URL | string): WorkerHandle {
  // The literal `new Worker(new URL(...), {type: "module"})` form is what Vite bundles.
  const worker =
    url === undefined
      ? new Worker(new URL("./browser-entry.js", import.meta.url), { type: "module" })
      : new Worker(url, { type: "module" });
  let deathCallback: ((reason: string) => void) | null = null;
  worker.addEventListener("error", (event: ErrorEvent) => {
    event.preventDefault();
    deathCallback?.(event.message || "the worker script failed to load or threw");
  });
  // Browsers fire no event when a worker is terminated, so the worker handed
  // to the host reports each call of its terminate().
  const stopWorker = worker.terminate.bind(worker);
  worker.terminate = () => {
    stopWorker();
    deathCallback?.("terminated by the host");
  };
  return {
    endpoint: worker,
    raw: Promise.resolve(worker),
    onDeath(callback) {
      deathCallback = callback;
    },
    terminate() {
      stopWorker();
    },
  };
}

interface NodeBuiltins {
  getBuiltinModule(id: "node:worker_threads"): typeof import("node:worker_threads");
  getBuiltinModule(id: "node:fs"): typeof import("node:fs");
}

/**
 * Location of `node-entry.js`. The built client sits next to it in
 * `dist/worker/`; a client run from TypeScript sources uses the build.
 */
function nodeEntryUrl(fs: typeof import("node:fs")): URL {
  const beside = new URL("./node-entry.js", import.meta.url);
  if (fs.existsSync(beside)) return beside;
  return new URL("../../dist/worker/node-entry.js", import.meta.url);
}

function startNodeWorker(url?: URL | string): WorkerHandle {
  // `process.getBuiltinModule` (Node 20.16+) loads built-ins synchronously
  // without an import that browser bundlers would try to resolve.
  const builtins = process as unknown as NodeBuiltins;
  const { Worker: NodeWorker } = builtins.getBuiltinModule("node:worker_threads");
  const fs = builtins.getBuiltinModule("node:fs");
  const entry = url === undefined ? nodeEntryUrl(fs) : new URL(String(url));
  if (!fs.existsSync(entry)) {
    throw new Error(
      `router worker entry not found at ${entry.href}; run npm run build to create dist/`,
    );
  }
  const worker = new NodeWorker(entry);
  let deathCallback: ((reason: string) => void) | null = null;
  let stopping = false;
  worker.on("error", (error: Error) => {
    deathCallback?.(`uncaught ${error.name}: ${error.message}`);
  });
  worker.on("exit", (code: number) => {
    if (!stopping) deathCallback?.(`exited with code ${code}`);
  });
  return {
    endpoint: nodeEndpoint(worker as never),
    raw: Promise.resolve(worker),
    onDeath(callback) {
      deathCallback = callback;
    },
    terminate() {
      stopping = true;
      void worker.terminate();
    },
  };
}
