/**
 * The planner: goal -> plan by templates or a pluggable async decomposer,
 * and atomic plan updates.
 *
 * Per-plan counters (updates applied, tasks ever added) live in a WeakMap
 * keyed by the plan object this planner returned. `update` never mutates its
 * input: it builds a new plan, validates it in full, and only then records
 * the new plan's counters, so a failed update leaves no trace anywhere. A
 * plan this planner has not seen starts at 0 updates and its current size.
 */
import { LimitError, PlanError } from "../errors.js";
import { findCycle } from "../dag/cycle.js";
import { buildGraph } from "../dag/graph.js";
import { cycleErrorFor } from "../dag/topological.js";
import { didYouMean } from "../schema/edit-distance.js";
import { parsePlan } from "../schema/plan.js";
import { MAX_ID_LENGTH, MAX_PLAN_TASKS, MAX_STRING_LENGTH } from "../limits.js";
import type { Metadata, Plan, PlannerConfig, Task, TaskStatus } from "../types.js";
import { checkGoal } from "./goal.js";
import { importPlan } from "./import.js";
import { refineTasks, templateTasks } from "./templates.js";

/**
 * A host-supplied decomposer, for example an LLM call. It returns a plan in
 * any shape `importPlan` accepts; the planner validates it like any plan.
 */
export interface Decomposer {
  decompose(goal: string, options: { signal?: AbortSignal }): Promise<unknown>;
}

export interface PlannerOptions {
  decomposer?: Decomposer;
}

export interface DecomposeResult {
  plan: Plan;
  source: "decomposer" | "templates";
  /** Reason the decomposer's output was not used; present only when it failed. */
  fallbackReason?: string;
}

/** A subtask to insert with `update`; defaults as in the plan format. */
export interface SubtaskInput {
  id: string;
  type: string;
  description?: string;
  dependsOn?: string[];
  status?: TaskStatus;
  metadata?: Metadata;
}

export interface PlanChange {
  /** Ids of tasks to mark `completed`. */
  completed?: string[];
  /** Id of the task the subtasks refine; absent inserts them at the top level. */
  parent?: string;
  subtasks?: SubtaskInput[];
}

interface PlanCounters {
  updates: number;
  lifetimeTasks: number;
}

export class Planner {
  readonly config: PlannerConfig;
  readonly #decomposer: Decomposer | undefined;
  readonly #counters = new WeakMap<Plan, PlanCounters>();

  constructor(config: PlannerConfig, options: PlannerOptions = {}) {
    this.config = config;
    this.#decomposer = options.decomposer;
  }

  /**
   * Decomposes a goal by the templates and refinement table. Throws GoalError
   * for a rejected goal, LimitError above `maxTasks`, CycleError or PlanError
   * when the templates produce an invalid plan.
   */
  decompose(goal: string): Plan {
    checkGoal(goal, this.config.limits.maxGoalLength);
    const tasks = refineTasks(templateTasks(goal, this.config), this.config);
    const plan =
      planFromTemplateTasks(goal, tasks) ??
      parsePlan({ format: "switchyard/plan", version: 1, goal, tasks });
    assertAcyclic(plan);
    this.#counters.set(plan, { updates: 0, lifetimeTasks: plan.tasks.length });
    return plan;
  }

  /**
   * Decomposes a goal with the decomposer, when one is configured. Its output
   * is imported and checked (schema, cycles, `maxTasks`); on any failure the
   * templates are used and `fallbackReason` gives the reason. Goal checks still
   * throw, and an aborted signal rejects with its reason.
   */
  async decomposeAsync(
    goal: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<DecomposeResult> {
    checkGoal(goal, this.config.limits.maxGoalLength);
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.#decomposer === undefined) {
      return { plan: this.decompose(goal), source: "templates" };
    }

    let fallbackReason: string;
    try {
      const output = await raceAbort(
        this.#decomposer.decompose(goal, signal ? { signal } : {}),
        signal,
      );
      const plan = this.#acceptDecomposerPlan(output, goal);
      return { plan, source: "decomposer" };
    } catch (error) {
      signal?.throwIfAborted();
      fallbackReason = `decomposer failed: ${describeError(error)}`;
    }
    return { plan: this.decompose(goal), source: "templates", fallbackReason };
  }

