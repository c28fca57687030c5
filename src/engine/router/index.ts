/**
 * The router: rule-set compiler, task packer, JS matcher, result unpacking,
 * traces and the `Router` class.
 */
// UNKNOWN_SUCCESS_RATE is left out because the validator exports the same value.
export {
  FALSE,
  TRUE,
  UNKNOWN,
  KIND_MISSING,
  KIND_STRING,
  KIND_NUMBER,
  KIND_BOOL,
  KIND_ARRAY,
  KIND_OBJECT,
  OP_EQ,
  OP_NE,
  OP_IN,
  OP_NOT_IN,
  OP_LT,
  OP_LTE,
  OP_GT,
  OP_GTE,
  OP_BETWEEN,
  OP_EXISTS,
  OP_MISSING,
  OP_CONTAINS,
  OP_STARTS_WITH,
  CODE_LEAF,
  CODE_ALL,
  CODE_ANY,
  CODE_NOT,
  CODE_TRUE,
  SLOT_TYPE,
  SLOT_DESCRIPTION,
  VIA_RULE,
  VIA_CAPABILITY,
  VIA_UNASSIGNED,
  VIA_SKIPPED,
  REASON_NONE,
  REASON_NO_CAPABLE_AGENT,
  REASON_AT_CAPACITY,
  REASON_UNAVAILABLE,
} from "./tables.js";
export type { AssignInput, AssignOutput, CompiledTables, TaskBatch } from "./tables.js";
export { compileRuleSet, stringKey } from "./compile.js";
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
