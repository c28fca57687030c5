/**
 * Rule-set compiler: interns task types, field paths and string values, and
 * lays the per-rule bytecode fragments out into the integer tables that both
 * matchers read (format in `tables.ts`).
 *
 * The steps are separate functions so that the router can redo only the
 * steps that a rule edit affects (see `router.ts`).
 */

import type { Agent, RuleScalar, RuleSet } from "../types.js";
import { compileRuleFragment, type LeafSource, type RuleFragment } from "./fragment.js";
import {
  CODE_LEAF,
  OP_CONTAINS,
  OP_STARTS_WITH,
  KIND_BOOL,
  KIND_MISSING,
  KIND_NUMBER,
  KIND_STRING,
  SLOT_DESCRIPTION,
  SLOT_TYPE,
  UNKNOWN_SUCCESS_RATE,
  type CompiledTables,
} from "./tables.js";

/** Compiles a validated rule set into integer tables. */
export function compileRuleSet(ruleSet: RuleSet): CompiledTables {
  const fragments = ruleSet.rules.map((rule, i) =>
    compileRuleFragment(rule, ["rules", i]),
  );
  return assembleTables(ruleSet, fragments);
}

/** Lays compiled fragments (one per rule, in declaration order) out into tables. */
export function assembleTables(
  ruleSet: RuleSet,
  fragments: readonly RuleFragment[],
): CompiledTables {
  const typeNames = collectTypeNames(ruleSet.agents, fragments);
  const slotPaths = collectSlotPaths(fragments);
  const stringValues = collectStringValues(fragments);
  const agentTables = buildAgentTables(ruleSet.agents, typeNames);
  const ruleTables = buildRuleTables(ruleSet, fragments);
  const leafTables = layOutLeaves(fragments, slotPaths, stringValues);
  const candidates = buildCandidates(typeNames, fragments, ruleTables.rulePriority);
  return {
    typeNames,
    slotPaths,
    stringValues,
    ...agentTables,
    ...ruleTables,
    ...leafTables,
    ...candidates,
  };
}

/** Task types: the agents' types in registry order, then new types of rules in declaration order. */
export function collectTypeNames(
  agents: readonly Agent[],
  fragments: readonly RuleFragment[],
): string[] {
  const seen = new Set<string>();
  for (const agent of agents) {
    for (const type of agent.taskTypes) {
      seen.add(type.normalize("NFC"));
    }
  }
  for (const fragment of fragments) {
    for (const type of fragment.taskTypes ?? []) {
      seen.add(type);
    }
  }
  return [...seen];
}

/** Field slots: `type`, `description`, then metadata paths in order of first use. */
export function collectSlotPaths(fragments: readonly RuleFragment[]): string[] {
  const seen = new Set<string>(["type", "description"]);
  for (const fragment of fragments) {
    for (const leaf of fragment.leaves) {
      seen.add(leaf.field);
    }
  }
  return [...seen];
}

/** Distinct rule string operands, sorted by UTF-16 code units. */
export function collectStringValues(fragments: readonly RuleFragment[]): string[] {
  const seen = new Set<string>();
  const add = (value: RuleScalar | undefined): void => {
    if (typeof value === "string") {
      seen.add(value);
    }
  };
  for (const fragment of fragments) {
    for (const leaf of fragment.leaves) {
      add(leaf.operand);
      add(leaf.operand2);
      for (const item of leaf.list ?? []) {
        add(item);
      }
    }
  }
  return [...seen].sort(compareCodeUnits);
}

/** Orders strings by UTF-16 code units, the order the string keys rely on. */
export function compareCodeUnits(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  if (a > b) {
    return 1;
  }
  return 0;
}

/** True when two string lists are equal element by element. */
export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * Returns the key of string `s` against the sorted values: 2k+1 when s is
 * value k, else twice the number of values below s.
 */
export function stringKey(values: readonly string[], s: string): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < s) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low < values.length && values[low] === s ? 2 * low + 1 : 2 * low;
}

type AgentTables = Pick<
  CompiledTables,
  | "agentIds"
  | "agentMaxConcurrent"
  | "agentSuccessRate"
  | "capableOffsets"
  | "capableAgents"
>;

