/**
 * Incremental recompilation after one rule edit. Only the edited rule is
 * compiled again, and its code and leaves are spliced into the existing
 * arrays. String keys and slots are re-derived only when their tables
 * changed. Only the candidate rows of the types that the old or new rule
 * names are rebuilt, or every row when either rule is a wildcard or the type
 * table changed. The result equals a from-scratch compile of the edited set.
 */

import type { RuleSet } from "../types.js";
import {
  assignPredicateRows,
  buildAgentTables,
  buildCandidates,
  buildRuleTables,
  candidateRow,
  collectSlotPaths,
  collectStringValues,
  collectTypeNames,
  layOutLeaves,
  sameStrings,
  toCsr,
} from "./compile.js";
import type { RuleFragment } from "./fragment.js";
import { CODE_LEAF, type CompiledTables } from "./tables.js";

/** Parts of the tables that the last rule edit rebuilt. */
export interface RebuildReport {
  /** Type names whose candidate rows were rebuilt; `*` is the unknown-type row. */
  typeRows: string[];
  /** The type table changed, so agent and candidate tables were rebuilt whole. */
  types: boolean;
  /** The slot table changed, so every leaf's slot was re-derived. */
  slots: boolean;
  /** The sorted string table changed, so every string key was re-derived. */
  strings: boolean;
  /** Leaves removed and added by the splice. */
  leavesRemoved: number;
  leavesAdded: number;
}

/**
 * One rule edit at rule index `index`. `added` null means a removal, and
 * `index` equal to the rule count means an append.
 */
export interface RuleEdit {
  index: number;
  removed: RuleFragment | null;
  added: RuleFragment | null;
}

/** Returns the tables of `ruleSet` (already edited) from the tables before the edit. */
export function applyRuleEdit(
  before: CompiledTables,
  ruleSet: RuleSet,
  fragments: readonly RuleFragment[],
  edit: RuleEdit,
): { tables: CompiledTables; report: RebuildReport } {
  const typeNames = collectTypeNames(ruleSet.agents, fragments);
  const slotPaths = collectSlotPaths(fragments);
  const stringValues = collectStringValues(fragments);
  const types = !sameStrings(typeNames, before.typeNames);
  const slots = !sameStrings(slotPaths, before.slotPaths);
  const strings = !sameStrings(stringValues, before.stringValues);

  // Rule arrays are small (one entry per rule); code is spliced below.
  const ruleTables = buildRuleTables(ruleSet, fragments);
  const leafStart = leafBase(fragments, edit.index);
  const leafTables =
    slots || strings
      ? layOutLeaves(fragments, slotPaths, stringValues)
      : spliceLeaves(before, edit, leafStart, slotPaths, stringValues);
  const code = spliceCode(before, edit, leafStart);

  const agentTables = types
    ? buildAgentTables(ruleSet.agents, typeNames)
    : pickAgentTables(before);
  const { rows, typeRows } = candidateRows(
    before,
    typeNames,
    fragments,
    ruleTables.rulePriority,
    edit,
    types,
  );
  const candidates = toCsr(rows);

  const tables: CompiledTables = {
    typeNames: types ? typeNames : before.typeNames,
    slotPaths: slots ? slotPaths : before.slotPaths,
    stringValues: strings ? stringValues : before.stringValues,
    ...agentTables,
    ...ruleTables,
    code,
    ...leafTables,
    candidateOffsets: candidates.offsets,
    candidateRules: candidates.values,
  };
  const report: RebuildReport = {
    typeRows,
    types,
    slots,
    strings,
    leavesRemoved: edit.removed?.leaves.length ?? 0,
    leavesAdded: edit.added?.leaves.length ?? 0,
  };
  return { tables, report };
}

/** Index of the first leaf of rule `index` in the (edited) fragment list. */
function leafBase(fragments: readonly RuleFragment[], index: number): number {
  let base = 0;
  for (let r = 0; r < index; r++) {
    base += fragments[r]!.leaves.length;
  }
  return base;
}

function pickAgentTables(tables: CompiledTables) {
  return {
    agentIds: tables.agentIds,
    agentMaxConcurrent: tables.agentMaxConcurrent,
    agentSuccessRate: tables.agentSuccessRate,
    capableOffsets: tables.capableOffsets,
    capableAgents: tables.capableAgents,
  };
}

/** Copies `old` with entries [start, end) replaced by `insert`. */
function splice<T extends Int32Array | Float64Array>(
  old: T,
  start: number,
  end: number,
  insert: T,
): T {
  const Constructor = old.constructor as new (length: number) => T;
  const out = new Constructor(old.length - (end - start) + insert.length);
  out.set(old.subarray(0, start));
  out.set(insert, start);
  out.set(old.subarray(end), start + insert.length);
  return out;
}

