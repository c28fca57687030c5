/**
 * Every input limit of switchyard, declared once with its value. The schema
 * modules, the router and the file readers enforce them, and each error
 * names the limit (by its key in LIMITS) and its value. The README's Limits
 * table lists the same keys and values, and a test keeps the two equal.
 *
 * The values are sized for real use with headroom: the benchmark suite's
 * largest inputs (plans of 10^6 tasks, rule sets of 3,000 rules) fit, and
 * every count fits the 32-bit integer tables that the JS and WASM matchers
 * share.
 */

/** Maximum size of a plan or rule-set file read by the command line, in bytes. */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Maximum size of a rule-set file imported into the browser store, in bytes.
 * It is lower than MAX_INPUT_FILE_BYTES because the store keeps every version
 * of a rule set in IndexedDB, while the command line reads a file once, and
 * plan files (which only the command line reads) are the larger kind: a
 * 100,000-task plan is about 10 MiB of JSON.
 */
export const MAX_RULESET_FILE_BYTES = 5 * 1024 * 1024;

/** Maximum number of tasks in a plan. */
export const MAX_PLAN_TASKS = 1_000_000;

/** Maximum number of rules in a rule set. */
export const MAX_RULES = 10_000;

/** Maximum number of agents in a rule set. */
export const MAX_AGENTS = 1_000;

/** Maximum length of a task, agent, rule or template id, in UTF-16 code units. */
export const MAX_ID_LENGTH = 128;

/**
 * Maximum length of any other string in a file (descriptions, explanations,
 * goals, names, metadata keys and values, rule values), in UTF-16 code units.
 */
export const MAX_STRING_LENGTH = 65_536;

/** Deepest nesting of arrays and objects anywhere in a file. */
export const MAX_INPUT_DEPTH = 128;

/** Deepest condition nesting in a rule; `when` itself is level 1. */
export const MAX_CONDITION_DEPTH = 32;

/** Deepest object nesting in task metadata; the metadata object is level 1. */
export const MAX_METADATA_DEPTH = 8;

/** Maximum size of one task's metadata as JSON text, in UTF-16 code units. */
export const MAX_METADATA_JSON_LENGTH = 65_536;

/** Largest absolute rule priority; the matchers store priorities as int32. */
export const MAX_PRIORITY = 1_000_000_000;

/** Largest agent `maxConcurrent`; the matchers store capacities as int32. */
export const MAX_CONCURRENT = 1_000_000_000;

/** Largest starting load of one agent in route options; loads are int32. */
export const MAX_LOAD = 1_000_000_000;

/** A limit's value, its unit and what it bounds, for documentation and messages. */
export interface LimitInfo {
  value: number;
  unit: "bytes" | "count" | "UTF-16 code units" | "levels" | "absolute value";
  bounds: string;
}

/** Every limit by the name that error messages use. */
export const LIMITS = {
  maxInputFileBytes: {
    value: MAX_INPUT_FILE_BYTES,
    unit: "bytes",
    bounds: "a plan or rule-set file read by the command line",
  },
  maxRuleSetFileBytes: {
    value: MAX_RULESET_FILE_BYTES,
    unit: "bytes",
    bounds: "a rule-set file imported into the browser store",
  },
  maxPlanTasks: { value: MAX_PLAN_TASKS, unit: "count", bounds: "tasks in a plan" },
  maxRules: { value: MAX_RULES, unit: "count", bounds: "rules in a rule set" },
  maxAgents: { value: MAX_AGENTS, unit: "count", bounds: "agents in a rule set" },
  maxIdLength: {
    value: MAX_ID_LENGTH,
    unit: "UTF-16 code units",
    bounds: "a task, agent, rule or template id",
  },
  maxStringLength: {
    value: MAX_STRING_LENGTH,
    unit: "UTF-16 code units",
    bounds: "any other string or object key in a file",
  },
  maxInputDepth: {
    value: MAX_INPUT_DEPTH,
    unit: "levels",
    bounds: "nesting of arrays and objects in a file",
  },
  maxConditionDepth: {
    value: MAX_CONDITION_DEPTH,
    unit: "levels",
    bounds: "nesting of a rule condition (all, any, not)",
  },
  maxMetadataDepth: {
    value: MAX_METADATA_DEPTH,
    unit: "levels",
    bounds: "object nesting in task metadata",
  },
  maxMetadataJsonLength: {
    value: MAX_METADATA_JSON_LENGTH,
    unit: "UTF-16 code units",
    bounds: "one task's metadata written as JSON",
  },
  maxPriority: {
    value: MAX_PRIORITY,
    unit: "absolute value",
    bounds: "a rule's priority",
  },
  maxConcurrent: {
    value: MAX_CONCURRENT,
    unit: "count",
    bounds: "an agent's maxConcurrent",
  },
  maxLoad: {
    value: MAX_LOAD,
    unit: "count",
    bounds: "an agent's starting load in route options",
  },
} as const satisfies Record<string, LimitInfo>;

export type LimitName = keyof typeof LIMITS;

/** Formats "over the <name> limit of <value>" for error messages. */
export function overLimit(name: LimitName): string {
  const { value, unit } = LIMITS[name];
  const suffix = unit === "bytes" ? " bytes" : "";
  return `over the ${name} limit of ${value}${suffix}`;
}