  #acceptDecomposerPlan(output: unknown, goal: string): Plan {
    const imported = importPlan(output);
    const plan = imported.goal === undefined ? { ...imported, goal } : imported;
    const { maxTasks } = this.config.limits;
    if (plan.tasks.length > maxTasks) {
      throw limitError(
        "maxTasks",
        plan.tasks.length,
        maxTasks,
        "the decomposer returned too many tasks",
      );
    }
    assertAcyclic(plan);
    this.#counters.set(plan, { updates: 0, lifetimeTasks: plan.tasks.length });
    return plan;
  }

  /**
   * Returns a new plan with tasks marked completed and subtasks inserted
   * under `change.parent`. Atomic: on any error (unknown id, duplicate id,
   * cycle, a limit) it throws and nothing changes, the input plan included.
   */
  update(plan: Plan, change: PlanChange): Plan {
    const limits = this.config.limits;
    const counters = this.#counters.get(plan) ?? {
      updates: 0,
      lifetimeTasks: plan.tasks.length,
    };
    const subtasks = change.subtasks ?? [];
    const completed = change.completed ?? [];

    if (counters.updates + 1 > limits.maxUpdatesPerPlan) {
      throw limitError(
        "maxUpdatesPerPlan",
        counters.updates + 1,
        limits.maxUpdatesPerPlan,
        "too many updates",
      );
    }
    if (subtasks.length > limits.maxSubtasksPerUpdate) {
      throw limitError(
        "maxSubtasksPerUpdate",
        subtasks.length,
        limits.maxSubtasksPerUpdate,
        "too many subtasks",
      );
    }
    const lifetimeTasks = counters.lifetimeTasks + subtasks.length;
    if (lifetimeTasks > limits.maxTasks) {
      throw limitError(
        "maxTasks",
        lifetimeTasks,
        limits.maxTasks,
        "too many tasks over the plan's lifetime",
      );
    }

    const ids = new Map(plan.tasks.map((task, index) => [task.id, index]));
    checkKnownIds(completed, ids, "completed");
    if (change.parent !== undefined) checkKnownIds([change.parent], ids, "parent");
    checkNewIds(subtasks, ids);
    checkHierarchyDepth(plan, change.parent, limits.maxDepth);

    const next = buildUpdatedPlan(plan, completed, change.parent, subtasks);
    assertAcyclic(next);
    this.#counters.set(next, { updates: counters.updates + 1, lifetimeTasks });
    return next;
  }

  /** Returns the counters recorded for a plan, or undefined for an unknown plan. */
  countersOf(plan: Plan): Readonly<PlanCounters> | undefined {
    const counters = this.#counters.get(plan);
    return counters === undefined ? undefined : { ...counters };
  }
}

function buildUpdatedPlan(
  plan: Plan,
  completed: readonly string[],
  parent: string | undefined,
  subtasks: readonly SubtaskInput[],
): Plan {
  const done = new Set(completed);
  const tasks: unknown[] = plan.tasks.map((task) =>
    done.has(task.id) ? { ...task, status: "completed" } : task,
  );
  for (const subtask of subtasks) {
    tasks.push({
      description: "",
      ...subtask,
      ...(parent === undefined ? {} : { parent }),
    });
  }
  // parsePlan copies every task and its metadata, so the result shares nothing mutable with the input.
  return parsePlan({ ...plan, tasks });
}

function checkKnownIds(
  requested: readonly string[],
  ids: ReadonlyMap<string, number>,
  field: string,
): void {
  requested.forEach((id, index) => {
    if (ids.has(id)) return;
    const path = field === "parent" ? [field] : [field, index];
    throw new PlanError(
      `Update rejected: ${field} names unknown task "${id}"${didYouMean(id, ids.keys())}`,
      {
        code: "E_PLAN_SCHEMA",
        path,
        details: {
          problems: [
            { path: path.join("."), message: `unknown task "${id}"`, received: id },
          ],
        },
      },
    );
  });
}

function checkNewIds(
  subtasks: readonly SubtaskInput[],
  ids: ReadonlyMap<string, number>,
): void {
  const seen = new Map<string, number>();
  subtasks.forEach((subtask, index) => {
    const id = subtask?.id;
    const existing = typeof id === "string" ? ids.get(id) : undefined;
    const earlier = typeof id === "string" ? seen.get(id) : undefined;
    if (existing === undefined && earlier === undefined) {
      if (typeof id === "string") seen.set(id, index);
      return;
    }
    const where = existing !== undefined ? `tasks[${existing}]` : `subtasks[${earlier}]`;
    const message = `duplicate task id "${id}" at ${where} and subtasks[${index}]`;
    throw new PlanError(`Update rejected: ${message}`, {
      code: "E_PLAN_SCHEMA",
      path: ["subtasks", index, "id"],
      details: { problems: [{ path: `subtasks[${index}].id`, message, received: id }] },
    });
  });
}

