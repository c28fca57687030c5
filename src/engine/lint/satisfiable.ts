/**
 * Proofs that a condition can never be true under the router's matching
 * semantics. A test on an absent or null field is unknown, so never true,
 * except `exists` and `missing`. There is no type coercion, and ordering
 * compares numbers with numbers and strings with strings (UTF-16 code units).
 *
 * Everything here is conservative: a `true` answer is a proof, a `false`
 * answer only means no proof was found.
 */

import type { Atom, LeafAtom } from "./atoms.js";
import { isOrderable, valueKey } from "./atoms.js";

/** A place in a condition that can never hold, and why. */
export interface DeadSpot {
  path: string;
  reason: string;
  /** True when this spot makes the whole analysed conjunction never hold. */
  fatal: boolean;
}

const ORDERING = new Set(["lt", "lte", "gt", "gte", "between"]);

/** Fields that every validated task has, always as a string. */
const STRING_FIELDS = new Set(["type", "description"]);

/**
 * Finds what makes a conjunction never hold. Returns the dead spots; the
 * conjunction never holds exactly when one of them is fatal.
 */
export function findDeadSpots(atoms: readonly Atom[], path: string): DeadSpot[] {
  const spots: DeadSpot[] = [];
  let dead = false;

  for (const atom of atoms) {
    if (atom.kind === "leaf") {
      const reason = deadLeafReason(atom);
      if (reason !== undefined) {
        spots.push({ path: atom.path, reason, fatal: true });
        dead = true;
      }
    } else if (atom.kind === "any") {
      const branchSpots = atom.branches.map((branch, index) =>
        findDeadSpots(branch, atom.branchPaths[index]!),
      );
      const allDead = branchSpots.every((list) => list.some((spot) => spot.fatal));
      if (atom.branches.length === 0) {
        spots.push({
          path: atom.path,
          reason: "`any` of no conditions is false",
          fatal: true,
        });
        dead = true;
      } else {
        for (const list of branchSpots) {
          for (const spot of list) spots.push({ ...spot, fatal: spot.fatal && allDead });
        }
        dead ||= allDead;
      }
    }
  }

  if (!dead) {
    const conflict = findConflict(atoms);
    if (conflict !== undefined) {
      spots.push({ path, reason: conflict, fatal: true });
    }
  }
  return spots;
}

/** Explains why one test can never be true on its own, or returns undefined. */
export function deadLeafReason(atom: LeafAtom): string | undefined {
  const { op, value, field } = atom;
  if (op === "in" && Array.isArray(value) && value.length === 0) {
    return field === "type" && atom.path.endsWith(".taskType")
      ? "`taskType` is an empty list, so no task type matches"
      : "`in` with an empty list matches no value";
  }
  if (op === "between") {
    if (!Array.isArray(value) || value.length !== 2) {
      return "`between` needs a [min, max] pair";
    }
    const [min, max] = value as [unknown, unknown];
    if (!isOrderable(min) || !isOrderable(max) || typeof min !== typeof max) {
      return `\`between\` bounds ${JSON.stringify(min)} and ${JSON.stringify(max)} are not two numbers or two strings, so no value lies between them`;
    }
    if (min > max) {
      return `\`between\` has min ${JSON.stringify(min)} greater than max ${JSON.stringify(max)}`;
    }
  }
  if (ORDERING.has(op) && op !== "between" && !isOrderable(value)) {
    return `\`${op}\` compares only numbers with numbers and strings with strings, not with ${JSON.stringify(value)}`;
  }
  if (STRING_FIELDS.has(field)) {
    if (op === "missing")
      return `every task has a \`${field}\`, so \`missing\` never holds`;
    const values = op === "in" && Array.isArray(value) ? value : [value];
    const comparesValue = op === "eq" || op === "in" || ORDERING.has(op);
    if (
      comparesValue &&
      op !== "between" &&
      values.every((item) => typeof item !== "string")
    ) {
      return `\`${field}\` is always a string, so \`${op}\` ${JSON.stringify(value)} never holds`;
    }
  }
  return undefined;
}

/** Numbers and strings: the only values ordering tests compare. */
interface Bound {
  value: number | string;
  strict: boolean;
}

/** Requirements that the tests of one conjunction put on one field. */
interface FieldConstraint {
  paths: string[];
  mustBeMissing: boolean;
  mustBePresent: boolean;
  /** Finite set of allowed values by valueKey, when some eq/in test applies. */
  allowed: Map<string, unknown> | undefined;
  excluded: Set<string>;
  /** Kind required by ordering and startsWith tests. */
  kind: "number" | "string" | undefined;
  kindConflict: boolean;
  lower: Bound | undefined;
  upper: Bound | undefined;
}

/**
 * Finds tests in one conjunction that cannot all be true for one value of a
 * field, and describes them, or returns undefined.
 */
