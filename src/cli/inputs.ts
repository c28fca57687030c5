/**
 * Loading of the CLI's input files into validated engine values. Every
 * problem becomes an InputError whose lines read `FILE: PATH: message`.
 */

import { DEFAULT_RULE_SET } from "../engine/default-ruleset.js";
import { SwitchyardError, formatPath, type SchemaProblem } from "../engine/errors.js";
import { importPlan } from "../engine/planner/index.js";
import { formatProblems, safeParseRuleSet } from "../engine/schema/index.js";
import type { Plan, RouteResult, RuleSet } from "../engine/types.js";
import { InputError } from "./errors.js";
import { readJsonFile } from "./io.js";

/** Problems listed in one error message; the rest are counted. */
const MAX_LISTED_PROBLEMS = 20;

/** Reads and validates a rule-set file, or returns the built-in one when `path` is undefined. */
export async function loadRuleSet(path: string | undefined): Promise<RuleSet> {
  if (path === undefined) return DEFAULT_RULE_SET;
  const input = await readJsonFile(path);
  const result = safeParseRuleSet(input);
  if (!result.ok) throw problemsError(path, result.problems);
  return result.value;
}

/** Reads a plan file in any shape `importPlan` accepts. */
export async function loadPlan(path: string): Promise<Plan> {
  const input = await readJsonFile(path);
  try {
    return importPlan(input);
  } catch (error) {
    throw engineInputError(path, error);
  }
}

/**
 * Reads a route file: a route result, a plain `{taskId: agentId}` map, or the
 * `--json` output of `switchyard plan` (its `route` member is used).
 */
export async function loadRoute(
  path: string,
): Promise<RouteResult | Record<string, string>> {
  const input = await readJsonFile(path);
  const route =
    isObject(input) && isObject(input["route"]) && "plan" in input
      ? input["route"]
      : input;
  if (!isObject(route)) {
    throw new InputError(
      `${path}: (root): expected a route result or a {"taskId": "agentId"} object, received ${describe(route)}`,
    );
  }
  const problems = Array.isArray(route["assignments"])
    ? routeResultProblems(route)
    : mapProblems(route);
  if (problems.length > 0) throw problemsError(path, problems);
  return route as RouteResult | Record<string, string>;
}

/** Reads a `{agentId: runningTasks}` load file. */
export async function loadLoadMap(path: string): Promise<Record<string, number>> {
  const input = await readJsonFile(path);
  if (!isObject(input)) {
    throw new InputError(
      `${path}: (root): expected an object of agent ids to task counts, received ${describe(input)}`,
    );
  }
  const problems: SchemaProblem[] = [];
  for (const [agent, count] of Object.entries(input)) {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
      problems.push({
        path: formatPath([agent]),
        message: "expected a non-negative integer count of running tasks",
        received: count,
      });
    }
  }
  if (problems.length > 0) throw problemsError(path, problems);
  return input as Record<string, number>;
}

/** Turns an engine error about a file into an InputError naming the file. */
export function engineInputError(path: string, error: unknown): InputError {
  if (!(error instanceof SwitchyardError)) throw error;
  const problems = error.details["problems"];
  if (Array.isArray(problems) && problems.length > 0) {
    return problemsError(path, problems as SchemaProblem[]);
  }
  const at =
    error.path === undefined || error.path.length === 0
      ? ""
      : `${formatPath(error.path)}: `;
  return new InputError(`${path}: ${at}${error.message}`);
}

export function problemsError(
  path: string,
  problems: readonly SchemaProblem[],
): InputError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const lines = formatProblems(listed)
    .split("\n")
    .map((line) => `${path}: ${line}`);
  if (problems.length > listed.length) {
    lines.push(`${path}: ... and ${problems.length - listed.length} more problems`);
  }
  return new InputError(lines.join("\n"));
}

function routeResultProblems(route: Record<string, unknown>): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  (route["assignments"] as unknown[]).forEach((entry, index) => {
    for (const key of ["task", "agent"]) {
      const value = isObject(entry) ? entry[key] : undefined;
      if (typeof value !== "string") {
        problems.push({
          path: `assignments[${index}].${key}`,
          message: `expected a ${key} id string`,
          received: value,
        });
      }
    }
  });
  const unassigned = route["unassigned"];
  if (unassigned !== undefined && !Array.isArray(unassigned)) {
    problems.push({
      path: "unassigned",
      message: "expected an array",
      received: unassigned,
    });
  }
  if (Array.isArray(unassigned)) {
    unassigned.forEach((entry, index) => {
      const task = isObject(entry) ? entry["task"] : undefined;
      if (typeof task !== "string") {
        problems.push({
          path: `unassigned[${index}].task`,
          message: "expected a task id string",
          received: task,
        });
      }
    });
  }
  return problems;
}

function mapProblems(route: Record<string, unknown>): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const [task, agent] of Object.entries(route)) {
    if (typeof agent !== "string") {
      problems.push({
        path: formatPath([task]),
        message:
          'expected an agent id string (the route is read as a {"taskId": "agentId"} map)',
        received: agent,
      });
    }
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : typeof value;
}
