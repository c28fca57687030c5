/** The task panel: a task's fields, its explanation and its full rule trace. */
import type {
  Assignment,
  Task,
  TaskTrace,
  TraceStep,
  Unassigned,
} from "../../../src/engine/index.js";
import { h, replaceChildren, type Child } from "../lib/dom.js";

export interface TaskDetails {
  task: Task;
  assignment?: Assignment | undefined;
  unassigned?: Unassigned | undefined;
  skipped: boolean;
}

/** Renders the task's fields and explanation; the trace follows when it arrives. */
export function renderTaskDetails(
  container: HTMLElement,
  details: TaskDetails,
): HTMLElement {
  const { task, assignment, unassigned, skipped } = details;
  const explanation = assignment?.explanation ?? unassigned?.explanation;
  const traceSlot = h(
    "div",
    { class: "trace" },
    h("p", { class: "muted" }, "Loading the rule trace…"),
  );

  replaceChildren(
    container,
    h("h3", {}, task.id),
    h(
      "dl",
      { class: "details-grid" },
      ...field("Type", h("code", {}, task.type)),
      ...field(
        "Description",
        task.description === "" ? h("em", {}, "none") : task.description,
      ),
      ...field("Status", task.status),
      ...(task.parent !== undefined ? field("Parent", h("code", {}, task.parent)) : []),
      ...(task.dependsOn.length > 0
        ? field("Depends on", h("code", {}, task.dependsOn.join(", ")))
        : []),
      ...field(
        "Agent",
        assignment !== undefined
          ? h("strong", {}, assignment.agent)
          : skipped
            ? "skipped (already completed)"
            : h(
                "strong",
                { class: "outcome-failed" },
                `unassigned (${unassigned?.reason ?? "not routed"})`,
              ),
      ),
      ...(assignment !== undefined
        ? field(
            "Via",
            assignment.via === "rule"
              ? `rule ${assignment.rule ?? ""}`
              : "capability fallback",
          )
        : []),
      ...(Object.keys(task.metadata).length > 0
        ? field("Metadata", h("code", {}, JSON.stringify(task.metadata)))
        : []),
    ),
    explanation !== undefined
      ? h("p", { class: "explanation", "data-testid": "explanation" }, explanation)
      : skipped && h("p", { class: "explanation" }, "Completed tasks are not routed."),
    h("h3", {}, "Rule trace"),
    traceSlot,
  );
  return traceSlot;
}

function field(name: string, value: Child): Node[] {
  return [h("dt", {}, name), h("dd", {}, value)];
}

/** Renders the candidate rules in the order tried and the capability fallback. */
export function renderTrace(slot: HTMLElement, trace: TaskTrace): void {
  const rows = trace.steps.map((step, index) =>
    h(
      "tr",
      {},
      h("td", { class: "num" }, index + 1),
      h("td", {}, h("code", {}, step.rule)),
      h("td", {}, step.agent),
      h(
        "td",
        { class: step.outcome === "won" ? "outcome-won" : "outcome-failed" },
        stepOutcome(step),
      ),
      h("td", {}, stepDetail(step)),
    ),
  );
  const fallbackRows = trace.fallback.map((candidate) =>
    h(
      "tr",
      {},
      h("td", {}, candidate.agent),
      h(
        "td",
        { class: candidate.outcome === "won" ? "outcome-won" : "outcome-failed" },
        candidate.outcome,
      ),
      h("td", { class: "num" }, candidate.load),
    ),
  );

  replaceChildren(
    slot,
    rows.length === 0
      ? h("p", { class: "muted" }, `No rule applies to tasks of type "${trace.type}".`)
      : h(
          "table",
          { "aria-label": "Candidate rules in the order tried" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { class: "num" }, "#"),
              h("th", {}, "Rule"),
              h("th", {}, "Agent"),
              h("th", {}, "Outcome"),
              h("th", {}, "Why"),
            ),
          ),
          h("tbody", {}, ...rows),
        ),
    fallbackRows.length > 0 && h("h3", {}, "Capability fallback"),
    fallbackRows.length > 0 &&
      h(
        "table",
        { "aria-label": "Capability fallback candidates" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "Agent"),
            h("th", {}, "Outcome"),
            h("th", { class: "num" }, "Load"),
          ),
        ),
        h("tbody", {}, ...fallbackRows),
      ),
  );
}

function stepOutcome(step: TraceStep): string {
  switch (step.outcome) {
    case "won":
      return "won";
    case "condition-failed":
      return step.result === "unknown" ? "condition unknown" : "condition false";
    case "agent-unavailable":
      return "agent unavailable";
    case "agent-at-capacity":
      return "agent at capacity";
    case "not-reached":
      return "matched, not reached";
    default:
      return step satisfies never;
  }
}

function stepDetail(step: TraceStep): Child {
  switch (step.outcome) {
    case "won":
      return "first candidate whose condition holds and whose agent has capacity";
    case "condition-failed":
      return h(
        "span",
        {},
        h("code", {}, step.at),
        `: ${step.field} ${step.op} expected `,
        h("code", {}, showValue(step.expected)),
        ", found ",
        h("code", {}, step.actual === undefined ? "(absent)" : showValue(step.actual)),
      );
    case "agent-unavailable":
      return `${step.agent} is not among the available agents`;
    case "agent-at-capacity":
      return `${step.agent} is at capacity ${step.load}/${step.maxConcurrent}`;
    case "not-reached":
      return "matched, but an earlier candidate had already won";
    default:
      return step satisfies never;
  }
}

function showValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
