/**
 * Data shapes shared by the planner, router and validator. These mirror the
 * JSON file formats; the zod schemas in `schema/` produce exactly these types
 * after validation and defaulting.
 */

export type JsonScalar = string | number | boolean | null;
export type MetadataValue = JsonScalar | JsonScalar[] | { [key: string]: MetadataValue };
export type Metadata = { [key: string]: MetadataValue };

export type TaskStatus = "pending" | "in_progress" | "completed" | "failed";

export interface Task {
  id: string;
  type: string;
  description: string;
  dependsOn: string[];
  parent?: string;
  status: TaskStatus;
  metadata: Metadata;
}

export interface Plan {
  format: "switchyard/plan";
  version: 1;
  goal?: string;
  tasks: Task[];
}

export type CostTier = "cheap" | "medium" | "expensive";

export interface Agent {
  id: string;
  taskTypes: string[];
  skills: string[];
  costTier: CostTier;
  /** Probability of success in [0, 1]; absent means unknown (counted as 0.7). */
  successRate?: number;
  maxConcurrent: number;
}

export const OPERATORS = [
  "eq",
  "ne",
  "in",
  "notIn",
  "lt",
  "lte",
  "gt",
  "gte",
  "between",
  "exists",
  "missing",
  "contains",
  "startsWith",
] as const;
export type Operator = (typeof OPERATORS)[number];

/** A scalar that a rule may compare against (null is not comparable: use `missing`). */
export type RuleScalar = string | number | boolean;

export interface Condition {
  taskType?: string | string[];
  metadata?: { [path: string]: RuleScalar };
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
  /** `type`, `description` or `metadata.<dotted path>`. */
  field?: string;
  op?: Operator;
  value?: RuleScalar | RuleScalar[];
}

export interface Rule {
  id: string;
  priority: number;
  when: Condition;
  agent: string;
  explanation: string;
}

export interface PlanTemplateTask {
  id: string;
  type: string;
  description: string;
  dependsOn?: string[];
}

export interface PlanTemplate {
  id: string;
  keywords: string[];
  tasks: PlanTemplateTask[];
}

export interface Refinement {
  suffix: string;
  type: string;
  description: string;
}

export interface PlannerLimits {
  maxDepth: number;
  maxTasks: number;
  maxGoalLength: number;
  maxSubtasksPerUpdate: number;
  maxUpdatesPerPlan: number;
}

export interface PlannerConfig {
  templates: PlanTemplate[];
  refinements: { [taskType: string]: Refinement[] };
  atomicTypes: string[];
  limits: PlannerLimits;
}

export interface RuleSet {
  format: "switchyard/ruleset";
  version: 1;
  name: string;
  description?: string;
  agents: Agent[];
  rules: Rule[];
  planner?: PlannerConfig;
}

export type UnassignedReason = "no-capable-agent" | "at-capacity" | "unavailable";

export interface Assignment {
  task: string;
  agent: string;
  via: "rule" | "capability";
  rule?: string;
  explanation: string;
}

export interface Unassigned {
  task: string;
  reason: UnassignedReason;
  explanation: string;
}

export interface RouteResult {
  order: string[];
  assignments: Assignment[];
  unassigned: Unassigned[];
  skipped: string[];
  load: { [agentId: string]: number };
}

export interface RouteOptions {
  /** Only these agents may receive tasks; absent means every agent. */
  availableAgents?: readonly string[];
  /** Tasks already running per agent before this plan is routed. */
  load?: { readonly [agentId: string]: number };
}

/** Why one candidate rule did not win, or that it did. */
export type TraceStep =
  | { rule: string; agent: string; outcome: "won" }
  | {
      rule: string;
      agent: string;
      outcome: "condition-failed";
      /** JSON path of the first failing test inside the rule, e.g. `when.all[0]`. */
      at: string;
      field: string;
      op: Operator | "taskType";
      expected: unknown;
      /** Value found in the task; `undefined` when absent. */
      actual: unknown;
      /** `false` or `unknown` (the field was absent, null or not comparable). */
      result: "false" | "unknown";
    }
  | { rule: string; agent: string; outcome: "agent-unavailable" }
  | {
      rule: string;
      agent: string;
      outcome: "agent-at-capacity";
      load: number;
      maxConcurrent: number;
    }
  /** The rule matched but an earlier candidate had already won. */
  | { rule: string; agent: string; outcome: "not-reached" };

export interface TaskTrace {
  task: string;
  type: string;
  steps: TraceStep[];
  /** Capability fallback candidates considered, in the order tried. */
  fallback: {
    agent: string;
    outcome: "won" | "unavailable" | "at-capacity";
    load: number;
  }[];
  result: Assignment | Unassigned | { task: string; skipped: true };
}

export type Severity = "error" | "warning";

export interface Issue {
  code: string;
  severity: Severity;
  task?: string;
  agent?: string;
  path?: string;
  message: string;
}

export interface ValidationChecks {
  solvability: boolean;
  completeness: boolean;
  nonRedundancy: boolean;
  structure: boolean;
  budget: boolean | null;
}

export interface ScoreParts {
  success: number;
  quality: number;
  cost: number;
  time: number;
}

export interface ValidationResult {
  passed: boolean;
  checks: ValidationChecks;
  qualityScore: number | null;
  scoreParts: ScoreParts;
  issues: Issue[];
  warnings: Issue[];
}
