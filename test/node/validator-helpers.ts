import type { Agent, Plan, RouteResult, RuleSet, Task } from "../../src/engine/types.js";

/** Builds a pending task with defaults for every field not given. */
export function task(id: string, type: string, fields: Partial<Task> = {}): Task {
  return {
    id,
    type,
    description: "",
    dependsOn: [],
    status: "pending",
    metadata: {},
    ...fields,
  };
}

export function plan(tasks: Task[]): Plan {
  return { format: "switchyard/plan", version: 1, tasks };
}

export function agent(
  id: string,
  taskTypes: string[],
  fields: Partial<Agent> = {},
): Agent {
  return { id, taskTypes, skills: [], costTier: "medium", maxConcurrent: 10, ...fields };
}

export function ruleSet(agents: Agent[], fields: Partial<RuleSet> = {}): RuleSet {
  return {
    format: "switchyard/ruleset",
    version: 1,
    name: "test",
    agents,
    rules: [],
    ...fields,
  };
}

/** Builds a route result of capability assignments, in the given order. */
export function routeResult(
  map: Record<string, string>,
  fields: Partial<RouteResult> = {},
): RouteResult {
  const assignments = Object.entries(map).map(([taskId, agentId]) => ({
    task: taskId,
    agent: agentId,
    via: "capability" as const,
    explanation: "",
  }));
  return {
    order: Object.keys(map),
    assignments,
    unassigned: [],
    skipped: [],
    load: {},
    ...fields,
  };
}

/** Checks whether some number anywhere in a JSON-like value is NaN or infinite. */
export function hasNonFiniteNumber(value: unknown): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(hasNonFiniteNumber);
  if (typeof value === "object" && value !== null) {
    return Object.values(value).some(hasNonFiniteNumber);
  }
  return false;
}
