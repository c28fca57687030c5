/**
 * Module-worker entry for browsers. `expose()` runs synchronously while the
 * module evaluates, before any await, so no call sent during start-up is
 * lost. The service initialises WASM on its first call.
 */

import { expose } from "comlink";
import { installErrorHandler } from "./errors.js";
import { RouterService } from "./service.js";

installErrorHandler();
expose(new RouterService(globalThis.constructor.name));
