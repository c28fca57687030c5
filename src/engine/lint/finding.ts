/** One rule-set lint finding. */
export interface LintFinding {
  /** Stable kebab-case code, e.g. `shadowed-rule`. */
  code: string;
  /** `error`: the rule set is certainly wrong; `warning`: probably; `info`: worth knowing. */
  severity: "error" | "warning" | "info";
  /** JSON path in the rule set, e.g. `rules[3].when.all[0]`. */
  path: string;
  /** What was found and how to fix it. */
  message: string;
}
