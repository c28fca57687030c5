/**
 * worker_threads entry for Node. Runs from `dist/worker/node-entry.js`,
 * because Node 20 cannot load TypeScript in a worker. `expose()` runs
 * synchronously, before any await.
 */

import { parentPort } from "node:worker_threads";
import { expose } from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { installErrorHandler } from "./errors.js";
import { RouterService } from "./service.js";

if (parentPort === null) {
  throw new Error("node-entry.js must run inside a worker_threads Worker");
}
installErrorHandler();
expose(new RouterService("worker_threads"), nodeEndpoint(parentPort));
