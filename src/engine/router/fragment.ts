/**
 * Compilation of one rule's condition into postfix bytecode and leaf
 * descriptions. Strings stay strings here; `compile.ts` interns them when it
 * lays the fragments of all rules out into `CompiledTables`. Keeping each
 * rule's fragment separate lets the router recompile only the rule that an
 * edit touches.
 */

import { RuleSetError, formatPath, type JsonPath } from "../errors.js";
import { MAX_CONDITION_DEPTH, overLimit } from "../limits.js";
import {
  OPERATORS,
  type Condition,
  type Operator,
  type Rule,
  type RuleScalar,
} from "../types.js";
import {
  CODE_ALL,
  CODE_ANY,
  CODE_LEAF,
  CODE_NOT,
  CODE_TRUE,
  OP_BETWEEN,
  OP_EQ,
  OP_EXISTS,
  OP_IN,
  OP_MISSING,
  OP_NOT_IN,
} from "./tables.js";

export { MAX_CONDITION_DEPTH };

/** Path segments that could reach an object's prototype. */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);

/** A leaf test before interning. */
export interface LeafSource {
  /** `type`, `description` or `metadata.<dotted path>`. */
  field: string;
  op: number;
  /** Single operand, or the minimum of `between`; undefined for exists/missing and lists. */
  operand: RuleScalar | undefined;
  /** Maximum of `between`. */
  operand2: RuleScalar | undefined;
  /** Operands of `in` / `notIn`. */
  list: RuleScalar[] | null;
}

/** One rule's condition compiled on its own. */
export interface RuleFragment {
  /** Two numbers per instruction; CODE_LEAF arguments index `leaves`. */
  code: number[];
  leaves: LeafSource[];
  /** Top-level task types (NFC), or null for a wildcard rule. */
  taskTypes: string[] | null;
  /** Maximum depth of the evaluation stack for this bytecode. */
  stackDepth: number;
}

const OPERATOR_CODES: Record<Operator, number> = {
  eq: 0,
  ne: 1,
  in: 2,
  notIn: 3,
  lt: 4,
  lte: 5,
  gt: 6,
  gte: 7,
  between: 8,
  exists: 9,
  missing: 10,
  contains: 11,
  startsWith: 12,
};

/** Work items of the iterative postfix emitter. */
type Work =
  | { kind: "condition"; condition: Condition; path: JsonPath; depth: number }
  | { kind: "leaf"; leaf: LeafSource }
  | { kind: "emit"; code: number; arg: number };

/** Throws the RuleSetError used for every problem found while compiling a rule. */
export function ruleProblem(path: JsonPath, message: string, received?: unknown): never {
  const where = formatPath(path);
  throw new RuleSetError(`${where}: ${message}`, {
    code: "E_SCHEMA",
    path,
    details: { problems: [{ path: where, message, received }] },
  });
}

/** Normalises a rule operand: strings to NFC, numbers must be finite. */
function normaliseScalar(value: unknown, path: JsonPath): RuleScalar {
  if (typeof value === "string") {
    return value.normalize("NFC");
  }
  if (typeof value === "boolean") {
    return value;
  }
  if (typeof value === "number" && Number.isFinite(value)) {
    return value;
  }
  return ruleProblem(path, "expected a string, a finite number or a boolean", value);
}

/** Checks a leaf's field path and returns it; paths are compared as written, without NFC. */
export function checkFieldPath(field: unknown, path: JsonPath): string {
  if (field === "type" || field === "description") {
    return field;
  }
  if (typeof field !== "string" || !field.startsWith("metadata.")) {
    return ruleProblem(
      path,
      'expected "type", "description" or "metadata.<path>"',
      field,
    );
  }
  for (const segment of field.slice("metadata.".length).split(".")) {
    if (segment === "") {
      return ruleProblem(path, "the path has an empty segment", field);
    }
    if (FORBIDDEN_SEGMENTS.has(segment)) {
      return ruleProblem(path, `the path segment "${segment}" is not allowed`, field);
    }
  }
  return field;
}

function buildLeaf(condition: Condition, path: JsonPath): LeafSource {
  const field = checkFieldPath(condition.field, [...path, "field"]);
  const opName = condition.op;
  if (opName === undefined || !(OPERATORS as readonly string[]).includes(opName)) {
    return ruleProblem(
      [...path, "op"],
      `expected one of ${OPERATORS.join(", ")}`,
      opName,
    );
  }
  const op = OPERATOR_CODES[opName];
  const value: unknown = condition.value;
  const valuePath = [...path, "value"];
  const leaf: LeafSource = {
    field,
    op,
    operand: undefined,
    operand2: undefined,
    list: null,
  };

  if (op === OP_EXISTS || op === OP_MISSING) {
    return leaf;
  }
  if (op === OP_IN || op === OP_NOT_IN) {
    if (!Array.isArray(value)) {
      return ruleProblem(valuePath, "expected an array of values", value);
    }
    leaf.list = value.map((item, i) => normaliseScalar(item, [...valuePath, i]));
    return leaf;
  }
  if (op === OP_BETWEEN) {
    if (!Array.isArray(value) || value.length !== 2) {
      return ruleProblem(valuePath, "expected [min, max]", value);
    }
    const min = normaliseScalar(value[0], [...valuePath, 0]);
    const max = normaliseScalar(value[1], [...valuePath, 1]);
    if (typeof min !== typeof max || typeof min === "boolean") {
      return ruleProblem(valuePath, "expected two numbers or two strings", value);
    }
    leaf.operand = min;
    leaf.operand2 = max;
    return leaf;
  }
  leaf.operand = normaliseScalar(value, valuePath);
  return leaf;
}

