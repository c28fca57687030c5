/**
 * The JS matcher: routes a packed batch over compiled tables, integers only.
 * It is written to be mirrored line by line in AssemblyScript: no strings,
 * no allocation inside the per-task loop, one scratch stack reused.
 *
 * Per task, in batch order: completed tasks are skipped; the first candidate
 * rule whose condition is TRUE and whose agent is available and below
 * maxConcurrent wins; otherwise the available, below-capacity capable agent
 * with the highest success rate, then the lowest load, then the first in
 * registry order; otherwise the task is unassigned. The reason is
 * at-capacity when a matching rule's agent or a capable agent was available
 * but full, else unavailable when one was unavailable, else no-capable-agent.
 */

import {
  CODE_ALL,
  CODE_ANY,
  CODE_LEAF,
  CODE_NOT,
  CODE_TRUE,
  FALSE,
  KIND_ARRAY,
  KIND_MISSING,
  KIND_NUMBER,
  KIND_OBJECT,
  KIND_STRING,
  OP_BETWEEN,
  OP_CONTAINS,
  OP_EQ,
  OP_EXISTS,
  OP_GT,
  OP_GTE,
  OP_IN,
  OP_LT,
  OP_LTE,
  OP_MISSING,
  OP_NE,
  OP_NOT_IN,
  OP_STARTS_WITH,
  REASON_AT_CAPACITY,
  REASON_NO_CAPABLE_AGENT,
  REASON_NONE,
  REASON_UNAVAILABLE,
  TRUE,
  UNKNOWN,
  VIA_CAPABILITY,
  VIA_RULE,
  VIA_SKIPPED,
  VIA_UNASSIGNED,
  type AssignInput,
  type AssignOutput,
  type CompiledTables,
  type TaskBatch,
} from "./tables.js";

/** Allocates outputs for a batch of `taskCount` tasks. */
export function createAssignOutput(taskCount: number): AssignOutput {
  return {
    via: new Uint8Array(taskCount),
    agent: new Int32Array(taskCount),
    rule: new Int32Array(taskCount),
    reason: new Uint8Array(taskCount),
    loadBefore: new Int32Array(taskCount),
    blockedRule: new Int32Array(taskCount),
  };
}

/** Equality of two scalars, no coercion: FALSE unless same scalar kind and same number. */
function scalarEquals(kindA: number, numA: number, kindB: number, numB: number): number {
  return kindA === kindB && numA === numB && kindA !== KIND_ARRAY && kindA !== KIND_OBJECT
    ? TRUE
    : FALSE;
}

/** Ordering comparison: -1, 0, 1, or 2 when the kinds are not both numbers or both strings. */
function compareOrdered(
  kindA: number,
  numA: number,
  kindB: number,
  numB: number,
): number {
  if (kindA !== kindB || (kindA !== KIND_NUMBER && kindA !== KIND_STRING)) {
    return 2;
  }
  if (numA < numB) {
    return -1;
  }
  if (numA > numB) {
    return 1;
  }
  return 0;
}

/** TRUE when some operand of leaf `leaf`'s list equals the value. */
function listContains(
  tables: CompiledTables,
  leaf: number,
  kind: number,
  num: number,
): number {
  const end = tables.leafListOffsets[leaf + 1]!;
  for (let i = tables.leafListOffsets[leaf]!; i < end; i++) {
    if (scalarEquals(kind, num, tables.listKind[i]!, tables.listNum[i]!) === TRUE) {
      return TRUE;
    }
  }
  return FALSE;
}

/** TRUE when some element of the array slot equals the leaf's operand. */
function arrayContains(
  tables: CompiledTables,
  batch: TaskBatch,
  leaf: number,
  first: number,
  count: number,
): number {
  const kind = tables.leafKind[leaf]!;
  const num = tables.leafNum[leaf]!;
  for (let i = first; i < first + count; i++) {
    if (scalarEquals(batch.elemKind[i]!, batch.elemNum[i]!, kind, num) === TRUE) {
      return TRUE;
    }
  }
  return FALSE;
}

/** Maps a comparison (-1, 0, 1, or 2 for not comparable) through an ordering operator. */
function orderingResult(op: number, comparison: number): number {
  if (comparison === 2) {
    return UNKNOWN;
  }
  switch (op) {
    case OP_LT:
      return comparison < 0 ? TRUE : FALSE;
    case OP_LTE:
      return comparison <= 0 ? TRUE : FALSE;
    case OP_GT:
      return comparison > 0 ? TRUE : FALSE;
    default:
      return comparison >= 0 ? TRUE : FALSE;
  }
}

