/**
 * Structural check of a plan object before routing. It reads, in one pass,
 * only the task fields that ordering and packing use. A malformed plan then
 * fails with a PlanError naming the JSON path of the first bad field, not
 * with a TypeError from deep inside the packer. It is not validation:
 * `parsePlan` checks everything (ids, limits, metadata) and fills defaults,
 * but costs too much to run on every call with 10^6 tasks.
 */

import { PlanError, formatPath, type JsonPath } from "../errors.js";
import type { Plan } from "../types.js";

const STATUSES: ReadonlySet<unknown> = new Set([
  "pending",
  "in_progress",
  "completed",
  "failed",
]);

const REQUIRED_STRINGS = ["id", "type"] as const;
const OPTIONAL_STRINGS = ["parent", "description"] as const;

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  return typeof value;
}

function shapeError(path: JsonPath, expected: string, received: unknown): PlanError {
  return new PlanError(
    `Invalid plan at ${formatPath(path)}: expected ${expected}, received ${describeValue(received)}. ` +
      "Parse the plan with parsePlan to fill defaults and list every problem.",
    {
      code: "E_PLAN_SCHEMA",
      path,
      details: { expected, received: describeValue(received) },
    },
  );
}

function taskPath(basePath: JsonPath, i: number, keys: JsonPath): JsonPath {
  return [...basePath, "tasks", i, ...keys];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Throws PlanError (`E_PLAN_SCHEMA`) at the first field that routing cannot
 * read. That is a plan that is not an object, `tasks` that is not an array,
 * or a task that is not an object. In a task, it is a non-string `id` or
 * `type`, `dependsOn` that is not an array of strings, or a `parent`,
 * `description` or `status` of the wrong type. `basePath` prefixes the
 * reported path, such as the plan's index in a batch.
 */
export function checkPlanShape(
  plan: unknown,
  basePath: JsonPath = [],
): asserts plan is Plan {
  if (!isObject(plan)) {
    throw shapeError(basePath, "a plan object", plan);
  }
  const tasks = plan.tasks;
  if (!Array.isArray(tasks)) {
    throw shapeError([...basePath, "tasks"], "an array of tasks", tasks);
  }
  for (let i = 0; i < tasks.length; i++) {
    const task: unknown = tasks[i];
    if (!isObject(task)) {
      throw shapeError([...basePath, "tasks", i], "a task object", task);
    }
    checkTaskShape(task, basePath, i);
  }
}

/** Checks task `i`; paths are built only on failure, so a valid plan allocates nothing. */
function checkTaskShape(
  task: Record<string, unknown>,
  basePath: JsonPath,
  i: number,
): void {
  for (const key of REQUIRED_STRINGS) {
    if (typeof task[key] !== "string") {
      throw shapeError(taskPath(basePath, i, [key]), "a string", task[key]);
    }
  }
  const dependsOn = task.dependsOn;
  if (!Array.isArray(dependsOn)) {
    throw shapeError(
      taskPath(basePath, i, ["dependsOn"]),
      "an array of task ids (parsePlan fills in [])",
      dependsOn,
    );
  }
  for (let j = 0; j < dependsOn.length; j++) {
    if (typeof dependsOn[j] !== "string") {
      throw shapeError(
        taskPath(basePath, i, ["dependsOn", j]),
        "a task id string",
        dependsOn[j],
      );
    }
  }
  for (const key of OPTIONAL_STRINGS) {
    const value = task[key];
    if (value !== undefined && typeof value !== "string") {
      throw shapeError(taskPath(basePath, i, [key]), "a string or no value", value);
    }
  }
  if (task.status !== undefined && !STATUSES.has(task.status)) {
    throw shapeError(
      taskPath(basePath, i, ["status"]),
      "one of pending, in_progress, completed, failed",
      task.status,
    );
  }
}
