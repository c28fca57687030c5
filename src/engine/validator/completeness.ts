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

  const assigned = new Map<string, string>();
  for (const entry of context.route.assignments) {
    if (!context.tasks.has(entry.task)) {
      issues.push(unknownTask(entry.task, entry.path, "assigns"));
      continue;
    }
    const first = assigned.get(entry.task);
    if (first !== undefined) {
      issues.push({
        code: "duplicate-assignment",
        severity: "error",
        task: entry.task,
        agent: entry.agent,
        path: entry.path,
        message:
          `Task "${entry.task}" is assigned a second time at ${entry.path} ` +
          `(first at ${first}); keep one assignment per task.`,
      });
      continue;
    }
    assigned.set(entry.task, entry.path);
  }

  const reported = new Set<string>();
  for (const entry of context.route.unassigned) {
    if (!context.tasks.has(entry.task)) {
      issues.push(unknownTask(entry.task, entry.path, "lists as unassigned"));
      continue;
    }
    if (reported.has(entry.task)) continue;
    reported.add(entry.task);
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

  for (const { task, index } of context.tasks.values()) {
    if (task.status === "completed") continue;
    if (assigned.has(task.id) || reported.has(task.id)) continue;
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

  if (context.tasks.size === 0) {
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
