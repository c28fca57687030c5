/**
 * The router: rule-set compiler, task packer, JS matcher, result unpacking,
 * traces and the `Router` class.
 */
export * from "./tables.js";
export { compileRuleSet, stringKey } from "./compile.js";
export { MAX_CONDITION_DEPTH } from "./fragment.js";
export { packTasks, readMetadataPath } from "./pack.js";
export { assignBatch, createAssignOutput } from "./match.js";
export {
  RouteResultView,
  createResultContext,
  unpackResult,
  type ResultContext,
  type TaskLabels,
  type TaskOutcome,
} from "./result.js";
export { evaluateCondition, traceTask, type TraceState } from "./trace.js";
export type { RebuildReport } from "./edit.js";
export { Router } from "./router.js";
