/**
 * Three-valued evaluation of rule conditions directly on task objects, the
 * way an interpreter without a compile step does it. The naive router and
 * the json-rules-engine operators use it; the engine itself never does.
 *
 * A field that is absent or null makes every test UNKNOWN except `exists`
 * (FALSE) and `missing` (TRUE). Equality never coerces and is FALSE between
 * different kinds; ordering tests between different kinds are UNKNOWN.
 * `not` keeps UNKNOWN; `all` and `any` follow Kleene logic. These are the
 * semantics of the engine's JS matcher (`src/engine/router/match.ts`).
 */
import type { Condition, Operator, RuleScalar, Task } from "../src/engine/types.js";

export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Truth = typeof FALSE | typeof TRUE | typeof UNKNOWN;

const hasOwn = Object.prototype.hasOwnProperty;

/** Reads a dotted metadata path through own properties; `undefined` when absent. */
export function readPath(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const segment of path.split(".")) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return undefined;
    }
    if (!hasOwn.call(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Reads a rule field (`type`, `description` or `metadata.<path>`) from a task. */
export function readField(task: Task, field: string): unknown {
  if (field === "type") return task.type;
  if (field === "description") return task.description;
  if (field.startsWith("metadata.")) {
    return readPath(task.metadata, field.slice("metadata.".length));
  }
  return undefined;
}

function normalise(value: unknown): unknown {
  return typeof value === "string" ? value.normalize("NFC") : value;
}

function isScalar(value: unknown): value is RuleScalar {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/** Equality without coercion; an array or object present in the task equals nothing. */
function equals(actual: unknown, expected: RuleScalar): Truth {
  if (!isScalar(actual)) return FALSE;
  return normalise(actual) === expected ? TRUE : FALSE;
}

function compare(actual: unknown, expected: RuleScalar): number | null {
  if (typeof actual === "number" && typeof expected === "number") {
    return Number.isFinite(actual) ? actual - expected : null;
  }
  if (typeof actual === "string" && typeof expected === "string") {
    const a = actual.normalize("NFC");
    return a < expected ? -1 : a > expected ? 1 : 0;
  }
  return null;
}

function ordered(
  actual: unknown,
  expected: RuleScalar,
  test: (d: number) => boolean,
): Truth {
  const difference = compare(actual, expected);
  if (difference === null) return UNKNOWN;
  return test(difference) ? TRUE : FALSE;
}

function contains(actual: unknown, expected: RuleScalar): Truth {
  if (typeof actual === "string") {
    if (typeof expected !== "string") return UNKNOWN;
    return actual.normalize("NFC").includes(expected) ? TRUE : FALSE;
  }
  if (Array.isArray(actual)) {
    for (const element of actual) {
      if (isScalar(element) && normalise(element) === expected) return TRUE;
    }
    return FALSE;
  }
  return UNKNOWN;
}

function inList(actual: unknown, list: readonly RuleScalar[]): Truth {
  if (!isScalar(actual)) return FALSE;
  const value = normalise(actual);
  return list.includes(value as RuleScalar) ? TRUE : FALSE;
}

function negate(truth: Truth): Truth {
  return truth === UNKNOWN ? UNKNOWN : truth === TRUE ? FALSE : TRUE;
}

/** Evaluates one leaf test on a field value already read from the task. */
export function evaluateLeaf(op: Operator, actual: unknown, value: unknown): Truth {
  const present = actual !== undefined && actual !== null;
  if (op === "exists") return present ? TRUE : FALSE;
  if (op === "missing") return present ? FALSE : TRUE;
  if (!present) return UNKNOWN;
  switch (op) {
    case "eq":
      return equals(actual, value as RuleScalar);
    case "ne":
      return negate(equals(actual, value as RuleScalar));
    case "in":
      return inList(actual, value as RuleScalar[]);
    case "notIn":
      return negate(inList(actual, value as RuleScalar[]));
    case "lt":
      return ordered(actual, value as RuleScalar, (d) => d < 0);
    case "lte":
      return ordered(actual, value as RuleScalar, (d) => d <= 0);
    case "gt":
      return ordered(actual, value as RuleScalar, (d) => d > 0);
    case "gte":
      return ordered(actual, value as RuleScalar, (d) => d >= 0);
    case "between": {
      const [min, max] = value as [RuleScalar, RuleScalar];
      const low = ordered(actual, min, (d) => d >= 0);
      const high = ordered(actual, max, (d) => d <= 0);
      // Either bound not comparable makes the whole test UNKNOWN, even when
      // the other bound alone would give FALSE.
      if (low === UNKNOWN || high === UNKNOWN) return UNKNOWN;
      return kleeneAnd(low, high);
    }
    case "contains":
      return contains(actual, value as RuleScalar);
    case "startsWith":
      if (typeof actual !== "string" || typeof value !== "string") return UNKNOWN;
      return actual.normalize("NFC").startsWith(value) ? TRUE : FALSE;
    default:
      op satisfies never;
      throw new Error(`Unknown operator ${String(op)}`);
  }
}

function kleeneAnd(a: Truth, b: Truth): Truth {
  if (a === FALSE || b === FALSE) return FALSE;
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  return TRUE;
}

function kleeneOr(a: Truth, b: Truth): Truth {
  if (a === TRUE || b === TRUE) return TRUE;
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  return FALSE;
}

/**
 * Evaluates a whole condition on a task, including its `taskType` part.
 * Parts of one condition object combine with AND.
 */
export function evaluateCondition(condition: Condition, task: Task): Truth {
  let result: Truth = TRUE;
  if (condition.taskType !== undefined) {
    const types = condition.taskType;
    const match =
      typeof types === "string" ? types === task.type : types.includes(task.type);
    result = match ? TRUE : FALSE;
    if (result === FALSE) return FALSE;
  }
  if (condition.metadata !== undefined) {
    for (const path of Object.keys(condition.metadata)) {
      const expected = condition.metadata[path] as RuleScalar;
      const actual = readPath(task.metadata, path);
      const leaf = evaluateLeaf("eq", actual, expected);
      result = kleeneAnd(result, leaf);
      if (result === FALSE) return FALSE;
    }
  }
  if (condition.field !== undefined && condition.op !== undefined) {
    const leaf = evaluateLeaf(
      condition.op,
      readField(task, condition.field),
      condition.value,
    );
    result = kleeneAnd(result, leaf);
    if (result === FALSE) return FALSE;
  }
  if (condition.all !== undefined) {
    for (const part of condition.all) {
      result = kleeneAnd(result, evaluateCondition(part, task));
      if (result === FALSE) return FALSE;
    }
  }
  if (condition.any !== undefined) {
    let any: Truth = FALSE;
    for (const part of condition.any) {
      any = kleeneOr(any, evaluateCondition(part, task));
      if (any === TRUE) break;
    }
    result = kleeneAnd(result, any);
    if (result === FALSE) return FALSE;
  }
  if (condition.not !== undefined) {
    result = kleeneAnd(result, negate(evaluateCondition(condition.not, task)));
  }
  return result;
}
