/**
 * Proofs that one condition implies another: whenever a task makes the first
 * conjunction true, it makes the second true as well. Conservative like
 * `satisfiable.ts`: `true` is a proof, `false` means no proof was found.
 */

import { isOrderable, valueKey, type Atom, type LeafAtom } from "./atoms.js";

/** Checks that every atom of `weaker` is true whenever all of `stronger` are. */
export function implies(stronger: readonly Atom[], weaker: readonly Atom[]): boolean {
  return weaker.every((atom) => impliesAtom(stronger, atom, 0));
}

/** Branching through `any` atoms stops here, so the search stays small. */
const MAX_SPLIT_DEPTH = 4;

function impliesAtom(stronger: readonly Atom[], target: Atom, depth: number): boolean {
  for (const atom of stronger) {
    if (atom.key === target.key) return true;
    if (atom.kind === "leaf" && target.kind === "leaf" && leafImplies(atom, target)) {
      return true;
    }
  }

  if (
    target.kind === "any" &&
    target.branches.some((branch) => implies(stronger, branch))
  ) {
    return true;
  }

  // Case split: when `stronger` requires any(b1, b2, ...), the target holds if
  // it holds under each branch together with the other atoms.
  if (depth >= MAX_SPLIT_DEPTH) return false;
  for (const atom of stronger) {
    if (atom.kind !== "any" || atom.branches.length === 0) continue;
    const others = stronger.filter((other) => other !== atom);
    if (
      atom.branches.every((branch) =>
        impliesAtom([...others, ...branch], target, depth + 1),
      )
    ) {
      return true;
    }
  }
  return false;
}

/** Checks that a true `stronger` test on a field makes `weaker` on that field true. */
export function leafImplies(stronger: LeafAtom, weaker: LeafAtom): boolean {
  if (stronger.field !== weaker.field) return false;
  if (stronger.key === weaker.key) return true;

  // Every test but `missing` is true only on a present, non-null value.
  if (weaker.op === "exists") return stronger.op !== "missing";

  const values = possibleValues(stronger);
  if (values !== undefined) return values.every((value) => valueSatisfies(value, weaker));

  if (stronger.op === "notIn" && weaker.op === "notIn") {
    return isSubset(weaker.value, stronger.value);
  }
  if (stronger.op === "notIn" && weaker.op === "ne") {
    return isSubset([weaker.value], stronger.value);
  }
  if (stronger.op === "startsWith" && weaker.op === "startsWith") {
    return (
      typeof stronger.value === "string" &&
      typeof weaker.value === "string" &&
      stronger.value.startsWith(weaker.value)
    );
  }

  const range = rangeOf(stronger);
  const target = rangeOf(weaker);
  return range !== undefined && target !== undefined && rangeWithin(range, target);
}

/** Returns the finite set of values a true `eq`/`in` test allows, else undefined. */
function possibleValues(atom: LeafAtom): unknown[] | undefined {
  if (atom.op === "eq") return [atom.value];
  if (atom.op === "in" && Array.isArray(atom.value)) return atom.value;
  return undefined;
}

/** Checks that a task value equal to `value` makes the test true. */
function valueSatisfies(value: unknown, test: LeafAtom): boolean {
  if (value === null || typeof value === "object") return false;
  const target = test.value;
  switch (test.op) {
    case "eq":
      return valueKey(value) === valueKey(target);
    case "in":
      return (
        Array.isArray(target) && target.some((item) => valueKey(item) === valueKey(value))
      );
    case "ne":
      // Only same-type inequality is certain; cross-type tests are left unproven.
      return typeof value === typeof target && value !== target;
    case "notIn":
      return (
        Array.isArray(target) &&
        target.every((item) => typeof item === typeof value && item !== value)
      );
    case "startsWith":
      return (
        typeof value === "string" &&
        typeof target === "string" &&
        value.startsWith(target)
      );
    case "contains":
      return (
        typeof value === "string" && typeof target === "string" && value.includes(target)
      );
    case "lt":
    case "lte":
    case "gt":
    case "gte":
    case "between": {
      const range = rangeOf(test);
      if (
        range === undefined ||
        (typeof value !== "number" && typeof value !== "string")
      ) {
        return false;
      }
      const point: Range = {
        kind: kindOf(value),
        low: value,
        high: value,
        lowStrict: false,
        highStrict: false,
      };
      return rangeWithin(point, range);
    }
    case "exists":
      return true;
    case "missing":
      return false;
    default:
      return test.op satisfies never;
  }
}

interface Range {
  kind: "number" | "string";
  low: number | string | undefined;
  high: number | string | undefined;
  lowStrict: boolean;
  highStrict: boolean;
}

function rangeOf(atom: LeafAtom): Range | undefined {
  const value = atom.value;
  if (atom.op === "between") {
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [low, high] = value as unknown[];
    if (!isOrderable(low) || !isOrderable(high) || typeof low !== typeof high)
      return undefined;
    return { kind: kindOf(low), low, high, lowStrict: false, highStrict: false };
  }
  if (!isOrderable(value)) return undefined;
  const kind = kindOf(value);
  switch (atom.op) {
    case "lt":
    case "lte":
      return {
        kind,
        low: undefined,
        high: value,
        lowStrict: false,
        highStrict: atom.op === "lt",
      };
    case "gt":
    case "gte":
      return {
        kind,
        low: value,
        high: undefined,
        lowStrict: atom.op === "gt",
        highStrict: false,
      };
    default:
      return undefined;
  }
}

/** Checks that every value of `inner` lies in `outer`, both of one kind. */
function rangeWithin(inner: Range, outer: Range): boolean {
  if (inner.kind !== outer.kind) return false;
  if (outer.low !== undefined) {
    if (inner.low === undefined) return false;
    if (inner.low < outer.low) return false;
    if (inner.low === outer.low && outer.lowStrict && !inner.lowStrict) return false;
  }
  if (outer.high !== undefined) {
    if (inner.high === undefined) return false;
    if (inner.high > outer.high) return false;
    if (inner.high === outer.high && outer.highStrict && !inner.highStrict) return false;
  }
  return true;
}

function isSubset(small: unknown, large: unknown): boolean {
  if (!Array.isArray(small) || !Array.isArray(large)) return false;
  const keys = new Set(large.map(valueKey));
  return small.every((item) => keys.has(valueKey(item)));
}

function kindOf(value: number | string): "number" | "string" {
  return typeof value === "number" ? "number" : "string";
}
