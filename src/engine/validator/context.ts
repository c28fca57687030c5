/** The shared, read-only view of one validation run that every check reads. */

import type { Agent, Issue, Plan, RuleSet, Task } from "../types.js";
import { readRouteInput, type RouteEntry, type RouteInput } from "./route-input.js";

export interface IndexedTask {
  task: Task;
  index: number;
}

export interface ValidationContext {
  plan: Plan;
  /** The plan's tasks, or an empty list when `plan.tasks` is not an array. */
  taskList: readonly Task[];
  /** Plan index of the first task per id; duplicate ids are reported by the structure check. */
  taskIndex: Map<string, number>;
  /** First agent per id. A Map, so ids such as `__proto__` find nothing inherited. */
  agents: ReadonlyMap<string, Agent>;
  route: RouteInput;
  /** Plan index of the task of each `route.assignments` entry, or -1 when no task has its id. */
  routeTaskIndex: number[];
  /**
   * The first assignment of each task that exists in the plan, in route order.
   * Later duplicates and assignments of unknown tasks are left out here and
   * reported by the completeness check.
   */
  assignments: RouteEntry[];
  /** Plan index of the task of each entry of `assignments`. */
  assignmentTasks: number[];
  /** The agent of each entry of `assignments`, or undefined when the rule set has none with its id. */
  assignmentAgents: (Agent | undefined)[];
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
  const taskIndex = new Map<string, number>();
  const taskList: readonly Task[] = Array.isArray(plan.tasks) ? plan.tasks : [];
  taskList.forEach((task, index) => {
    if (!taskIndex.has(task.id)) taskIndex.set(task.id, index);
  });

  const agents = agentsById(ruleSet);
  const input = readRouteInput(route);
  const routeTaskIndex: number[] = [];
  // Marked by the first plan index of each task id, which stands for the id.
  const seen = seenScratch(taskList.length);
  const assignments: RouteEntry[] = [];
  const assignmentTasks: number[] = [];
  const assignmentAgents: (Agent | undefined)[] = [];
  input.assignments.forEach((entry) => {
    const index = taskIndex.get(entry.task);
    routeTaskIndex.push(index ?? -1);
    if (index === undefined || seen[index] === 1) return;
    seen[index] = 1;
    assignments.push(entry);
    assignmentTasks.push(index);
    assignmentAgents.push(agents.get(entry.agent));
  });

  return {
    plan,
    taskList,
    taskIndex,
    agents,
    route: input,
    routeTaskIndex,
    assignments,
    assignmentTasks,
    assignmentAgents,
  };
}

/**
 * Grow-only marks reused by `createContext`, which reads them only in a loop
 * that runs no caller code, so no other call can overwrite them meanwhile.
 */
let seenMarks = new Uint8Array(1024);

/** Returns `seenMarks` cleared for `length` entries. */
function seenScratch(length: number): Uint8Array {
  if (seenMarks.length < length) seenMarks = new Uint8Array(2 * length);
  seenMarks.fill(0, 0, length);
  return seenMarks;
}

/** The agents of one rule set by id, and the `agents` array they were read from. */
interface AgentIndex {
  list: readonly Agent[];
  length: number;
  byId: Map<string, Agent>;
}

/**
 * Agent indexes per rule set. Rule sets are treated as immutable once parsed,
 * so an index is reused while the rule set keeps the same `agents` array of
 * the same length.
 * NOTE: replacing an element of `agents` in place, or changing an agent's
 * `id`, after the rule set was first validated is not detected.
 */
const agentIndexes = new WeakMap<RuleSet, AgentIndex>();

/** Returns the first agent per id of the rule set, reusing the cached index. */
function agentsById(ruleSet: RuleSet): ReadonlyMap<string, Agent> {
  const list: unknown = ruleSet.agents;
  if (!Array.isArray(list)) return new Map();
  const cached = agentIndexes.get(ruleSet);
  if (cached !== undefined && cached.list === list && cached.length === list.length) {
    return cached.byId;
  }
  const byId = new Map<string, Agent>();
  for (const agent of list as Agent[]) {
    if (!byId.has(agent.id)) byId.set(agent.id, agent);
  }
  if (typeof ruleSet === "object" && ruleSet !== null) {
    agentIndexes.set(ruleSet, { list, length: list.length, byId });
  }
  return byId;
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