/** Splices the edited rule's bytecode in, shifting later leaf numbers. */
function spliceCode(
  before: CompiledTables,
  edit: RuleEdit,
  leafStart: number,
): Int32Array {
  const start = 2 * (before.ruleCodeOffsets[edit.index] ?? 0);
  const end = start + (edit.removed?.code.length ?? 0);
  const added = edit.added?.code ?? [];
  const insert = new Int32Array(added.length);
  for (let i = 0; i < added.length; i += 2) {
    insert[i] = added[i]!;
    insert[i + 1] = added[i] === CODE_LEAF ? added[i + 1]! + leafStart : added[i + 1]!;
  }
  const code = splice(before.code, start, end, insert);

  const delta = (edit.added?.leaves.length ?? 0) - (edit.removed?.leaves.length ?? 0);
  for (let i = start + insert.length; i < code.length; i += 2) {
    if (code[i] === CODE_LEAF) {
      code[i + 1] = code[i + 1]! + delta;
    }
  }
  return code;
}

/** Splices the edited rule's leaves in with the unchanged slot and string tables. */
function spliceLeaves(
  before: CompiledTables,
  edit: RuleEdit,
  leafStart: number,
  slotPaths: readonly string[],
  stringValues: readonly string[],
): ReturnType<typeof layOutLeaves> {
  const added = layOutLeaves(
    edit.added === null ? [] : [edit.added],
    slotPaths,
    stringValues,
  );
  const removedCount = edit.removed?.leaves.length ?? 0;
  const addedCount = edit.added?.leaves.length ?? 0;
  const leafEnd = leafStart + removedCount;

  // In-lists: positions in listKind/listNum.
  const listStart = before.leafListOffsets[leafStart]!;
  const listEnd = before.leafListOffsets[leafEnd]!;
  const listDelta = added.listKind.length - (listEnd - listStart);
  const listOffsets = splice(
    before.leafListOffsets,
    leafStart + 1,
    leafEnd + 1,
    added.leafListOffsets.subarray(1).map((offset) => offset + listStart),
  );
  for (let i = leafStart + 1 + addedCount; i < listOffsets.length; i++) {
    listOffsets[i] = listOffsets[i]! + listDelta;
  }

  const leafSlot = splice(before.leafSlot, leafStart, leafEnd, added.leafSlot);
  const leafOp = splice(before.leafOp, leafStart, leafEnd, added.leafOp);
  const leafKind = splice(before.leafKind, leafStart, leafEnd, added.leafKind);
  const leafNum = splice(before.leafNum, leafStart, leafEnd, added.leafNum);
  return {
    leafSlot,
    leafOp,
    leafKind,
    leafNum,
    leafKind2: splice(before.leafKind2, leafStart, leafEnd, added.leafKind2),
    leafNum2: splice(before.leafNum2, leafStart, leafEnd, added.leafNum2),
    leafListOffsets: listOffsets,
    listKind: splice(before.listKind, listStart, listEnd, added.listKind),
    listNum: splice(before.listNum, listStart, listEnd, added.listNum),
    // Shared rows can span rules, so they are renumbered in one linear pass.
    ...assignPredicateRows({ leafSlot, leafOp, leafKind, leafNum }),
  };
}

/** Candidate rows after the edit, rebuilding only the rows the edit can change. */
function candidateRows(
  before: CompiledTables,
  typeNames: readonly string[],
  fragments: readonly RuleFragment[],
  rulePriority: Int32Array,
  edit: RuleEdit,
  typesChanged: boolean,
): { rows: number[][]; typeRows: string[] } {
  const wildcard = edit.removed?.taskTypes === null || edit.added?.taskTypes === null;
  if (typesChanged || wildcard) {
    const all = buildCandidates(typeNames, fragments, rulePriority);
    const rows: number[][] = [];
    for (let t = 0; t <= typeNames.length; t++) {
      rows.push(
        Array.from(
          all.candidateRules.subarray(
            all.candidateOffsets[t],
            all.candidateOffsets[t + 1],
          ),
        ),
      );
    }
    return { rows, typeRows: [...typeNames, "*"] };
  }

  const affected = new Set([
    ...(edit.removed?.taskTypes ?? []),
    ...(edit.added?.taskTypes ?? []),
  ]);
  // Removing a rule shifts the later rule numbers down by one in untouched rows.
  const shift = edit.removed !== null && edit.added === null ? -1 : 0;
  const rows: number[][] = [];
  for (let t = 0; t <= typeNames.length; t++) {
    const type = typeNames[t];
    if (type !== undefined && affected.has(type)) {
      rows.push(candidateRow(type, fragments, rulePriority));
      continue;
    }
    const row = Array.from(
      before.candidateRules.subarray(
        before.candidateOffsets[t],
        before.candidateOffsets[t + 1],
      ),
    );
    rows.push(row.map((r) => (r > edit.index ? r + shift : r)));
  }
  return { rows, typeRows: typeNames.filter((type) => affected.has(type)) };
}