/** Lists the parts of one condition object, which are ANDed, in a fixed order. */
function conditionParts(
  condition: Condition,
  path: JsonPath,
  depth: number,
  topLevel: boolean,
): Work[][] {
  const parts: Work[][] = [];
  if (condition === null || typeof condition !== "object" || Array.isArray(condition)) {
    return ruleProblem(path, "expected a condition object", condition);
  }

  if (condition.taskType !== undefined && !topLevel) {
    const types = taskTypeList(condition.taskType, [...path, "taskType"]);
    parts.push([
      {
        kind: "leaf",
        leaf: {
          field: "type",
          op: OP_IN,
          operand: undefined,
          operand2: undefined,
          list: types,
        },
      },
    ]);
  }
  if (condition.metadata !== undefined) {
    const shorthand = condition.metadata;
    for (const key of Object.keys(shorthand)) {
      const keyPath = [...path, "metadata", key];
      const field = checkFieldPath(`metadata.${key}`, keyPath);
      const operand = normaliseScalar(shorthand[key], keyPath);
      parts.push([
        {
          kind: "leaf",
          leaf: { field, op: OP_EQ, operand, operand2: undefined, list: null },
        },
      ]);
    }
  }
  if (condition.field !== undefined || condition.op !== undefined) {
    parts.push([{ kind: "leaf", leaf: buildLeaf(condition, path) }]);
  }
  if (condition.all !== undefined) {
    parts.push(groupWork(condition.all, CODE_ALL, [...path, "all"], depth));
  }
  if (condition.any !== undefined) {
    parts.push(groupWork(condition.any, CODE_ANY, [...path, "any"], depth));
  }
  if (condition.not !== undefined) {
    checkDepth(depth + 1, [...path, "not"]);
    parts.push([
      {
        kind: "condition",
        condition: condition.not,
        path: [...path, "not"],
        depth: depth + 1,
      },
      { kind: "emit", code: CODE_NOT, arg: 0 },
    ]);
  }
  return parts;
}

/** Checks a condition's depth below `when` (depth 0), which is level depth + 1. */
function checkDepth(depth: number, path: JsonPath): void {
  if (depth + 1 > MAX_CONDITION_DEPTH) {
    ruleProblem(
      path,
      `conditions may nest at most ${MAX_CONDITION_DEPTH} levels, ${overLimit("maxConditionDepth")}`,
      depth + 1,
    );
  }
}

/** Work items for `all` / `any`: each child, then the group instruction. */
function groupWork(
  children: unknown,
  code: number,
  path: JsonPath,
  depth: number,
): Work[] {
  if (!Array.isArray(children)) {
    return ruleProblem(path, "expected an array of conditions", children);
  }
  checkDepth(depth + 1, path);
  const work: Work[] = children.map((child: Condition, i) => ({
    kind: "condition" as const,
    condition: child,
    path: [...path, i],
    depth: depth + 1,
  }));
  work.push({ kind: "emit", code, arg: children.length });
  return work;
}

function taskTypeList(value: unknown, path: JsonPath): string[] {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list)) {
    return ruleProblem(path, "expected a task type or an array of task types", value);
  }
  return list.map((item, i) => {
    if (typeof item !== "string" || item === "") {
      return ruleProblem([...path, i], "expected a non-empty string", item);
    }
    return item.normalize("NFC");
  });
}

/**
 * Compiles one rule's `when` into postfix bytecode. `path` locates the rule
 * for error messages (e.g. `["rules", 3]`). Iterative, so the nesting limit
 * is the only bound on depth.
 */
export function compileRuleFragment(rule: Rule, path: JsonPath): RuleFragment {
  const when = rule.when;
  const whenPath = [...path, "when"];
  if (when === null || typeof when !== "object" || Array.isArray(when)) {
    return ruleProblem(whenPath, "expected a condition object", when);
  }
  const taskTypes =
    when.taskType === undefined
      ? null
      : taskTypeList(when.taskType, [...whenPath, "taskType"]);

  const code: number[] = [];
  const leaves: LeafSource[] = [];
  let depth = 0;
  let stackDepth = 0;
  const emit = (instruction: number, arg: number, pushes: number, pops: number): void => {
    code.push(instruction, arg);
    depth += pushes - pops;
    stackDepth = Math.max(stackDepth, depth);
  };

  const stack: Work[] = [
    { kind: "condition", condition: when, path: whenPath, depth: 0 },
  ];
  let topLevel = true;
  while (stack.length > 0) {
    const work = stack.pop()!;
    if (work.kind === "leaf") {
      emit(CODE_LEAF, leaves.length, 1, 0);
      leaves.push(work.leaf);
      continue;
    }
    if (work.kind === "emit") {
      const pops = work.code === CODE_NOT ? 1 : work.arg;
      emit(work.code, work.arg, 1, pops);
      continue;
    }

    // A condition object: its parts, then an AND over them when there are several.
    const parts = conditionParts(work.condition, work.path, work.depth, topLevel);
    topLevel = false;
    const count = parts.length;
    if (count === 0) {
      emit(CODE_TRUE, 0, 1, 0);
      continue;
    }
    if (count > 1) {
      stack.push({ kind: "emit", code: CODE_ALL, arg: count });
    }
    for (let i = parts.length - 1; i >= 0; i--) {
      const part = parts[i]!;
      for (let j = part.length - 1; j >= 0; j--) {
        stack.push(part[j]!);
      }
    }
  }
  return { code, leaves, taskTypes, stackDepth };
}
