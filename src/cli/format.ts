/** Text rendering of plans, routes, traces, validation results and lint findings. */

import type { LintFinding } from "../engine/lint/index.js";
import type {
  Issue,
  Plan,
  RouteResult,
  TaskTrace,
  TraceStep,
  ValidationResult,
} from "../engine/types.js";

/** Lists the tasks in routing order, each with its agent and explanation. */
export function formatRoute(plan: Plan, route: RouteResult): string {
  const byId = new Map(plan.tasks.map((task) => [task.id, task]));
  const assigned = new Map(route.assignments.map((entry) => [entry.task, entry]));
  const unassigned = new Map(route.unassigned.map((entry) => [entry.task, entry]));
  const skipped = new Set(route.skipped);
  const width = String(route.order.length).length;
  const lines = [`Tasks in routing order (${route.order.length}):`];

  route.order.forEach((id, index) => {
    const task = byId.get(id);
    const number = String(index + 1).padStart(width);
    const label = task === undefined ? id : `${id} [${task.type}]`;
    const entry = assigned.get(id);
    const missing = unassigned.get(id);
    let outcome = "";
    let explanation: string | undefined;
    if (entry !== undefined) {
      outcome = ` -> ${entry.agent}`;
      explanation = entry.explanation;
    } else if (missing !== undefined) {
      outcome = ` -> UNASSIGNED (${missing.reason})`;
      explanation = missing.explanation;
    } else if (skipped.has(id)) {
      outcome = " -> skipped (completed)";
    }
    lines.push(`  ${number}. ${label}${outcome}`);
    if (task !== undefined && task.description !== "") {
      lines.push(`      ${task.description}`);
    }
    if (explanation !== undefined) lines.push(`      ${explanation}`);
  });

  const load = Object.entries(route.load)
    .filter(([, count]) => count > 0)
    .map(([agent, count]) => `${agent}=${count}`);
  lines.push(`Load: ${load.length === 0 ? "none" : load.join(", ")}`);
  return lines.join("\n") + "\n";
}

export function formatValidation(result: ValidationResult): string {
  const verdict = result.passed
    ? `passed, quality score ${result.qualityScore?.toFixed(3) ?? "n/a"}`
    : "FAILED";
  const checks = Object.entries(result.checks)
    .map(
      ([name, value]) =>
        `${name} ${value === null ? "skipped" : value ? "ok" : "FAILED"}`,
    )
    .join(", ");
  const parts = result.scoreParts;
  const lines = [
    `Validation: ${verdict}`,
    `  checks: ${checks}`,
    `  score parts: success ${round(parts.success)}, quality ${round(parts.quality)}, ` +
      `cost ${round(parts.cost)}, time ${round(parts.time)}`,
  ];
  for (const issue of result.issues) lines.push(`  ${formatIssue(issue)}`);
  for (const issue of result.warnings) lines.push(`  ${formatIssue(issue)}`);
  return lines.join("\n") + "\n";
}

function formatIssue(issue: Issue): string {
  const at = issue.path === undefined ? "" : ` at ${issue.path}`;
  return `${issue.severity} ${issue.code}${at}: ${issue.message}`;
}

/** Formats one task's trace: candidate rules in the order tried, then the fallback. */
export function formatTrace(trace: TaskTrace): string {
  const lines = [`Trace of ${trace.task} [${trace.type}]:`];
  if (trace.steps.length === 0) lines.push("  no candidate rules");
  for (const step of trace.steps)
    lines.push(`  rule ${step.rule} -> ${step.agent}: ${describeStep(step)}`);
  for (const candidate of trace.fallback) {
    lines.push(
      `  capability ${candidate.agent} (load ${candidate.load}): ${candidate.outcome}`,
    );
  }
  const result = trace.result;
  if ("skipped" in result) {
    lines.push("  result: skipped (completed)");
  } else if ("agent" in result) {
    lines.push(`  result: ${result.agent} (${result.explanation})`);
  } else {
    lines.push(`  result: unassigned, ${result.reason} (${result.explanation})`);
  }
  return lines.join("\n") + "\n";
}

function describeStep(step: TraceStep): string {
  switch (step.outcome) {
    case "won":
      return "won";
    case "condition-failed":
      return (
        `condition ${step.result} at ${step.at}: ${step.field} ${step.op} ` +
        `${preview(step.expected)}, found ${step.actual === undefined ? "nothing" : preview(step.actual)}`
      );
    case "agent-unavailable":
      return "agent unavailable";
    case "agent-at-capacity":
      return `agent at capacity ${step.load}/${step.maxConcurrent}`;
    case "not-reached":
      return "matched, but an earlier rule won";
    default:
      return step satisfies never;
  }
}

export function formatFindings(file: string, findings: readonly LintFinding[]): string {
  if (findings.length === 0) return `${file}: no findings\n`;
  const lines = findings.map(
    (finding) =>
      `${file}: ${finding.path}: ${finding.severity} ${finding.code}: ${finding.message}`,
  );
  const count = (severity: LintFinding["severity"]): number =>
    findings.filter((finding) => finding.severity === severity).length;
  lines.push(
    `${count("error")} errors, ${count("warning")} warnings, ${count("info")} info`,
  );
  return lines.join("\n") + "\n";
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function round(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
