/**
 * Conditions flattened into conjunctions of atoms, the form that the
 * never-holds, contradiction and implication analyses read.
 *
 * A condition is the AND of its parts, and `all` is AND too, so both flatten
 * into one list. `taskType` becomes an `in` test on the `type` field and each
 * `metadata` shorthand entry an `eq` test. `any` and `not` stay whole atoms.
 * Input may come from a rule set that was never validated, so every shape is
 * checked and anything unreadable is left out (an omitted atom only makes the
 * analyses find less).
 */

import { formatPath } from "../errors.js";
import { OPERATORS, type Operator } from "../types.js";

export interface LeafAtom {
  kind: "leaf";
  field: string;
  op: Operator;
  value: unknown;
  path: string;
  /** Equal keys mean equal tests. */
  key: string;
}

export interface AnyAtom {
  kind: "any";
  branches: Atom[][];
  branchPaths: string[];
  path: string;
  key: string;
}

export interface NotAtom {
  kind: "not";
  path: string;
  key: string;
}

export type Atom = LeafAtom | AnyAtom | NotAtom;

/** Nesting beyond which flattening stops; the schema allows 32 levels. */
const MAX_NESTING = 64;

/**
 * Flattens a condition at `path` into its conjunction of atoms. With
 * `withTaskType` false the top-level `taskType` is left out (callers that
 * handle rule types separately).
 */
export function flattenCondition(
  condition: unknown,
  path: string,
  withTaskType = true,
): Atom[] {
  const atoms: Atom[] = [];
  collect(condition, path, atoms, 0, withTaskType);
  return atoms;
}

function collect(
  condition: unknown,
  path: string,
  atoms: Atom[],
  depth: number,
  withTaskType: boolean,
): void {
  if (!isObject(condition) || depth > MAX_NESTING) return;

  const types = readTaskTypes(condition["taskType"]);
  if (withTaskType && types !== undefined) {
    atoms.push(leaf("type", "in", types, `${path}.taskType`));
  }

  const metadata = condition["metadata"];
  if (isObject(metadata)) {
    for (const key of Object.keys(metadata)) {
      atoms.push(
        leaf(`metadata.${key}`, "eq", metadata[key], `${path}.metadata${formatKey(key)}`),
      );
    }
  }

  const all = condition["all"];
  if (Array.isArray(all)) {
    all.forEach((child, index) =>
      collect(child, `${path}.all[${index}]`, atoms, depth + 1, true),
    );
  }

  const any = condition["any"];
  if (Array.isArray(any)) {
    const branchPaths = any.map((_child, index) => `${path}.any[${index}]`);
    const branches = any.map((child, index) => {
      const branch: Atom[] = [];
      collect(child, branchPaths[index]!, branch, depth + 1, true);
      return branch;
    });
    atoms.push({
      kind: "any",
      branches,
      branchPaths,
      path: `${path}.any`,
      key: `any:${branches.map((branch) => conjunctionKey(branch)).join("|")}`,
    });
  }

  if (condition["not"] !== undefined) {
    const inner: Atom[] = [];
    collect(condition["not"], `${path}.not`, inner, depth + 1, true);
    atoms.push({ kind: "not", path: `${path}.not`, key: `not:${conjunctionKey(inner)}` });
  }

  const field = condition["field"];
  const op = condition["op"];
  if (typeof field === "string" && isOperator(op)) {
    atoms.push(leaf(field, op, condition["value"], path));
  }
}

/** Reads the task types of a `taskType` value; `undefined` when absent (a wildcard). */
export function readTaskTypes(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((type) => typeof type === "string");
  return undefined;
}

function leaf(field: string, op: Operator, value: unknown, path: string): LeafAtom {
  const normalized = normalizeValue(value);
  return {
    kind: "leaf",
    field,
    op,
    value: normalized,
    path,
    key: `${field}\u0000${op}\u0000${valueKey(normalized)}`,
  };
}

/** NFC-normalises strings, as the schema does at import. */
function normalizeValue(value: unknown): unknown {
  if (typeof value === "string") return value.normalize("NFC");
  if (Array.isArray(value)) return value.map(normalizeValue);
  return value;
}

/** Builds a key that includes the value's type, so `1` and `"1"` differ. */
export function valueKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(valueKey).join(",")}]`;
  return `${typeof value}:${String(value)}`;
}

function conjunctionKey(atoms: readonly Atom[]): string {
  return atoms
    .map((atom) => atom.key)
    .sort()
    .join("&");
}

function formatKey(key: string): string {
  const formatted = formatPath([key]);
  return formatted.startsWith("[") ? formatted : `.${formatted}`;
}

function isOperator(value: unknown): value is Operator {
  return typeof value === "string" && (OPERATORS as readonly string[]).includes(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks that a value can be compared with `<` and `>`: a finite number or a string. */
export function isOrderable(value: unknown): value is number | string {
  return (
    (typeof value === "number" && Number.isFinite(value)) || typeof value === "string"
  );
}
