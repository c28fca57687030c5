/** Rule-set lint: problems the schema cannot see, as findings with fixes. */
export { lintRuleSet } from "./lint.js";
export type { LintFinding } from "./finding.js";
