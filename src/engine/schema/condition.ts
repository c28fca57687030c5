/**
 * The rule condition (`when`) schema and its NFC normalisation. Depth is
 * bounded by `checkConditionDepth` before zod recurses into it.
 */
import { z } from "zod";
import { OPERATORS, type Condition, type Operator, type RuleScalar } from "../types.js";
import { isPlainObject } from "./metadata.js";
import { prototypeSegment } from "./prescan.js";

type Context = z.core.$RefinementCtx<unknown>;

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z
    .strictObject({
      taskType: z.unknown().optional(),
      // Checked by hand: zod's record output would drop a "__proto__" key.
      metadata: z.unknown().optional(),
      all: z.array(conditionSchema).optional(),
      any: z.array(conditionSchema).optional(),
      not: conditionSchema.optional(),
      field: z.string().optional(),
      op: z.enum(OPERATORS).optional(),
      value: z.unknown().optional(),
    })
    .superRefine((condition, ctx) => {
      checkTaskType(condition.taskType, ctx);
      checkMetadataShorthand(condition.metadata, ctx);
      checkLeaf(condition, ctx);
    }),
) as z.ZodType<Condition>;

function addProblem(
  ctx: Context,
  path: (string | number)[],
  message: string,
  input: unknown,
): void {
  ctx.addIssue({ code: "custom", path, message, input });
}

function checkTaskType(taskType: unknown, ctx: Context): void {
  if (taskType === undefined) return;
  const expected = "expected a non-empty task type or a non-empty array of them";
  if (typeof taskType === "string") {
    if (taskType === "") addProblem(ctx, ["taskType"], expected, taskType);
    return;
  }
  if (!Array.isArray(taskType) || taskType.length === 0) {
    addProblem(ctx, ["taskType"], expected, taskType);
    return;
  }
  taskType.forEach((item: unknown, i) => {
    if (typeof item !== "string" || item === "") {
      addProblem(ctx, ["taskType", i], "expected a non-empty task type", item);
    }
  });
}

function checkMetadataShorthand(metadata: unknown, ctx: Context): void {
  if (metadata === undefined) return;
  if (!isPlainObject(metadata)) {
    addProblem(
      ctx,
      ["metadata"],
      "expected object of {path: value} equality tests",
      metadata,
    );
    return;
  }
  for (const path of Object.keys(metadata)) {
    const pathProblem = checkDottedPath(path);
    if (pathProblem !== undefined) {
      addProblem(ctx, ["metadata", path], pathProblem, path);
      continue;
    }
    const valueProblem = scalarProblem(metadata[path], "eq");
    if (valueProblem !== undefined)
      addProblem(ctx, ["metadata", path], valueProblem, metadata[path]);
  }
}

/** Returns why a dotted metadata path is invalid, or undefined. */
function checkDottedPath(path: string): string | undefined {
  if (path === "" || path.split(".").some((segment) => segment === "")) {
    return `invalid metadata path "${path}": expected dot-separated non-empty names`;
  }
  const segment = prototypeSegment(path);
  if (segment !== undefined) {
    return `the path segment "${segment}" is not allowed because it names an object prototype member`;
  }
  return undefined;
}

interface LeafParts {
  field?: string | undefined;
  op?: Operator | undefined;
  value?: unknown;
}

function checkLeaf(condition: LeafParts, ctx: Context): void {
  const { field, op, value } = condition;
  if (field === undefined && op === undefined && value === undefined) return;
  if (field === undefined) {
    addProblem(
      ctx,
      ["field"],
      'a test needs "field": "type", "description" or "metadata.<path>"',
      undefined,
    );
  } else {
    const problem = checkField(field);
    if (problem !== undefined) addProblem(ctx, ["field"], problem, field);
  }
  if (op === undefined) {
    addProblem(
      ctx,
      ["op"],
      `a test needs "op", one of ${OPERATORS.join(", ")}`,
      undefined,
    );
    return;
  }
  const problem = operandProblem(op, value);
  if (problem !== undefined) addProblem(ctx, ["value"], problem, value);
}

