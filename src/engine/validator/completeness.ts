/**
 * Completeness: every task that is not completed has an assignment, the route
 * names no task outside the plan and assigns no task twice, and its
 * `unassigned` list is empty.
 *
 * A task is reported once even when it is both missing from the assignments
 * and listed as unassigned.
 */

import type { Issue } from "../types.js";
import type { CheckResult, ValidationContext } from "./context.js";
import type { RouteEntry } from "./route-input.js";

export function checkCompleteness(context: ValidationContext): CheckResult {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];

  for (const entry of context.route.malformed) {
    issues.push({
      code: "invalid-assignment",
      severity: "error",
      path: entry.path,
      message: entry.message,
    });
  }

  const { taskList, taskIndex, routeTaskIndex } = context;
  // The first assignment per task, and whether the task was reported as
  // unassigned, both by the plan index that stands for the task id.
  const firstAssignment: (RouteEntry | undefined)[] = new Array<RouteEntry | undefined>(
    taskList.length,
  );
  const reported = new Uint8Array(taskList.length);
  context.route.assignments.forEach((entry, position) => {
    const index = routeTaskIndex[position]!;
    if (index < 0) {
      issues.push(unknownTask(entry.task, entry.path, "assigns"));
      return;
    }
    const first = firstAssignment[index];
    if (first !== undefined) {
      issues.push({
        code: "duplicate-assignment",
        severity: "error",
        task: entry.task,
        agent: entry.agent,
        path: entry.path,
        message:
          `Task "${entry.task}" is assigned a second time at ${entry.path} ` +
          `(first at ${first.path}); keep one assignment per task.`,
      });
      return;
    }
    firstAssignment[index] = entry;
  });

  for (const entry of context.route.unassigned) {
    const index = taskIndex.get(entry.task);
    if (index === undefined) {
      issues.push(unknownTask(entry.task, entry.path, "lists as unassigned"));
      continue;
    }
    if (reported[index] === 1) continue;
    reported[index] = 1;
    const detail = entry.explanation === "" ? "" : `: ${entry.explanation}`;
    issues.push({
      code: "unassigned-task",
      severity: "error",
      task: entry.task,
      path: entry.path,
      message:
        `Task "${entry.task}" is unassigned (${entry.reason}${detail}); add ` +
        `an agent or rule that can take it, or free capacity.`,
    });
  }

  for (const index of taskIndex.values()) {
    const task = taskList[index]!;
    if (task.status === "completed") continue;
    if (firstAssignment[index] !== undefined || reported[index] === 1) continue;
    issues.push({
      code: "unassigned-task",
      severity: "error",
      task: task.id,
      path: `tasks[${index}]`,
      message:
        `Task "${task.id}" has no assignment; route the plan again or ` +
        `assign the task to an agent.`,
    });
  }

  if (taskIndex.size === 0) {
    warnings.push({
      code: "empty-plan",
      severity: "warning",
      path: "tasks",
      message: "The plan has no tasks, so there is nothing to assign.",
    });
  }

  return { issues, warnings };
}

function unknownTask(task: string, path: string, verb: string): Issue {
  return {
    code: "unknown-task",
    severity: "error",
    task,
    path,
    message:
      `The route ${verb} task "${task}", which is not in the plan; ` +
      `route the current plan again.`,
  };
}
