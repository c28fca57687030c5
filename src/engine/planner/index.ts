/** Planner: goal decomposition, atomic plan updates and plan import. */
export {
  Planner,
  type Decomposer,
  type DecomposeResult,
  type PlanChange,
  type PlannerOptions,
  type SubtaskInput,
} from "./planner.js";
export { importPlan } from "./import.js";
export { checkGoal, INJECTION_MARKERS } from "./goal.js";