/** Agent arrays and the capable-agent CSR per type (the row for unknown types is empty). */
export function buildAgentTables(
  agents: readonly Agent[],
  typeNames: readonly string[],
): AgentTables {
  const typeIndex = indexStrings(typeNames);
  const rows: number[][] = typeNames.map(() => []);
  agents.forEach((agent, a) => {
    for (const type of new Set(agent.taskTypes.map((t) => t.normalize("NFC")))) {
      rows[typeIndex.get(type)!]!.push(a);
    }
  });
  rows.push([]);
  const capable = toCsr(rows);
  return {
    agentIds: agents.map((agent) => agent.id),
    agentMaxConcurrent: Int32Array.from(agents, (agent) => agent.maxConcurrent),
    agentSuccessRate: Float64Array.from(
      agents,
      (agent) => agent.successRate ?? UNKNOWN_SUCCESS_RATE,
    ),
    capableOffsets: capable.offsets,
    capableAgents: capable.values,
  };
}

type RuleTables = Pick<
  CompiledTables,
  "ruleIds" | "ruleAgent" | "rulePriority" | "ruleCodeOffsets" | "code" | "stackDepth"
>;

/** Rule arrays and the concatenated bytecode, with leaf numbers made global. */
export function buildRuleTables(
  ruleSet: RuleSet,
  fragments: readonly RuleFragment[],
): RuleTables {
  const agentIndex = indexStrings(ruleSet.agents.map((agent) => agent.id));
  const ruleCodeOffsets = new Int32Array(fragments.length + 1);
  let words = 0;
  let stackDepth = 1;
  fragments.forEach((fragment, r) => {
    words += fragment.code.length;
    ruleCodeOffsets[r + 1] = words / 2;
    stackDepth = Math.max(stackDepth, fragment.stackDepth);
  });

  const code = new Int32Array(words);
  let at = 0;
  let leafBase = 0;
  for (const fragment of fragments) {
    for (let i = 0; i < fragment.code.length; i += 2) {
      const instruction = fragment.code[i]!;
      const arg = fragment.code[i + 1]!;
      code[at++] = instruction;
      code[at++] = instruction === CODE_LEAF ? arg + leafBase : arg;
    }
    leafBase += fragment.leaves.length;
  }

  return {
    ruleIds: ruleSet.rules.map((rule) => rule.id),
    ruleAgent: Int32Array.from(ruleSet.rules, (rule) => agentIndex.get(rule.agent) ?? -1),
    rulePriority: Int32Array.from(ruleSet.rules, (rule) => rule.priority),
    ruleCodeOffsets,
    code,
    stackDepth,
  };
}

type LeafTables = Pick<
  CompiledTables,
  | "leafSlot"
  | "leafOp"
  | "leafKind"
  | "leafNum"
  | "leafKind2"
  | "leafNum2"
  | "leafListOffsets"
  | "listKind"
  | "listNum"
  | "leafPredicate"
  | "predicateCount"
  | "predicateLeaf"
>;

/** Interns every leaf of every fragment: slots, operands as kind/number, in-lists, predicate rows. */
export function layOutLeaves(
  fragments: readonly RuleFragment[],
  slotPaths: readonly string[],
  stringValues: readonly string[],
): LeafTables {
  const leaves: LeafSource[] = fragments.flatMap((fragment) => fragment.leaves);
  const slotIndex = indexStrings(slotPaths);
  const count = leaves.length;
  const tables: LeafTables = {
    leafSlot: new Int32Array(count),
    leafOp: new Int32Array(count),
    leafKind: new Int32Array(count),
    leafNum: new Float64Array(count),
    leafKind2: new Int32Array(count),
    leafNum2: new Float64Array(count),
    leafListOffsets: new Int32Array(count + 1),
    listKind: new Int32Array(0),
    listNum: new Float64Array(0),
    leafPredicate: new Int32Array(count),
    predicateCount: 0,
    predicateLeaf: new Int32Array(0),
  };

  const listKind: number[] = [];
  const listNum: number[] = [];
  leaves.forEach((leaf, i) => {
    tables.leafSlot[i] = slotIndex.get(leaf.field)!;
    tables.leafOp[i] = leaf.op;
    tables.leafKind[i] = operandKind(leaf.operand);
    tables.leafNum[i] = operandNumber(leaf.operand, stringValues);
    tables.leafKind2[i] = operandKind(leaf.operand2);
    tables.leafNum2[i] = operandNumber(leaf.operand2, stringValues);
    for (const item of leaf.list ?? []) {
      listKind.push(operandKind(item));
      listNum.push(operandNumber(item, stringValues));
    }
    tables.leafListOffsets[i + 1] = listKind.length;
  });

  tables.listKind = Int32Array.from(listKind);
  tables.listNum = Float64Array.from(listNum);
  return { ...tables, ...assignPredicateRows(tables) };
}