/** Evaluates one leaf for task `t`: FALSE, TRUE or UNKNOWN. */
export function evaluateLeaf(
  tables: CompiledTables,
  batch: TaskBatch,
  t: number,
  leaf: number,
): number {
  const slot = tables.leafSlot[leaf]! * batch.taskCount + t;
  const kind = batch.slotKind[slot]!;
  const num = batch.slotNum[slot]!;
  const op = tables.leafOp[leaf]!;

  // Presence tests are the only ones defined on absent or null values.
  if (op === OP_EXISTS) {
    return kind === KIND_MISSING ? FALSE : TRUE;
  }
  if (op === OP_MISSING) {
    return kind === KIND_MISSING ? TRUE : FALSE;
  }
  if (kind === KIND_MISSING) {
    return UNKNOWN;
  }

  switch (op) {
    case OP_EQ:
      return scalarEquals(kind, num, tables.leafKind[leaf]!, tables.leafNum[leaf]!);
    case OP_NE:
      return (
        TRUE - scalarEquals(kind, num, tables.leafKind[leaf]!, tables.leafNum[leaf]!)
      );
    case OP_IN:
      return listContains(tables, leaf, kind, num);
    case OP_NOT_IN:
      return TRUE - listContains(tables, leaf, kind, num);
    case OP_LT:
    case OP_LTE:
    case OP_GT:
    case OP_GTE:
      return orderingResult(
        op,
        compareOrdered(kind, num, tables.leafKind[leaf]!, tables.leafNum[leaf]!),
      );
    case OP_BETWEEN: {
      const low = compareOrdered(
        kind,
        num,
        tables.leafKind[leaf]!,
        tables.leafNum[leaf]!,
      );
      const high = compareOrdered(
        kind,
        num,
        tables.leafKind2[leaf]!,
        tables.leafNum2[leaf]!,
      );
      if (low === 2 || high === 2) {
        return UNKNOWN;
      }
      return low >= 0 && high <= 0 ? TRUE : FALSE;
    }
    case OP_CONTAINS:
      if (kind === KIND_ARRAY) {
        return arrayContains(tables, batch, leaf, num, batch.slotAux[slot]!);
      }
      return kind === KIND_STRING ? predicateResult(tables, batch, t, leaf) : UNKNOWN;
    case OP_STARTS_WITH:
      return kind === KIND_STRING ? predicateResult(tables, batch, t, leaf) : UNKNOWN;
    default:
      throw new RangeError(`unknown leaf operator ${op}`);
  }
}

function predicateResult(
  tables: CompiledTables,
  batch: TaskBatch,
  t: number,
  leaf: number,
): number {
  const row = tables.leafPredicate[leaf]!;
  return row < 0 ? UNKNOWN : batch.predicates[row * batch.taskCount + t]!;
}

/** Kleene AND of the top `count` stack entries, which are popped. */
function kleeneAll(stack: Int8Array, top: number, count: number): number {
  let result = TRUE;
  for (let i = top - count; i < top; i++) {
    const value = stack[i]!;
    if (value === FALSE) {
      return FALSE;
    }
    if (value === UNKNOWN) {
      result = UNKNOWN;
    }
  }
  return result;
}

/** Kleene OR of the top `count` stack entries, which are popped. */
function kleeneAny(stack: Int8Array, top: number, count: number): number {
  let result = FALSE;
  for (let i = top - count; i < top; i++) {
    const value = stack[i]!;
    if (value === TRUE) {
      return TRUE;
    }
    if (value === UNKNOWN) {
      result = UNKNOWN;
    }
  }
  return result;
}

/** Runs rule `rule`'s bytecode for task `t` on the scratch stack; returns FALSE, TRUE or UNKNOWN. */
export function evaluateRule(
  tables: CompiledTables,
  batch: TaskBatch,
  t: number,
  rule: number,
  stack: Int8Array,
): number {
  const code = tables.code;
  const end = tables.ruleCodeOffsets[rule + 1]!;
  let top = 0;
  for (let pc = tables.ruleCodeOffsets[rule]!; pc < end; pc++) {
    const instruction = code[2 * pc]!;
    const arg = code[2 * pc + 1]!;
    switch (instruction) {
      case CODE_LEAF:
        stack[top++] = evaluateLeaf(tables, batch, t, arg);
        break;
      case CODE_ALL:
        stack[top - arg] = kleeneAll(stack, top, arg);
        top = top - arg + 1;
        break;
      case CODE_ANY:
        stack[top - arg] = kleeneAny(stack, top, arg);
        top = top - arg + 1;
        break;
      case CODE_NOT: {
        const value = stack[top - 1]!;
        stack[top - 1] = value === UNKNOWN ? UNKNOWN : TRUE - value;
        break;
      }
      case CODE_TRUE:
        stack[top++] = TRUE;
        break;
      default:
        throw new RangeError(`unknown bytecode instruction ${instruction}`);
    }
  }
  return stack[0]!;
}

