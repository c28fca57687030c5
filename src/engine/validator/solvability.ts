/**
 * Solvability: every assigned agent exists, supports the task's type and has
 * every skill in the task's `metadata.required_skills`.
 *
 * Each faulty assignment yields exactly one issue: an unknown agent is not
 * also reported as lacking the type or the skills.
 */

import type { Issue } from "../types.js";
import { requiredSkills, type CheckResult, type ValidationContext } from "./context.js";

export function checkSolvability(context: ValidationContext): CheckResult {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];

  const { taskList, assignments, assignmentTasks, assignmentAgents } = context;
  for (let i = 0; i < assignments.length; i++) {
    const entry = assignments[i]!;
    const index = assignmentTasks[i]!;
    const task = taskList[index]!;
    const agent = assignmentAgents[i];

    if (agent === undefined) {
      issues.push({
        code: "unknown-agent",
        severity: "error",
        task: task.id,
        agent: entry.agent,
        path: entry.path,
        message:
          `Task "${task.id}" is assigned to unknown agent "${entry.agent}"; ` +
          `assign it to an agent of the rule set or add that agent.`,
      });
      continue;
    }

    if (!agent.taskTypes.includes(task.type)) {
      issues.push({
        code: "unsupported-type",
        severity: "error",
        task: task.id,
        agent: agent.id,
        path: entry.path,
        message:
          `Agent "${agent.id}" does not support type "${task.type}" of task ` +
          `"${task.id}" (it supports: ${listOrNone(agent.taskTypes)}); assign ` +
          `the task to an agent that lists "${task.type}" in its taskTypes.`,
      });
      continue;
    }

    const skills = requiredSkills(task);
    if (skills === undefined) {
      warnings.push({
        code: "invalid-required-skills",
        severity: "warning",
        task: task.id,
        path: skillsPath(index),
        message:
          `Task "${task.id}" has a required_skills value that is neither a ` +
          `string nor an array of strings, so no skill was checked.`,
      });
      continue;
    }
    const missing = skills.filter((skill) => !agent.skills.includes(skill));
    if (missing.length > 0) {
      issues.push({
        code: "missing-skills",
        severity: "error",
        task: task.id,
        agent: agent.id,
        path: skillsPath(index),
        message:
          `Agent "${agent.id}" lacks required skills ${quoteList(missing)} of ` +
          `task "${task.id}"; assign an agent that has them or add them to ` +
          `the agent's skills.`,
      });
    }
  }

  return { issues, warnings };
}

function skillsPath(index: number): string {
  return `tasks[${index}].metadata.required_skills`;
}

function listOrNone(values: readonly string[]): string {
  return values.length === 0 ? "none" : values.join(", ");
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(", ");
}
