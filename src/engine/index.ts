/**
 * The engine: formats, DAG, planner, router, validator and lint. Pure
 * TypeScript with no DOM and no Node APIs, so it runs on a page, in a worker
 * and under Node alike.
 */
export * from "./types.js";
export * from "./errors.js";
export * from "./schema/index.js";
export * from "./dag/index.js";
export * from "./planner/index.js";
export * from "./router/index.js";
export * from "./validator/index.js";
export * from "./lint/index.js";
export { DEFAULT_RULE_SET } from "./default-ruleset.js";
export * from "./limits.js";
