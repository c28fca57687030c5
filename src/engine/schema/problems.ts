/**
 * Schema problems as data, their conversion from zod issues, and a formatter
 * that never throws, whatever values the problems carry.
 */
import type { z } from "zod";
import { formatPath, type JsonPath, type SchemaProblem } from "../errors.js";

/** A problem before its path is turned into text. */
export interface RawProblem {
  path: JsonPath;
  message: string;
  received?: unknown;
  expected?: string;
  /** Set when parsing must stop here (input too deep for zod to recurse into). */
  blocking?: true;
}

/** Maximum characters of a received value shown in a message. */
const PREVIEW_LENGTH = 80;

/** Turns raw problems into SchemaProblems with dotted paths. */
export function toSchemaProblems(raw: readonly RawProblem[]): SchemaProblem[] {
  return raw.map((problem) => {
    const out: SchemaProblem = {
      path: formatPath(problem.path),
      message: problem.message,
    };
    if ("received" in problem) out.received = problem.received;
    if (problem.expected !== undefined) out.expected = problem.expected;
    return out;
  });
}

/** Converts zod issues into raw problems with messages that name what was expected. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): RawProblem[] {
  const problems: RawProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.map((segment) =>
      typeof segment === "number" ? segment : String(segment),
    );
    const received = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          problems.push({
            path: [...path, key],
            message: `unknown key "${key}"; remove it or check its spelling`,
            expected: "no such key",
          });
        }
        break;
      case "invalid_type": {
        const expected = issue.expected === "int" ? "integer" : String(issue.expected);
        const custom = !issue.message.startsWith("Invalid input");
        const message = custom
          ? issue.message
          : received === undefined
            ? `missing required value, expected ${expected}`
            : `expected ${expected}`;
        problems.push({
          path,
          message,
          received,
          expected: custom ? issue.message : expected,
        });
        break;
      }
      case "invalid_value": {
        const expected = `one of ${issue.values.map((value) => safeJson(value)).join(", ")}`;
        problems.push({
          path,
          message: `invalid value, expected ${expected}`,
          received,
          expected,
        });
        break;
      }
      default:
        problems.push({ path, message: issue.message, received });
    }
  }
  return problems;
}

/** Formats problems one per line as `path: message (received X)`. Never throws. */
export function formatProblems(problems: readonly SchemaProblem[]): string {
  try {
    const lines: string[] = [];
    for (const problem of problems) {
      lines.push(formatOneProblem(problem));
    }
    return lines.join("\n");
  } catch {
    return "(the problems could not be formatted)";
  }
}

function formatOneProblem(problem: SchemaProblem): string {
  try {
    const path =
      typeof problem.path === "string" ? truncate(problem.path) : "(unknown path)";
    const message =
      typeof problem.message === "string" ? truncate(problem.message) : "invalid";
    const hasReceived = "received" in problem;
    return hasReceived
      ? `${path}: ${message} (received ${previewValue(problem.received)})`
      : `${path}: ${message}`;
  } catch {
    return "(a problem could not be formatted)";
  }
}

/** Describes any value in a short, single-line form. Never throws. */
export function previewValue(value: unknown): string {
  try {
    switch (typeof value) {
      case "undefined":
        return "nothing";
      case "string":
        return safeJson(value);
      case "number":
        return Number.isFinite(value) ? String(value) : `${String(value)} (not finite)`;
      case "bigint":
        return truncate(`${value.toString()}n (BigInt)`);
      case "boolean":
        return String(value);
      case "symbol":
        return "a symbol";
      case "function":
        return "a function";
      case "object":
        if (value === null) return "null";
        if (Array.isArray(value)) return `an array of ${value.length}`;
        return "an object";
    }
    return "an unknown value";
  } catch {
    return "an unreadable value";
  }
}

/** Formats a string or scalar as JSON text, truncated. Never throws. */
export function safeJson(value: unknown): string {
  try {
    if (typeof value === "string") {
      const cut =
        value.length > PREVIEW_LENGTH ? `${value.slice(0, PREVIEW_LENGTH)}` : value;
      const text = JSON.stringify(cut);
      return value.length > PREVIEW_LENGTH
        ? `${text}… (${value.length} characters)`
        : text;
    }
    if (typeof value === "number" || typeof value === "boolean" || value === null) {
      return String(value);
    }
    return previewValue(value);
  } catch {
    return "an unreadable value";
  }
}

function truncate(text: string): string {
  return text.length > 4 * PREVIEW_LENGTH
    ? `${text.slice(0, 4 * PREVIEW_LENGTH)}…`
    : text;
}

/** Summarises problems for an error message: the first one, and how many more. */
export function summarizeProblems(
  what: string,
  problems: readonly SchemaProblem[],
): string {
  const first = problems[0];
  const head = first === undefined ? "" : formatProblems([first]);
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  return `Invalid ${what}: ${head}${more}`;
}

/** Sorts problems by path in document order (array indices numerically); stable. */
export function sortProblems(problems: RawProblem[]): RawProblem[] {
  return [...problems].sort((a, b) => comparePaths(a.path, b.path));
}

function comparePaths(a: JsonPath, b: JsonPath): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    // Different keys of one object: keep their original order.
    return 0;
  }
  return a.length - b.length;
}
