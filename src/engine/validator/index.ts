/** Plan validation: solvability, completeness, non-redundancy, structure, budget, score. */
export {
  validatePlan,
  estimatePlanCost,
  DEFAULT_MAX_TASKS,
  type ValidateOptions,
} from "./validate.js";
export { TIER_COST_UNITS, TIER_SCORE_COST, UNKNOWN_SUCCESS_RATE } from "./score.js";
export { JACCARD_THRESHOLD, jaccardSimilarity } from "./redundancy.js";
export { MAX_DEPTH } from "./structure.js";
