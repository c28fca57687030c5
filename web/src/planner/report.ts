/** The validation report: each check, the score and its parts, every issue. */
import type { Issue, ValidationResult } from "../../../src/engine/index.js";
import { formatCount, h, replaceChildren, type Child } from "../lib/dom.js";

/** Issues listed per severity before the list is cut with a count of the rest. */
const ISSUES_SHOWN = 100;
const MESSAGE_CHARS = 400;

const CHECK_NAMES = [
  ["solvability", "Solvability"],
  ["completeness", "Completeness"],
  ["nonRedundancy", "Non-redundancy"],
  ["structure", "Structure"],
  ["budget", "Budget"],
] as const;

const SCORE_PARTS = [
  ["success", "Success (S)", 0.4, "product of the agents' success rates"],
  ["quality", "Quality (Q)", 0.3, "type and skill match"],
  ["cost", "Cost (C)", 0.2, "mean cost of the tiers; counts as 1 − C"],
  ["time", "Time (T)", 0.1, "depth / 10; counts as 1 − T"],
] as const;

export function renderReport(container: HTMLElement, result: ValidationResult): void {
  const checks = CHECK_NAMES.map(([key, name]) => {
    const value = result.checks[key];
    const [label, kind] =
      value === null
        ? ["not run", "skip"]
        : value
          ? ["passed", "pass"]
          : ["failed", "fail"];
    return h(
      "li",
      { "data-check": key },
      h("span", {}, name),
      h("span", { class: `badge ${kind}` }, label),
    );
  });

  replaceChildren(
    container,
    h(
      "p",
      { class: "score" },
      h(
        "span",
        { class: `badge ${result.passed ? "pass" : "fail"}` },
        result.passed ? "Plan passed" : "Plan failed",
      ),
      h("span", {}, "Quality score"),
      h(
        "strong",
        { "data-testid": "quality-score" },
        result.qualityScore === null ? "—" : result.qualityScore.toFixed(3),
      ),
      result.qualityScore === null &&
        h("span", { class: "muted" }, "(computed only when every check passes)"),
    ),
    h("ul", { class: "checks", "aria-label": "Checks" }, ...checks),
    h(
      "table",
      { "aria-label": "Score parts" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, "Part"),
          h("th", { class: "num" }, "Value"),
          h("th", { class: "num" }, "Weight"),
          h("th", {}, "Meaning"),
        ),
      ),
      h(
        "tbody",
        {},
        ...SCORE_PARTS.map(([key, name, weight, meaning]) =>
          h(
            "tr",
            {},
            h("td", {}, name),
            h("td", { class: "num" }, result.scoreParts[key].toFixed(3)),
            h("td", { class: "num" }, weight.toFixed(1)),
            h("td", { class: "muted" }, meaning),
          ),
        ),
      ),
    ),
    ...issueSection("Errors", result.issues, "error"),
    ...issueSection("Warnings", result.warnings, "warning"),
  );
}

function issueSection(
  title: string,
  issues: readonly Issue[],
  kind: "error" | "warning",
): Child[] {
  const heading = h("h3", {}, `${title} (${formatCount(issues.length)})`);
  if (issues.length === 0)
    return [heading, h("p", { class: "muted" }, `No ${title.toLowerCase()}.`)];
  const items = issues
    .slice(0, ISSUES_SHOWN)
    .map((issue) =>
      h(
        "li",
        { class: kind },
        h("code", {}, issue.code),
        " ",
        [
          issue.task && `task ${issue.task}`,
          issue.agent && `agent ${issue.agent}`,
          issue.path,
        ]
          .filter(Boolean)
          .join(" · "),
        h("br"),
        clip(issue.message),
      ),
    );
  const rest = issues.length - items.length;
  return [
    heading,
    h("ul", { class: "issue-list" }, ...items),
    rest > 0 &&
      h(
        "p",
        { class: "muted" },
        `and ${formatCount(rest)} more; export the result to read them all.`,
      ),
  ];
}

function clip(message: string): string {
  return message.length <= MESSAGE_CHARS
    ? message
    : `${message.slice(0, MESSAGE_CHARS - 1)}…`;
}