/** Rejects subtasks whose hierarchy level would exceed `maxDepth` (top level is 1). */
function checkHierarchyDepth(
  plan: Plan,
  parent: string | undefined,
  maxDepth: number,
): void {
  if (parent === undefined) return;
  const parentOf = new Map<string, string | undefined>(
    plan.tasks.map((task) => [task.id, task.parent]),
  );
  let level = 1;
  const visited = new Set<string>();
  for (
    let id: string | undefined = parent;
    id !== undefined && !visited.has(id);
    id = parentOf.get(id)
  ) {
    visited.add(id);
    level++;
  }
  if (level > maxDepth) {
    throw limitError(
      "maxDepth",
      level,
      maxDepth,
      `subtasks under "${parent}" would be at hierarchy level ${level}`,
    );
  }
}

/**
 * Builds the plan that `parsePlan` would return for template tasks, without
 * zod. This fast path applies when every task is a fresh `newTask` object that
 * the schema accepts: exactly its own fields, ids within MAX_ID_LENGTH and unique, known
 * `dependsOn` and `parent` ids, strings within MAX_STRING_LENGTH and empty
 * metadata. Returns null otherwise, so that `parsePlan` reports the problem.
 * Fields are written in the schema's order, as zod writes them.
 */
function planFromTemplateTasks(goal: string, tasks: readonly Task[]): Plan | null {
  if (goal.length > MAX_STRING_LENGTH || tasks.length > MAX_PLAN_TASKS) return null;
  const ids = new Set<string>();
  for (const task of tasks) {
    if (!isTemplateTask(task) || ids.has(task.id)) return null;
    ids.add(task.id);
  }

  const out = new Array<Task>(tasks.length);
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    if (task.parent !== undefined && !ids.has(task.parent)) return null;
    for (const dependency of task.dependsOn) {
      if (!ids.has(dependency)) return null;
    }
    out[i] =
      task.parent === undefined
        ? {
            id: task.id,
            type: task.type,
            description: task.description,
            dependsOn: [...task.dependsOn],
            status: task.status,
            metadata: {},
          }
        : {
            id: task.id,
            type: task.type,
            description: task.description,
            dependsOn: [...task.dependsOn],
            parent: task.parent,
            status: task.status,
            metadata: {},
          };
  }
  return { format: "switchyard/plan", version: 1, goal, tasks: out };
}

function isTemplateTask(task: Task): boolean {
  if (typeof task !== "object" || task === null) return false;
  if (Object.getPrototypeOf(task) !== Object.prototype) return false;

  const keyCount = Object.keys(task).length;
  const hasParent = Object.hasOwn(task, "parent");
  if (keyCount !== (hasParent ? 7 : 6)) return false;
  if (
    !Object.hasOwn(task, "id") ||
    !Object.hasOwn(task, "type") ||
    !Object.hasOwn(task, "description") ||
    !Object.hasOwn(task, "dependsOn") ||
    !Object.hasOwn(task, "status") ||
    !Object.hasOwn(task, "metadata")
  ) {
    return false;
  }

  const { id, type, description, dependsOn, parent, status, metadata } = task;
  if (!isTaskId(id) || (hasParent && !isTaskId(parent))) return false;
  if (typeof type !== "string" || type.length === 0 || type.length > MAX_STRING_LENGTH) {
    return false;
  }
  if (typeof description !== "string" || description.length > MAX_STRING_LENGTH) {
    return false;
  }
  if (status !== "pending" || !Array.isArray(dependsOn) || !dependsOn.every(isTaskId)) {
    return false;
  }

  return (
    typeof metadata === "object" &&
    metadata !== null &&
    Object.getPrototypeOf(metadata) === Object.prototype &&
    Reflect.ownKeys(metadata).length === 0
  );
}

function isTaskId(value: unknown): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= MAX_ID_LENGTH;
}

function assertAcyclic(plan: Plan): void {
  const cycle = findCycle(buildGraph(plan.tasks));
  if (cycle !== null) throw cycleErrorFor(cycle);
}

function limitError(limit: string, value: number, max: number, what: string): LimitError {
  return new LimitError(`Limit exceeded: ${what}; ${limit} is ${max}, got ${value}`, {
    code: "E_LIMIT",
    details: { limit, value, max },
  });
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return "an unprintable value was thrown";
  }
}

/** Rejects as soon as the signal aborts, even if the decomposer ignores it. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
