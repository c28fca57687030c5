/**
 * Plan format `switchyard/plan` version 1: zod schema, cross-task checks
 * (duplicate ids, unknown `dependsOn` and `parent` ids) and the parse
 * functions. Cycles are not checked here: see `dag/`.
 */
import { z } from "zod";
import { PlanError, type JsonPath, type SchemaProblem } from "../errors.js";
import {
  MAX_ID_LENGTH,
  MAX_METADATA_JSON_LENGTH,
  MAX_PLAN_TASKS,
  overLimit,
} from "../limits.js";
import type { Metadata, Plan } from "../types.js";
import { didYouMean } from "./edit-distance.js";
import { checkMetadata, cloneMetadata, isPlainObject } from "./metadata.js";
import { scanInput } from "./prescan.js";
import {
  fromZodIssues,
  sortProblems,
  summarizeProblems,
  toSchemaProblems,
  type RawProblem,
} from "./problems.js";
import { ownArray, ownString } from "./raw.js";

export { MAX_ID_LENGTH };

/** "Did you mean" hints are computed for at most this many unknown ids. */
const MAX_HINTS = 20;

const taskId = z
  .string({ error: "expected string id" })
  .min(1, { error: "expected a non-empty id" })
  .max(MAX_ID_LENGTH, {
    error: `expected an id of at most ${MAX_ID_LENGTH} characters (the maxIdLength limit)`,
  });

// z.unknown, not z.record: zod's record output drops a "__proto__" key, and
// the check must see the input as written.
const metadataSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const problems = checkMetadata(value);
    for (const problem of problems) {
      ctx.addIssue({
        code: "custom",
        path: problem.path,
        message: problem.message,
        input: problem.received,
      });
    }
    if (problems.length > 0) return;
    const length = JSON.stringify(value).length;
    if (length > MAX_METADATA_JSON_LENGTH) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `metadata of ${length} characters as JSON is ${overLimit("maxMetadataJsonLength")}`,
        input: value,
      });
    }
  })
  .transform((value) => (isPlainObject(value) ? cloneMetadata(value as Metadata) : {}));

const taskSchema = z.strictObject({
  id: taskId,
  type: z.string().min(1, { error: "expected a non-empty task type" }),
  description: z.string(),
  dependsOn: z.array(taskId).default([]),
  parent: taskId.optional(),
  status: z.enum(["pending", "in_progress", "completed", "failed"]).default("pending"),
  metadata: metadataSchema.default({}),
});

const planSchema = z.strictObject({
  format: z.literal("switchyard/plan"),
  version: z.literal(1),
  goal: z.string().optional(),
  tasks: z.array(taskSchema),
});

export type SafeParseResult<T> =
  { ok: true; value: T } | { ok: false; problems: SchemaProblem[] };

/** Validates a plan and applies defaults, returning problems as data. */
export function safeParsePlan(input: unknown): SafeParseResult<Plan> {
  const taskCount = ownArray(input, "tasks").length;
  if (taskCount > MAX_PLAN_TASKS) {
    const problem: RawProblem = {
      path: ["tasks"],
      message: `a plan of ${taskCount} tasks is ${overLimit("maxPlanTasks")}; split the plan`,
      expected: `at most ${MAX_PLAN_TASKS} tasks`,
    };
    return { ok: false, problems: toSchemaProblems([problem]) };
  }
  const scanProblems = scanInput(input, { surrogates: false });
  if (scanProblems.length > 0)
    return { ok: false, problems: toSchemaProblems(scanProblems) };

  const parsed = planSchema.safeParse(input, { reportInput: true });
  // concat, not push(...): a spread of 10^5 problems overflows the call stack.
  const problems = (parsed.success ? [] : fromZodIssues(parsed.error.issues)).concat(
    checkTaskReferences(ownArray(input, "tasks")),
  );
  if (!parsed.success || problems.length > 0) {
    return { ok: false, problems: toSchemaProblems(sortProblems(problems)) };
  }
  return { ok: true, value: parsed.data as Plan };
}

/** Validates a plan and applies defaults; throws PlanError (`E_PLAN_SCHEMA`). */
export function parsePlan(input: unknown): Plan {
  const result = safeParsePlan(input);
  if (result.ok) return result.value;
  throw planErrorFrom(result.problems);
}

/** Builds the PlanError for a list of problems. */
export function planErrorFrom(
  problems: SchemaProblem[],
  rawPath?: (string | number)[],
): PlanError {
  return new PlanError(summarizeProblems("plan", problems), {
    code: "E_PLAN_SCHEMA",
    path: rawPath ?? pathSegments(problems[0]?.path),
    details: { problems },
  });
}

/**
 * Reports duplicate ids (naming both positions) and `dependsOn` or `parent`
 * ids that name no task of the plan. Reads unvalidated input defensively, so
 * it can run even when the schema check failed.
 */
export function checkTaskReferences(
  tasks: readonly unknown[],
  basePath: JsonPath = ["tasks"],
): RawProblem[] {
  const problems: RawProblem[] = [];
  const firstIndex = new Map<string, number>();
  const label = String(basePath[basePath.length - 1] ?? "tasks");
  tasks.forEach((task, index) => {
    const id = ownString(task, "id");
    if (id === undefined) return;
    const earlier = firstIndex.get(id);
    if (earlier === undefined) {
      firstIndex.set(id, index);
      return;
    }
    problems.push({
      path: [...basePath, index, "id"],
      message: `duplicate task id "${id}" at ${label}[${earlier}] and ${label}[${index}]`,
      received: id,
      expected: "a unique id",
    });
  });

  let hints = 0;
  const hint = (id: string): string =>
    hints++ < MAX_HINTS ? didYouMean(id, firstIndex.keys()) : "";
  tasks.forEach((task, index) => {
    const id = ownString(task, "id") ?? `#${index}`;
    ownArray(task, "dependsOn").forEach((dependency, j) => {
      if (typeof dependency !== "string" || firstIndex.has(dependency)) return;
      problems.push({
        path: [...basePath, index, "dependsOn", j],
        message: `task "${id}" depends on unknown task "${dependency}"${hint(dependency)}`,
        received: dependency,
        expected: "the id of a task in this plan",
      });
    });
    const parent = ownString(task, "parent");
    if (parent !== undefined && !firstIndex.has(parent)) {
      problems.push({
        path: [...basePath, index, "parent"],
        message: `task "${id}" names unknown parent "${parent}"${hint(parent)}`,
        received: parent,
        expected: "the id of a task in this plan",
      });
    }
  });
  return problems;
}

/** Parses a dotted path back into segments, for SwitchyardError.path. */
export function pathSegments(path: string | undefined): (string | number)[] {
  if (path === undefined || path === "(root)") return [];
  const segments: (string | number)[] = [];
  const pattern = /([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const match of path.matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}
