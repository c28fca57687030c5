/** File formats: plan and rule-set schemas, problem formatting, canonical JSON. */
export { parsePlan, safeParsePlan, MAX_ID_LENGTH, type SafeParseResult } from "./plan.js";
export { parseRuleSet, safeParseRuleSet, DEFAULT_PLANNER_LIMITS } from "./ruleset.js";
export { formatProblems } from "./problems.js";
export { canonicalJson } from "./canonical.js";
export { MAX_CONDITION_DEPTH } from "./prescan.js";
export { MAX_METADATA_DEPTH } from "./metadata.js";
