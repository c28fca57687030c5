/**
 * Plan import adapters. Besides native plans, two foreign shapes are read:
 * - an LLM planner's task list `{"tasks": [{"task_id", "task_type", "description"}]}`;
 * - AOP-style meta-agent rows `[{"task", "id", "name", "reason", "dep": [ids]}]`,
 *   where `task` is the work, `name` a proposed agent and `reason` its
 *   justification. Rows become `generic` tasks; `name` is kept as
 *   `metadata.proposedAgent` and `reason` as `metadata.reason`.
 * Each shape is validated strictly and problems name paths in the input.
 */
import { z } from "zod";
import type { JsonPath } from "../errors.js";
import { planErrorFrom, safeParsePlan } from "../schema/plan.js";
import { fromZodIssues, toSchemaProblems } from "../schema/problems.js";
import { pathSegments } from "../schema/plan.js";
import type { SchemaProblem } from "../errors.js";
import type { Plan } from "../types.js";

const llmTaskListSchema = z.strictObject({
  tasks: z.array(
    z.strictObject({
      task_id: z.string().min(1),
      task_type: z.string().min(1),
      description: z.string(),
    }),
  ),
});

const rowId = z.union([z.string().min(1), z.number().int().nonnegative()], {
  error: "expected a non-empty string or a non-negative integer id",
});

const aopRowsSchema = z.array(
  z.strictObject({
    task: z.string(),
    id: rowId,
    name: z.string().optional(),
    reason: z.string().optional(),
    dep: z.array(rowId).default([]),
  }),
);

/** Field renames from the converted plan back to each foreign shape. */
const LLM_FIELDS: Record<string, string> = { id: "task_id", type: "task_type" };
const AOP_FIELDS: Record<string, string> = {
  id: "id",
  description: "task",
  dependsOn: "dep",
};

/**
 * Imports a native plan or one of the foreign shapes, returning a valid
 * plan. Throws PlanError (`E_PLAN_SCHEMA`) with paths into the input.
 */
export function importPlan(input: unknown): Plan {
  if (Array.isArray(input)) return importAopRows(input);
  if (input !== null && typeof input === "object" && !Object.hasOwn(input, "format")) {
    return importLlmTaskList(input);
  }
  const result = safeParsePlan(input);
  if (result.ok) return result.value;
  throw planErrorFrom(result.problems);
}

function importLlmTaskList(input: object): Plan {
  const parsed = llmTaskListSchema.safeParse(input, { reportInput: true });
  if (!parsed.success)
    throw planErrorFrom(toSchemaProblems(fromZodIssues(parsed.error.issues)));
  const plan = {
    format: "switchyard/plan",
    version: 1,
    tasks: parsed.data.tasks.map((task) => ({
      id: task.task_id,
      type: task.task_type,
      description: task.description,
    })),
  };
  return parseConverted(plan, (path) => renameFields(path, ["tasks"], LLM_FIELDS));
}

function importAopRows(input: unknown[]): Plan {
  const parsed = aopRowsSchema.safeParse(input, { reportInput: true });
  if (!parsed.success)
    throw planErrorFrom(toSchemaProblems(fromZodIssues(parsed.error.issues)));
  const plan = {
    format: "switchyard/plan",
    version: 1,
    tasks: parsed.data.map((row) => {
      const metadata: Record<string, string> = {};
      if (row.name !== undefined) metadata["proposedAgent"] = row.name;
      if (row.reason !== undefined) metadata["reason"] = row.reason;
      return {
        id: String(row.id),
        type: "generic",
        description: row.task,
        dependsOn: row.dep.map(String),
        metadata,
      };
    }),
  };
  return parseConverted(plan, (path) => renameFields(path, [], AOP_FIELDS));
}

/** Validates a converted plan, reporting problems at their input paths. */
function parseConverted(plan: unknown, toInputPath: (path: JsonPath) => JsonPath): Plan {
  const result = safeParsePlan(plan);
  if (result.ok) return result.value;
  const problems: SchemaProblem[] = result.problems.map((problem) => {
    const inputPath = toInputPath(pathSegments(problem.path));
    const [renamed] = toSchemaProblems([{ path: inputPath, message: problem.message }]);
    return { ...problem, path: renamed!.path };
  });
  throw planErrorFrom(problems);
}

/** Maps `tasks[i].<field>...` of the converted plan to `<prefix>[i].<input field>...`. */
function renameFields(
  path: JsonPath,
  prefix: JsonPath,
  fields: Record<string, string>,
): JsonPath {
  if (path[0] !== "tasks" || typeof path[1] !== "number") return path;
  const field = path[2];
  const renamed =
    typeof field === "string" && Object.hasOwn(fields, field) ? fields[field]! : field;
  const rest = path.slice(3);
  return field === undefined
    ? [...prefix, path[1]]
    : [...prefix, path[1], renamed!, ...rest];
}
