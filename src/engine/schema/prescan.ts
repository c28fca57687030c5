/**
 * Checks that run on raw input before zod parses it. They are iterative, so
 * input of any depth (even cyclic objects) yields a problem, not a stack
 * overflow, and they bound the depth that zod's recursive parsing will meet.
 */
import type { JsonPath } from "../errors.js";
import {
  MAX_CONDITION_DEPTH,
  MAX_INPUT_DEPTH,
  MAX_STRING_LENGTH,
  overLimit,
} from "../limits.js";
import type { RawProblem } from "./problems.js";

export { MAX_CONDITION_DEPTH, MAX_INPUT_DEPTH };

/** Property names that could reach Object.prototype through a path. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "prototype",
  "constructor",
]);

/** Stops collecting after this many problems; one file rarely needs more. */
const MAX_PROBLEMS = 100;

/** Tests whether the string contains a UTF-16 surrogate without its partner. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Walks the whole input and reports nesting deeper than MAX_INPUT_DEPTH,
 * strings and keys longer than MAX_STRING_LENGTH and, when requested, strings
 * or keys with lone surrogates.
 */
export function scanInput(
  input: unknown,
  options: { surrogates: boolean },
): RawProblem[] {
  const problems: RawProblem[] = [];
  const stack: { value: unknown; path: JsonPath }[] = [{ value: input, path: [] }];

  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      if (value.length > MAX_STRING_LENGTH) {
        problems.push(tooLongProblem(path, value));
      } else if (options.surrogates && hasLoneSurrogate(value)) {
        problems.push(loneSurrogateProblem(path, value));
      }
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (path.length >= MAX_INPUT_DEPTH) {
      problems.push({
        path,
        message: `nesting deeper than ${MAX_INPUT_DEPTH} levels (or a cyclic object), ${overLimit("maxInputDepth")}`,
        expected: `at most ${MAX_INPUT_DEPTH} levels`,
        blocking: true,
      });
      continue;
    }
    pushChildren(value, path, stack, problems, options);
  }
  return problems;
}

function pushChildren(
  value: object,
  path: JsonPath,
  stack: { value: unknown; path: JsonPath }[],
  problems: RawProblem[],
  options: { surrogates: boolean },
): void {
  // Pushed in reverse so that problems come out in document order.
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) {
      stack.push({ value: value[i], path: [...path, i] });
    }
    return;
  }
  const keys = Object.keys(value);
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k]!;
    if (key.length > MAX_STRING_LENGTH) {
      problems.push(tooLongProblem([...path, key.slice(0, 32)], key));
    } else if (options.surrogates && hasLoneSurrogate(key)) {
      problems.push(loneSurrogateProblem([...path, key], key));
    }
    stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
  }
}

function tooLongProblem(path: JsonPath, value: string): RawProblem {
  return {
    path,
    message: `a string of ${value.length} characters is ${overLimit("maxStringLength")}`,
    received: value,
    expected: `at most ${MAX_STRING_LENGTH} characters`,
  };
}

function loneSurrogateProblem(path: JsonPath, value: string): RawProblem {
  return {
    path,
    message:
      "the string contains a lone UTF-16 surrogate, which is not valid Unicode text",
    received: value,
    expected: "well-formed Unicode text",
  };
}

/**
 * Reports conditions nested deeper than MAX_CONDITION_DEPTH under
 * `rules[i].when`, following `all`, `any` and `not`. Only the first too-deep
 * condition of each rule is reported.
 */
export function checkConditionDepth(rules: unknown): RawProblem[] {
  if (!Array.isArray(rules)) return [];
  const problems: RawProblem[] = [];
  rules.forEach((rule: unknown, index) => {
    if (rule === null || typeof rule !== "object") return;
    const when = (rule as Record<string, unknown>)["when"];
    const tooDeep = findTooDeepCondition(when, ["rules", index, "when"]);
    if (tooDeep !== undefined) {
      problems.push({
        path: tooDeep,
        message: `condition nested deeper than ${MAX_CONDITION_DEPTH} levels, ${overLimit("maxConditionDepth")}; flatten it with "all" or "any"`,
        expected: `at most ${MAX_CONDITION_DEPTH} levels`,
        blocking: true,
      });
    }
  });
  return problems;
}

function findTooDeepCondition(root: unknown, rootPath: JsonPath): JsonPath | undefined {
  const stack: { value: unknown; path: JsonPath; depth: number }[] = [
    { value: root, path: rootPath, depth: 1 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    if (depth > MAX_CONDITION_DEPTH) return path;
    const condition = value as Record<string, unknown>;
    const not = Object.hasOwn(condition, "not") ? condition["not"] : undefined;
    if (not !== undefined)
      stack.push({ value: not, path: [...path, "not"], depth: depth + 1 });
    for (const key of ["all", "any"] as const) {
      const list = Object.hasOwn(condition, key) ? condition[key] : undefined;
      if (!Array.isArray(list)) continue;
      list.forEach((child: unknown, i) => {
        stack.push({ value: child, path: [...path, key, i], depth: depth + 1 });
      });
    }
  }
  return undefined;
}

/** Returns the first prototype segment of a dotted path, or undefined. */
export function prototypeSegment(dottedPath: string): string | undefined {
  return dottedPath.split(".").find((segment) => PROTOTYPE_KEYS.has(segment));
}