/** Evaluation stack shared by all calls; assignBatch never re-enters itself. */
let sharedStack = new Int8Array(64);

function scratchStack(depth: number): Int8Array {
  if (sharedStack.length < depth) sharedStack = new Int8Array(depth);
  return sharedStack;
}

/**
 * Routes every task of `batch` in `batch.order`, writing per-task outputs and
 * updating `input.load` in place.
 */
export function assignBatch(
  tables: CompiledTables,
  batch: TaskBatch,
  input: AssignInput,
  output: AssignOutput,
): void {
  const stack = scratchStack(tables.stackDepth);
  const load = input.load;
  const available = input.available;
  const maxConcurrent = tables.agentMaxConcurrent;
  const successRate = tables.agentSuccessRate;
  const candidateOffsets = tables.candidateOffsets;
  const candidateRules = tables.candidateRules;
  const capableOffsets = tables.capableOffsets;
  const capableAgents = tables.capableAgents;
  const ruleAgent = tables.ruleAgent;
  const ruleCodeOffsets = tables.ruleCodeOffsets;
  const code = tables.code;
  const { order, taskCompleted, taskType } = batch;
  const { via, agent: agentOut, rule: ruleOut, reason, loadBefore, blockedRule } = output;

  for (let position = 0; position < order.length; position++) {
    const t = order[position]!;
    agentOut[t] = -1;
    ruleOut[t] = -1;
    reason[t] = REASON_NONE;
    loadBefore[t] = 0;
    blockedRule[t] = -1;
    if (taskCompleted[t] === 1) {
      via[t] = VIA_SKIPPED;
      continue;
    }

    // Step 1: candidate rules in order.
    const type = taskType[t]!;
    let sawFull = false;
    let sawUnavailable = false;
    let winner = -1;
    const candidateEnd = candidateOffsets[type + 1]!;
    for (let c = candidateOffsets[type]!; c < candidateEnd; c++) {
      const rule = candidateRules[c]!;
      // A rule without conditions is one CODE_TRUE instruction: skip the interpreter.
      const start = ruleCodeOffsets[rule]!;
      const alwaysTrue =
        ruleCodeOffsets[rule + 1] === start + 1 && code[2 * start] === CODE_TRUE;
      if (!alwaysTrue && evaluateRule(tables, batch, t, rule, stack) !== TRUE) {
        continue;
      }
      const agent = ruleAgent[rule]!;
      if (available[agent] === 0) {
        sawUnavailable = true;
      } else if (load[agent]! >= maxConcurrent[agent]!) {
        sawFull = true;
      } else {
        winner = rule;
        break;
      }
      if (blockedRule[t] === -1) {
        blockedRule[t] = rule;
      }
    }
    if (winner >= 0) {
      const agent = ruleAgent[winner]!;
      via[t] = VIA_RULE;
      agentOut[t] = agent;
      ruleOut[t] = winner;
      loadBefore[t] = load[agent]!;
      load[agent] = load[agent]! + 1;
      blockedRule[t] = -1;
      continue;
    }

    // Step 2: capability fallback.
    let best = -1;
    const capableEnd = capableOffsets[type + 1]!;
    for (let c = capableOffsets[type]!; c < capableEnd; c++) {
      const agent = capableAgents[c]!;
      if (available[agent] === 0) {
        sawUnavailable = true;
      } else if (load[agent]! >= maxConcurrent[agent]!) {
        sawFull = true;
      } else if (
        best < 0 ||
        successRate[agent]! > successRate[best]! ||
        (successRate[agent] === successRate[best] && load[agent]! < load[best]!)
      ) {
        best = agent;
      }
    }
    if (best >= 0) {
      via[t] = VIA_CAPABILITY;
      agentOut[t] = best;
      loadBefore[t] = load[best]!;
      load[best] = load[best]! + 1;
      continue;
    }

    // Step 3: unassigned.
    via[t] = VIA_UNASSIGNED;
    reason[t] = sawFull
      ? REASON_AT_CAPACITY
      : sawUnavailable
        ? REASON_UNAVAILABLE
        : REASON_NO_CAPABLE_AGENT;
  }
}