/**
 * Gives each distinct substring test (slot, `contains` or `startsWith`,
 * string operand) one predicate row, numbered in order of first leaf. Leaves
 * that repeat a test share its row, so the packer evaluates it once per task
 * and the predicate matrix has one row per distinct test, not per leaf.
 */
export function assignPredicateRows(
  leaves: Pick<CompiledTables, "leafSlot" | "leafOp" | "leafKind" | "leafNum">,
): Pick<CompiledTables, "leafPredicate" | "predicateCount" | "predicateLeaf"> {
  const count = leaves.leafOp.length;
  const leafPredicate = new Int32Array(count);
  const predicateLeaf: number[] = [];
  const rowOf = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const op = leaves.leafOp[i]!;
    if (
      (op !== OP_CONTAINS && op !== OP_STARTS_WITH) ||
      leaves.leafKind[i] !== KIND_STRING
    ) {
      leafPredicate[i] = -1;
      continue;
    }
    const test = `${leaves.leafSlot[i]} ${op} ${leaves.leafNum[i]}`;
    let row = rowOf.get(test);
    if (row === undefined) {
      row = predicateLeaf.length;
      rowOf.set(test, row);
      predicateLeaf.push(i);
    }
    leafPredicate[i] = row;
  }
  return {
    leafPredicate,
    predicateCount: predicateLeaf.length,
    predicateLeaf: Int32Array.from(predicateLeaf),
  };
}

function operandKind(value: RuleScalar | undefined): number {
  switch (typeof value) {
    case "string":
      return KIND_STRING;
    case "number":
      return KIND_NUMBER;
    case "boolean":
      return KIND_BOOL;
    default:
      return KIND_MISSING;
  }
}

function operandNumber(
  value: RuleScalar | undefined,
  stringValues: readonly string[],
): number {
  switch (typeof value) {
    case "string":
      return stringKey(stringValues, value);
    case "number":
      return value;
    case "boolean":
      return value ? 1 : 0;
    default:
      return 0;
  }
}

type CandidateTables = Pick<CompiledTables, "candidateOffsets" | "candidateRules">;

/** Candidate rules per type id, plus the wildcard-only row for unknown types. */
export function buildCandidates(
  typeNames: readonly string[],
  fragments: readonly RuleFragment[],
  rulePriority: Int32Array,
): CandidateTables {
  const rows: number[][] = [];
  for (let t = 0; t <= typeNames.length; t++) {
    rows.push(candidateRow(typeNames[t], fragments, rulePriority));
  }
  const csr = toCsr(rows);
  return { candidateOffsets: csr.offsets, candidateRules: csr.values };
}

/**
 * Returns the candidate rules of one type (undefined for unknown types): the
 * rules listing it plus wildcard rules, by priority (high first), then
 * declaration order.
 */
export function candidateRow(
  type: string | undefined,
  fragments: readonly RuleFragment[],
  rulePriority: Int32Array,
): number[] {
  const row: number[] = [];
  fragments.forEach((fragment, r) => {
    const types = fragment.taskTypes;
    if (types === null || (type !== undefined && types.includes(type))) {
      row.push(r);
    }
  });
  return row.sort((a, b) => rulePriority[b]! - rulePriority[a]! || a - b);
}

/** Packs rows of integers into offsets and values. */
export function toCsr(rows: readonly number[][]): {
  offsets: Int32Array;
  values: Int32Array;
} {
  const offsets = new Int32Array(rows.length + 1);
  let total = 0;
  rows.forEach((row, i) => {
    total += row.length;
    offsets[i + 1] = total;
  });
  const values = new Int32Array(total);
  rows.forEach((row, i) => values.set(row, offsets[i]!));
  return { offsets, values };
}

/** Maps each string to its index. */
export function indexStrings(values: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  values.forEach((value, i) => {
    if (!index.has(value)) {
      index.set(value, i);
    }
  });
  return index;
}

/** Slots that a leaf reads; slots 0 and 1 exist even when no rule reads them. */
export function usedSlots(tables: CompiledTables): Uint8Array {
  const used = new Uint8Array(tables.slotPaths.length);
  for (let i = 0; i < tables.leafSlot.length; i++) {
    used[tables.leafSlot[i]!] = 1;
  }
  for (let s = 0; s < used.length; s++) {
    if (s !== SLOT_TYPE && s !== SLOT_DESCRIPTION) {
      used[s] = 1;
    }
  }
  return used;
}
