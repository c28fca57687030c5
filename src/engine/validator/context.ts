/** The shared, read-only view of one validation run that every check reads. */

import type { Agent, Issue, Plan, RuleSet, Task } from "../types.js";
import { readRouteInput, type RouteEntry, type RouteInput } from "./route-input.js";

export interface IndexedTask {
  task: Task;
  index: number;
}

export interface ValidationContext {
  plan: Plan;
  /** First task per id; duplicate ids are reported by the structure check. */
  tasks: Map<string, IndexedTask>;
  /** First agent per id. A Map, so ids such as `__proto__` find nothing inherited. */
  agents: Map<string, Agent>;
  route: RouteInput;
  /**
   * The first assignment of each task that exists in the plan, in route order.
   * Later duplicates and assignments of unknown tasks are left out here and
   * reported by the completeness check.
   */
  assignments: RouteEntry[];
}

/** Result of one check: `passed` is false exactly when `issues` is non-empty. */
export interface CheckResult {
  issues: Issue[];
  warnings: Issue[];
}

export function createContext(
  plan: Plan,
  route: Parameters<typeof readRouteInput>[0],
  ruleSet: RuleSet,
): ValidationContext {
  const tasks = new Map<string, IndexedTask>();
  const planTasks: readonly Task[] = Array.isArray(plan.tasks) ? plan.tasks : [];
  planTasks.forEach((task, index) => {
    if (!tasks.has(task.id)) tasks.set(task.id, { task, index });
  });

  const agents = new Map<string, Agent>();
  for (const agent of Array.isArray(ruleSet.agents) ? ruleSet.agents : []) {
    if (!agents.has(agent.id)) agents.set(agent.id, agent);
  }

  const input = readRouteInput(route);
  // Marked by the first plan index of each task id, which stands for the id.
  const seen = new Uint8Array(planTasks.length);
  const assignments: RouteEntry[] = [];
  for (const entry of input.assignments) {
    const indexed = tasks.get(entry.task);
    if (indexed === undefined || seen[indexed.index] === 1) continue;
    seen[indexed.index] = 1;
    assignments.push(entry);
  }

  return { plan, tasks, agents, route: input, assignments };
}

/**
 * Reads `metadata.required_skills`: an array of skill names, or one name as a
 * string. Returns `undefined` when the value has any other shape.
 */
export function requiredSkills(task: Task): string[] | undefined {
  const metadata = task.metadata;
  if (typeof metadata !== "object" || metadata === null) return [];
  if (!Object.prototype.hasOwnProperty.call(metadata, "required_skills")) return [];
  const value: unknown = metadata["required_skills"];
  if (value === null) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((skill) => typeof skill === "string")) {
    return value as string[];
  }
  return undefined;
}
