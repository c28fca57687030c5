/**
 * Live checking of the editor text: JSON syntax, then the rule-set schema,
 * then lint. Every problem carries its JSON path and the line it points at.
 */
import {
  lintRuleSet,
  safeParseRuleSet,
  type RuleSet,
  type SchemaProblem,
} from "../../../src/engine/index.js";
import { h } from "../lib/dom.js";
import { findPath, locateJsonPaths } from "./json-locate.js";

export interface EditorProblem {
  severity: "error" | "warning" | "info";
  /** `syntax`, `schema` or a lint code. */
  source: string;
  path: string;
  message: string;
  /** The value found at the path, already shown as text; absent when none. */
  received?: string;
  line: number;
  column: number;
}

export interface CheckedText {
  /** The valid rule set, or undefined when the text has errors. */
  ruleSet?: RuleSet;
  problems: EditorProblem[];
}

/** Checks `text` and returns every problem found, errors first. */
export function checkRuleSetText(text: string): CheckedText {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problems: [syntaxProblem(text, error)] };
  }

  const positions = locateJsonPaths(text);
  const at = (path: string): { line: number; column: number } =>
    findPath(positions, path) ?? { line: 1, column: 1 };

  const parsed = safeParseRuleSet(json);
  if (!parsed.ok) {
    return {
      problems: parsed.problems.map((problem) =>
        schemaProblem(problem, at(problem.path)),
      ),
    };
  }

  const findings = lintRuleSet(parsed.value).map((finding) => ({
    severity: finding.severity,
    source: finding.code,
    path: finding.path,
    message: finding.message,
    ...at(finding.path),
  }));
  return { ruleSet: parsed.value, problems: findings };
}

/** Describes schema problems of an imported file, each with its path and value. */
export function schemaProblem(
  problem: SchemaProblem,
  position: { line: number; column: number } = { line: 1, column: 1 },
): EditorProblem {
  const expected =
    problem.expected === undefined || problem.message.includes(problem.expected)
      ? ""
      : ` (expected ${problem.expected})`;
  return {
    severity: "error",
    source: "schema",
    path: problem.path,
    message: `${problem.message}${expected}`,
    ...("received" in problem ? { received: showReceived(problem.received) } : {}),
    ...position,
  };
}

function syntaxProblem(text: string, error: unknown): EditorProblem {
  const message = error instanceof Error ? error.message : String(error);
  // V8 reports "... at position N (line L column C)"; older builds only the position.
  const lineMatch = /line (\d+) column (\d+)/.exec(message);
  const positionMatch = /position (\d+)/.exec(message);
  let line = 1;
  let column = 1;
  if (lineMatch !== null) {
    line = Number(lineMatch[1]);
    column = Number(lineMatch[2]);
  } else if (positionMatch !== null) {
    const before = text.slice(0, Number(positionMatch[1]));
    line = before.split("\n").length;
    column = before.length - before.lastIndexOf("\n");
  }
  return {
    severity: "error",
    source: "syntax",
    path: `line ${line}, column ${column}`,
    message: `Invalid JSON: ${message}`,
    line,
    column,
  };
}

const RECEIVED_CHARS = 120;

function showReceived(value: unknown): string {
  let text: string;
  if (value === undefined) return "(absent)";
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length <= RECEIVED_CHARS ? text : `${text.slice(0, RECEIVED_CHARS - 1)}…`;
}

/** Renders problems as buttons that move the editor to their line. */
export function renderProblems(
  list: HTMLElement,
  problems: readonly EditorProblem[],
  onPick: (problem: EditorProblem) => void,
): void {
  if (problems.length === 0) {
    list.replaceChildren(
      h(
        "li",
        { class: "ok" },
        "No problems: the rule set is valid and lint found nothing.",
      ),
    );
    return;
  }
  list.replaceChildren(
    ...problems.map((problem) => {
      const button = h(
        "button",
        { type: "button", "data-path": problem.path },
        h("span", { class: "problem-path" }, problem.path),
        ` — ${problem.message}`,
        problem.received !== undefined && h("span", {}, ` (found ${problem.received})`),
        h("span", { class: "muted" }, ` · line ${problem.line} · ${problem.source}`),
      );
      button.addEventListener("click", () => onPick(problem));
      return h(
        "li",
        { class: problem.severity === "error" ? "error" : "warning" },
        button,
      );
    }),
  );
}