export function findConflict(atoms: readonly Atom[]): string | undefined {
  const fields = new Map<string, FieldConstraint>();
  for (const atom of atoms) {
    if (atom.kind !== "leaf") continue;
    let constraint = fields.get(atom.field);
    if (constraint === undefined) {
      constraint = {
        paths: [],
        mustBeMissing: false,
        mustBePresent: false,
        allowed: undefined,
        excluded: new Set(),
        kind: undefined,
        kindConflict: false,
        lower: undefined,
        upper: undefined,
      };
      fields.set(atom.field, constraint);
    }
    constraint.paths.push(atom.path);
    addTest(constraint, atom);
  }

  for (const [field, constraint] of fields) {
    if (constraint.paths.length < 2) continue;
    if (isUnsatisfiable(constraint)) {
      return `the tests on \`${field}\` at ${constraint.paths.join(", ")} can never all hold for one task`;
    }
  }
  return undefined;
}

function addTest(constraint: FieldConstraint, atom: LeafAtom): void {
  const { op, value } = atom;
  if (op === "missing") {
    constraint.mustBeMissing = true;
    return;
  }
  constraint.mustBePresent = true;

  switch (op) {
    case "eq":
      restrictTo(constraint, [value]);
      break;
    case "in":
      if (Array.isArray(value)) restrictTo(constraint, value);
      break;
    case "ne":
      constraint.excluded.add(valueKey(value));
      break;
    case "notIn":
      if (Array.isArray(value))
        for (const item of value) constraint.excluded.add(valueKey(item));
      break;
    case "lt":
    case "lte":
      if (isOrderable(value)) {
        setKind(constraint, value);
        tighten(constraint, "upper", value, op === "lt");
      }
      break;
    case "gt":
    case "gte":
      if (isOrderable(value)) {
        setKind(constraint, value);
        tighten(constraint, "lower", value, op === "gt");
      }
      break;
    case "between":
      if (Array.isArray(value) && isOrderable(value[0]) && isOrderable(value[1])) {
        setKind(constraint, value[0]);
        setKind(constraint, value[1]);
        tighten(constraint, "lower", value[0], false);
        tighten(constraint, "upper", value[1], false);
      }
      break;
    case "startsWith":
      if (typeof value === "string") setKind(constraint, value);
      break;
    case "exists":
    case "contains":
      break;
    default:
      op satisfies never;
  }
}

function restrictTo(constraint: FieldConstraint, values: readonly unknown[]): void {
  const next = new Map<string, unknown>();
  for (const item of values) {
    const key = valueKey(item);
    if (constraint.allowed === undefined || constraint.allowed.has(key))
      next.set(key, item);
  }
  constraint.allowed = next;
}

function setKind(constraint: FieldConstraint, value: number | string): void {
  const kind = typeof value === "number" ? "number" : "string";
  if (constraint.kind !== undefined && constraint.kind !== kind)
    constraint.kindConflict = true;
  constraint.kind = kind;
}

function tighten(
  constraint: FieldConstraint,
  side: "lower" | "upper",
  value: number | string,
  strict: boolean,
): void {
  const current = constraint[side];
  if (current === undefined || typeof current.value !== typeof value) {
    constraint[side] = { value, strict };
    return;
  }
  const tighter = side === "lower" ? value > current.value : value < current.value;
  if (tighter || (value === current.value && strict))
    constraint[side] = { value, strict };
}

function isUnsatisfiable(constraint: FieldConstraint): boolean {
  if (constraint.mustBeMissing && constraint.mustBePresent) return true;
  if (constraint.kindConflict) return true;
  if (constraint.lower !== undefined && constraint.upper !== undefined) {
    const { lower, upper } = constraint;
    if (typeof lower.value === typeof upper.value) {
      if (lower.value > upper.value) return true;
      if (lower.value === upper.value && (lower.strict || upper.strict)) return true;
    }
  }
  if (constraint.allowed === undefined) return false;

  for (const [key, value] of constraint.allowed) {
    if (constraint.excluded.has(key)) continue;
    if (constraint.kind === undefined) return false;
    if (typeof value !== constraint.kind) continue;
    if (withinBounds(value as number | string, constraint)) return false;
  }
  return true;
}

/** Checks a value against the ordering bounds of a field. */
function withinBounds(value: number | string, constraint: FieldConstraint): boolean {
  const { lower, upper } = constraint;
  if (lower !== undefined) {
    if (typeof lower.value !== typeof value) return false;
    if (lower.strict ? !(value > lower.value) : !(value >= lower.value)) return false;
  }
  if (upper !== undefined) {
    if (typeof upper.value !== typeof value) return false;
    if (upper.strict ? !(value < upper.value) : !(value <= upper.value)) return false;
  }
  return true;
}
