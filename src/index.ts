/**
 * The switchyard package: the engine (formats, planner, router, validator,
 * lint), the worker-backed router client and the IndexedDB rule-set store.
 */
export * from "./engine/index.js";
export * from "./worker/client.js";
export * from "./store/index.js";
