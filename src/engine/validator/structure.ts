/**
 * Structure: the dependency graph has no cycle and is not too deep, and the
 * plan is not too large.
 *
 * Depth (the longest dependency chain, in edges) above 10 is an error and
 * 6 to 10 a warning. More than `maxTasks` tasks is an error and more than half
 * of it a warning.
 */

import { depthInOrder } from "../dag/depth.js";
import { buildGraph } from "../dag/index.js";
import { kahnOrder } from "../dag/order.js";
import { cycleIds } from "../dag/topological.js";
import { SwitchyardError } from "../errors.js";
import type { Issue } from "../types.js";
import type { CheckResult, ValidationContext } from "./context.js";

export const MAX_DEPTH = 10;
export const DEPTH_WARNING_FROM = 6;

export interface StructureResult extends CheckResult {
  /** Plan depth in edges; `null` when the graph is invalid or has a cycle. */
  depth: number | null;
}

export function checkStructure(
  context: ValidationContext,
  maxTasks: number,
): StructureResult {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const taskCount = Array.isArray(context.plan.tasks) ? context.plan.tasks.length : 0;

  if (taskCount > maxTasks) {
    issues.push({
      code: "too-many-tasks",
      severity: "error",
      path: "tasks",
      message:
        `The plan has ${taskCount} tasks, more than the limit of ${maxTasks}; ` +
        `split the goal into smaller plans.`,
    });
  } else if (taskCount > maxTasks / 2) {
    warnings.push({
      code: "many-tasks",
      severity: "warning",
      path: "tasks",
      message: `The plan has ${taskCount} tasks, over half of the limit of ${maxTasks}.`,
    });
  }

  const depth = checkGraph(context, issues, warnings);
  return { issues, warnings, depth };
}

function checkGraph(
  context: ValidationContext,
  issues: Issue[],
  warnings: Issue[],
): number | null {
  let graph: ReturnType<typeof buildGraph>;
  try {
    graph = buildGraph(context.plan.tasks);
  } catch (error) {
    // Duplicate ids and unknown dependency or parent ids; other failures are bugs.
    if (!(error instanceof SwitchyardError)) throw error;
    issues.push({
      code: "invalid-graph",
      severity: "error",
      path: "tasks",
      message: `The task graph is invalid: ${error.message}`,
    });
    return null;
  }

  // One Kahn pass gives both the cycle check and the order that depth needs.
  const sorted = kahnOrder(
    graph.ids.length,
    graph.parentIndex,
    graph.depOffsets,
    graph.depTargets,
  );
  if ("cycle" in sorted) {
    const cycle = cycleIds(graph, sorted.cycle);
    const closed =
      cycle[0] === cycle[cycle.length - 1] && cycle.length > 1
        ? cycle
        : [...cycle, cycle[0]!];
    issues.push({
      code: "cycle",
      severity: "error",
      task: closed[0]!,
      path: `tasks[${context.taskIndex.get(closed[0]!) ?? 0}].dependsOn`,
      message:
        `The dependencies form a cycle: ${closed.join(" -> ")}; remove one ` +
        `of these dependencies.`,
    });
    return null;
  }

  const depth = depthInOrder(graph, sorted.order);
  if (depth > MAX_DEPTH) {
    issues.push({
      code: "depth-exceeded",
      severity: "error",
      path: "tasks",
      message:
        `The longest dependency chain has ${depth} edges, more than ` +
        `${MAX_DEPTH}; run more tasks in parallel or split the plan.`,
    });
  } else if (depth >= DEPTH_WARNING_FROM) {
    warnings.push({
      code: "deep-plan",
      severity: "warning",
      path: "tasks",
      message:
        `The longest dependency chain has ${depth} edges; above ` +
        `${MAX_DEPTH} the plan fails validation.`,
    });
  }
  return depth;
}