function checkField(field: string): string | undefined {
  if (field === "type" || field === "description") return undefined;
  if (!field.startsWith("metadata.")) {
    return `invalid field "${field}": expected "type", "description" or "metadata.<path>"`;
  }
  return checkDottedPath(field.slice("metadata.".length));
}

function isRuleScalar(value: unknown): value is RuleScalar {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

function scalarProblem(value: unknown, op: Operator): string | undefined {
  if (value === undefined) return `operator "${op}" needs a value`;
  if (value === null) {
    return 'null is not allowed as a value; use op "missing" to test for an absent or null field';
  }
  if (isRuleScalar(value)) return undefined;
  return `operator "${op}" expected a string, finite number or boolean`;
}

/** Returns why `value` is not a valid operand for `op`, or undefined. */
export function operandProblem(op: Operator, value: unknown): string | undefined {
  switch (op) {
    case "exists":
    case "missing":
      return value === undefined
        ? undefined
        : `operator "${op}" takes no value; remove "value"`;
    case "in":
    case "notIn":
      if (Array.isArray(value) && value.every(isRuleScalar)) return undefined;
      return `operator "${op}" expected an array of strings, finite numbers or booleans`;
    case "between":
      return betweenProblem(value);
    case "lt":
    case "lte":
    case "gt":
    case "gte":
      if (
        typeof value === "string" ||
        (typeof value === "number" && Number.isFinite(value))
      ) {
        return undefined;
      }
      return (
        scalarProblem(value, op) ??
        `operator "${op}" expected a finite number or a string`
      );
    case "startsWith":
      if (typeof value === "string") return undefined;
      return scalarProblem(value, op) ?? `operator "${op}" expected a string`;
    case "eq":
    case "ne":
    case "contains":
      return scalarProblem(value, op);
    default:
      op satisfies never;
      throw new Error(`unhandled operator ${String(op)}`);
  }
}

function betweenProblem(value: unknown): string | undefined {
  const expected =
    'operator "between" expected [min, max]: two finite numbers or two strings';
  if (!Array.isArray(value) || value.length !== 2) return expected;
  const [min, max] = value as unknown[];
  const bothNumbers =
    typeof min === "number" &&
    typeof max === "number" &&
    Number.isFinite(min) &&
    Number.isFinite(max);
  const bothStrings = typeof min === "string" && typeof max === "string";
  return bothNumbers || bothStrings ? undefined : expected;
}

/** Returns a copy of a checked condition with every string NFC-normalised. */
export function normalizeCondition(condition: Condition): Condition {
  const out: Condition = {};
  if (condition.taskType !== undefined) {
    out.taskType =
      typeof condition.taskType === "string"
        ? nfc(condition.taskType)
        : condition.taskType.map(nfc);
  }
  if (condition.metadata !== undefined) {
    const metadata: { [path: string]: RuleScalar } = {};
    for (const [path, value] of Object.entries(condition.metadata)) {
      metadata[nfc(path)] = normalizeScalar(value);
    }
    out.metadata = metadata;
  }
  if (condition.all !== undefined) out.all = condition.all.map(normalizeCondition);
  if (condition.any !== undefined) out.any = condition.any.map(normalizeCondition);
  if (condition.not !== undefined) out.not = normalizeCondition(condition.not);
  if (condition.field !== undefined) out.field = nfc(condition.field);
  if (condition.op !== undefined) out.op = condition.op;
  if (condition.value !== undefined) {
    out.value = Array.isArray(condition.value)
      ? condition.value.map(normalizeScalar)
      : normalizeScalar(condition.value);
  }
  return out;
}

function normalizeScalar(value: RuleScalar): RuleScalar {
  return typeof value === "string" ? nfc(value) : value;
}

export function nfc(text: string): string {
  return text.normalize("NFC");
}
