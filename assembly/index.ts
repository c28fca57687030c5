/**
 * WASM matcher and assigner over the compiled tables of
 * `src/engine/router/tables.ts`.
 *
 * The host lays out every input array in linear memory, writes their
 * addresses and lengths into a header of i32 words (see `layout.ts`), and
 * calls `assign(header)` once per batch. Nothing is allocated here: the
 * module runs with the stub runtime and never calls `new`, so memory stays
 * flat however many batches it routes. The host grows memory itself and
 * re-takes its views afterwards.
 *
 * The semantics mirror the JS matcher (`src/engine/router/match.ts`) line by
 * line, so that both give identical results on the same tables.
 */

import {
  H_TYPE_COUNT,
  H_AGENT_COUNT,
  H_RULE_COUNT,
  H_LEAF_COUNT,
  H_AGENT_MAX_CONCURRENT,
  H_AGENT_SUCCESS_RATE,
  H_CAPABLE_OFFSETS,
  H_CAPABLE_AGENTS,
  H_RULE_AGENT,
  H_RULE_CODE_OFFSETS,
  H_CODE,
  H_CANDIDATE_OFFSETS,
  H_CANDIDATE_RULES,
  H_LEAF_SLOT,
  H_LEAF_OP,
  H_LEAF_KIND,
  H_LEAF_NUM,
  H_LEAF_KIND2,
  H_LEAF_NUM2,
  H_LEAF_LIST_OFFSETS,
  H_LIST_KIND,
  H_LIST_NUM,
  H_LEAF_PREDICATE,
  H_TASK_COUNT,
  H_SLOT_COUNT,
  H_TASK_TYPE,
  H_TASK_COMPLETED,
  H_SLOT_KIND,
  H_SLOT_NUM,
  H_SLOT_AUX,
  H_ELEM_KIND,
  H_ELEM_NUM,
  H_ELEM_COUNT,
  H_PREDICATES,
  H_ORDER,
  H_ORDER_LENGTH,
  H_LOAD,
  H_AVAILABLE,
  H_OUT_VIA,
  H_OUT_AGENT,
  H_OUT_RULE,
  H_OUT_REASON,
  H_OUT_LOAD_BEFORE,
  H_OUT_BLOCKED_RULE,
  H_STACK,
  H_STACK_CAPACITY,
  H_ERROR_TASK,
  HEADER_WORDS,
  OK,
  E_TASK_TYPE,
  E_ORDER_INDEX,
  E_SLOT,
  E_ARRAY_RANGE,
  E_STACK,
  E_BYTECODE,
  E_OPERATOR,
  E_RULE_AGENT,
} from "./layout";

// Three-valued results, value kinds, operators, bytecode and outcomes: the
// numbers are fixed by the table format.
const FALSE: u8 = 0;
const TRUE: u8 = 1;
const UNKNOWN: u8 = 2;

const KIND_MISSING: u8 = 0;
const KIND_STRING: u8 = 1;
const KIND_NUMBER: u8 = 2;
const KIND_ARRAY: u8 = 4;
const KIND_OBJECT: u8 = 5;

/** Result of `compareOrdered` for kinds that have no order between them. */
const NOT_COMPARABLE: i32 = 2;

const OP_EQ: i32 = 0;
const OP_NE: i32 = 1;
const OP_IN: i32 = 2;
const OP_NOT_IN: i32 = 3;
const OP_LT: i32 = 4;
const OP_LTE: i32 = 5;
const OP_GT: i32 = 6;
const OP_GTE: i32 = 7;
const OP_BETWEEN: i32 = 8;
const OP_EXISTS: i32 = 9;
const OP_MISSING: i32 = 10;
const OP_CONTAINS: i32 = 11;
const OP_STARTS_WITH: i32 = 12;

const CODE_LEAF: i32 = 0;
const CODE_ALL: i32 = 1;
const CODE_ANY: i32 = 2;
const CODE_NOT: i32 = 3;
const CODE_TRUE: i32 = 4;

const VIA_RULE: u8 = 0;
const VIA_CAPABILITY: u8 = 1;
const VIA_UNASSIGNED: u8 = 2;
const VIA_SKIPPED: u8 = 3;

const REASON_NONE: u8 = 0;
const REASON_NO_CAPABLE_AGENT: u8 = 1;
const REASON_AT_CAPACITY: u8 = 2;
const REASON_UNAVAILABLE: u8 = 3;

// Addresses and counts of the current call, read from the header once.
let typeCount: i32 = 0;
let agentCount: i32 = 0;
let ruleCount: i32 = 0;
let leafCount: i32 = 0;
let agentMaxConcurrent: usize = 0;
let agentSuccessRate: usize = 0;
let capableOffsets: usize = 0;
let capableAgents: usize = 0;
let ruleAgent: usize = 0;
let ruleCodeOffsets: usize = 0;
let code: usize = 0;
let candidateOffsets: usize = 0;
let candidateRules: usize = 0;
let leafSlot: usize = 0;
let leafOp: usize = 0;
let leafKind: usize = 0;
let leafNum: usize = 0;
let leafKind2: usize = 0;
let leafNum2: usize = 0;
let leafListOffsets: usize = 0;
let listKind: usize = 0;
let listNum: usize = 0;
let leafPredicate: usize = 0;
let taskCount: i32 = 0;
let slotCount: i32 = 0;
let taskType: usize = 0;
let taskCompleted: usize = 0;
let slotKind: usize = 0;
let slotNum: usize = 0;
let slotAux: usize = 0;
let elemKind: usize = 0;
let elemNum: usize = 0;
let elemCount: i32 = 0;
let predicates: usize = 0;
let order: usize = 0;
let orderLength: i32 = 0;
let agentLoad: usize = 0;
let available: usize = 0;
let outVia: usize = 0;
let outAgent: usize = 0;
let outRule: usize = 0;
let outReason: usize = 0;
let outLoadBefore: usize = 0;
let outBlockedRule: usize = 0;
let stack: usize = 0;
let stackCapacity: i32 = 0;

/** Set when evaluation meets malformed input; `assign` returns it. */
let failure: i32 = OK;

/** Number of i32 words the host must reserve for the header. */
export function headerWords(): i32 {
  return HEADER_WORDS;
}

/** First address the host may use for its regions (8-byte aligned). */
export function dataStart(): usize {
  return (__heap_base + 7) & ~(<usize>7);
}

function word(header: usize, index: i32): i32 {
  return load<i32>(header + ((<usize>index) << 2));
}

function address(header: usize, index: i32): usize {
  return <usize>(<u32>word(header, index));
}

function i32At(base: usize, index: i32): i32 {
  return load<i32>(base + ((<usize>index) << 2));
}

function f64At(base: usize, index: i32): f64 {
  return load<f64>(base + ((<usize>index) << 3));
}

function u8At(base: usize, index: i32): u8 {
  return load<u8>(base + <usize>index);
}

function readHeader(header: usize): void {
  typeCount = word(header, H_TYPE_COUNT);
  agentCount = word(header, H_AGENT_COUNT);
  ruleCount = word(header, H_RULE_COUNT);
  leafCount = word(header, H_LEAF_COUNT);

  agentMaxConcurrent = address(header, H_AGENT_MAX_CONCURRENT);
  agentSuccessRate = address(header, H_AGENT_SUCCESS_RATE);
  capableOffsets = address(header, H_CAPABLE_OFFSETS);
  capableAgents = address(header, H_CAPABLE_AGENTS);
  ruleAgent = address(header, H_RULE_AGENT);
  ruleCodeOffsets = address(header, H_RULE_CODE_OFFSETS);
  code = address(header, H_CODE);
  candidateOffsets = address(header, H_CANDIDATE_OFFSETS);
  candidateRules = address(header, H_CANDIDATE_RULES);
  leafSlot = address(header, H_LEAF_SLOT);
  leafOp = address(header, H_LEAF_OP);
  leafKind = address(header, H_LEAF_KIND);
  leafNum = address(header, H_LEAF_NUM);
  leafKind2 = address(header, H_LEAF_KIND2);
  leafNum2 = address(header, H_LEAF_NUM2);
  leafListOffsets = address(header, H_LEAF_LIST_OFFSETS);
  listKind = address(header, H_LIST_KIND);
  listNum = address(header, H_LIST_NUM);
  leafPredicate = address(header, H_LEAF_PREDICATE);

  taskCount = word(header, H_TASK_COUNT);
  slotCount = word(header, H_SLOT_COUNT);
  taskType = address(header, H_TASK_TYPE);
  taskCompleted = address(header, H_TASK_COMPLETED);
  slotKind = address(header, H_SLOT_KIND);
  slotNum = address(header, H_SLOT_NUM);
  slotAux = address(header, H_SLOT_AUX);
  elemKind = address(header, H_ELEM_KIND);
  elemNum = address(header, H_ELEM_NUM);
  elemCount = word(header, H_ELEM_COUNT);
  predicates = address(header, H_PREDICATES);
  order = address(header, H_ORDER);
  orderLength = word(header, H_ORDER_LENGTH);

  agentLoad = address(header, H_LOAD);
  available = address(header, H_AVAILABLE);
  outVia = address(header, H_OUT_VIA);
  outAgent = address(header, H_OUT_AGENT);
  outRule = address(header, H_OUT_RULE);
  outReason = address(header, H_OUT_REASON);
  outLoadBefore = address(header, H_OUT_LOAD_BEFORE);
  outBlockedRule = address(header, H_OUT_BLOCKED_RULE);
  stack = address(header, H_STACK);
  stackCapacity = word(header, H_STACK_CAPACITY);
}

/** Equality of two scalars, no coercion: same scalar kind and same number. */
function sameScalar(kindA: u8, numA: f64, kindB: u8, numB: f64): bool {
  return kindA == kindB && numA == numB && kindA != KIND_ARRAY && kindA != KIND_OBJECT;
}

/** Reports whether the operand list of a leaf contains a scalar. */
function listHas(leaf: i32, kind: u8, num: f64): bool {
  const end: i32 = i32At(leafListOffsets, leaf + 1);
  for (let i: i32 = i32At(leafListOffsets, leaf); i < end; i++) {
    if (sameScalar(kind, num, <u8>i32At(listKind, i), f64At(listNum, i))) return true;
  }
  return false;
}

/**
 * Ordering comparison: -1, 0 or 1, or NOT_COMPARABLE unless both are numbers
 * or both are strings. String keys preserve the order of the strings, so
 * both compare as numbers.
 */
function compareOrdered(kindA: u8, numA: f64, kindB: u8, numB: f64): i32 {
  if (kindA != kindB || (kindA != KIND_NUMBER && kindA != KIND_STRING)) {
    return NOT_COMPARABLE;
  }
  if (numA < numB) return -1;
  if (numA > numB) return 1;
  return 0;
}

/** Maps a comparison through an ordering operator to a three-valued result. */
function orderingResult(op: i32, comparison: i32): u8 {
  if (comparison == NOT_COMPARABLE) return UNKNOWN;
  let holds: bool;
  if (op == OP_LT) holds = comparison < 0;
  else if (op == OP_LTE) holds = comparison <= 0;
  else if (op == OP_GT) holds = comparison > 0;
  else holds = comparison >= 0;
  return holds ? TRUE : FALSE;
}

/**
 * Reports whether a task array contains the leaf's operand. Sets `failure` on
 * a bad element range.
 */
function arrayHas(leaf: i32, first: i32, count: i32): bool {
  if (first < 0 || count < 0 || first > elemCount - count) {
    failure = E_ARRAY_RANGE;
    return false;
  }
  const kind: u8 = <u8>i32At(leafKind, leaf);
  const num: f64 = f64At(leafNum, leaf);
  for (let i: i32 = first; i < first + count; i++) {
    if (sameScalar(u8At(elemKind, i), f64At(elemNum, i), kind, num)) return true;
  }
  return false;
}

/** Reads the packer's substring result for a string slot, UNKNOWN when the leaf has no row. */
function predicateResult(leaf: i32, task: i32): u8 {
  const row: i32 = i32At(leafPredicate, leaf);
  if (row < 0) return UNKNOWN;
  return u8At(predicates, row * taskCount + task);
}

/** Evaluates leaf `leaf` on task `task` to FALSE, TRUE or UNKNOWN. */
function evalLeaf(leaf: i32, task: i32): u8 {
  const op: i32 = i32At(leafOp, leaf);
  const slot: i32 = i32At(leafSlot, leaf);
  if (slot < 0 || slot >= slotCount) {
    failure = E_SLOT;
    return UNKNOWN;
  }
  const cell: i32 = slot * taskCount + task;
  const kind: u8 = u8At(slotKind, cell);
  const num: f64 = f64At(slotNum, cell);

  // Step 1: presence tests are the only ones that see an absent or null field.
  if (op == OP_EXISTS) return kind == KIND_MISSING ? FALSE : TRUE;
  if (op == OP_MISSING) return kind == KIND_MISSING ? TRUE : FALSE;
  if (kind == KIND_MISSING) return UNKNOWN;

  const operandKind: u8 = <u8>i32At(leafKind, leaf);
  const operand: f64 = f64At(leafNum, leaf);

  // Step 2: every other operator on the present value.
  switch (op) {
    case OP_EQ:
      return sameScalar(kind, num, operandKind, operand) ? TRUE : FALSE;
    case OP_NE:
      return sameScalar(kind, num, operandKind, operand) ? FALSE : TRUE;
    case OP_IN:
      return listHas(leaf, kind, num) ? TRUE : FALSE;
    case OP_NOT_IN:
      return listHas(leaf, kind, num) ? FALSE : TRUE;
    case OP_LT:
    case OP_LTE:
    case OP_GT:
    case OP_GTE:
      return orderingResult(op, compareOrdered(kind, num, operandKind, operand));
    case OP_BETWEEN: {
      const low: i32 = compareOrdered(kind, num, operandKind, operand);
      const high: i32 = compareOrdered(
        kind,
        num,
        <u8>i32At(leafKind2, leaf),
        f64At(leafNum2, leaf),
      );
      if (low == NOT_COMPARABLE || high == NOT_COMPARABLE) return UNKNOWN;
      return low >= 0 && high <= 0 ? TRUE : FALSE;
    }
    case OP_CONTAINS:
      if (kind == KIND_ARRAY) {
        return arrayHas(leaf, <i32>num, i32At(slotAux, cell)) ? TRUE : FALSE;
      }
      return kind == KIND_STRING ? predicateResult(leaf, task) : UNKNOWN;
    case OP_STARTS_WITH:
      return kind == KIND_STRING ? predicateResult(leaf, task) : UNKNOWN;
    default:
      failure = E_OPERATOR;
      return UNKNOWN;
  }
}

/** Runs rule `rule`'s postfix bytecode on task `task`; returns the Kleene result. */
function evalRule(rule: i32, task: i32): u8 {
  const start: i32 = i32At(ruleCodeOffsets, rule);
  const end: i32 = i32At(ruleCodeOffsets, rule + 1);
  let top: i32 = 0;
  for (let pc: i32 = start; pc < end; pc++) {
    const instruction: i32 = i32At(code, pc << 1);
    const argument: i32 = i32At(code, (pc << 1) + 1);
    if (instruction == CODE_LEAF || instruction == CODE_TRUE) {
      // Step: push a leaf result, or TRUE for an empty condition.
      if (top >= stackCapacity) {
        failure = E_STACK;
        return FALSE;
      }
      let value: u8 = TRUE;
      if (instruction == CODE_LEAF) {
        if (argument < 0 || argument >= leafCount) {
          failure = E_BYTECODE;
          return FALSE;
        }
        value = evalLeaf(argument, task);
      }
      store<u8>(stack + <usize>top, value);
      top++;
    } else if (instruction == CODE_ALL || instruction == CODE_ANY) {
      // Step: fold the top `argument` results with Kleene AND or OR.
      if (argument < 0 || argument > top) {
        failure = E_BYTECODE;
        return FALSE;
      }
      const isAll: bool = instruction == CODE_ALL;
      let sawUnknown: bool = false;
      let decided: bool = false;
      for (let i: i32 = top - argument; i < top; i++) {
        const value: u8 = load<u8>(stack + <usize>i);
        if (value == UNKNOWN) sawUnknown = true;
        else if ((value == TRUE) != isAll) decided = true;
      }
      top -= argument;
      if (top >= stackCapacity) {
        failure = E_STACK;
        return FALSE;
      }
      let folded: u8 = isAll ? TRUE : FALSE;
      if (decided) folded = isAll ? FALSE : TRUE;
      else if (sawUnknown) folded = UNKNOWN;
      store<u8>(stack + <usize>top, folded);
      top++;
    } else if (instruction == CODE_NOT) {
      // Step: negate the top result; UNKNOWN stays UNKNOWN.
      if (top < 1) {
        failure = E_BYTECODE;
        return FALSE;
      }
      const at: usize = stack + <usize>(top - 1);
      const value: u8 = load<u8>(at);
      if (value != UNKNOWN) store<u8>(at, value == TRUE ? FALSE : TRUE);
    } else {
      failure = E_BYTECODE;
      return FALSE;
    }
  }
  if (top != 1) {
    failure = E_BYTECODE;
    return FALSE;
  }
  return load<u8>(stack);
}

/** Writes the outputs of a task that no rule and no capable agent took. */
function writeUnassigned(task: i32, reason: u8): void {
  store<u8>(outVia + <usize>task, VIA_UNASSIGNED);
  store<u8>(outReason + <usize>task, reason);
}

/** Takes one slot of `agent` for `task` and records the outcome. */
function assignTo(task: i32, via: u8, agent: i32, rule: i32): void {
  const before: i32 = i32At(agentLoad, agent);
  store<u8>(outVia + <usize>task, via);
  store<i32>(outAgent + ((<usize>task) << 2), agent);
  store<i32>(outRule + ((<usize>task) << 2), rule);
  store<i32>(outLoadBefore + ((<usize>task) << 2), before);
  store<i32>(agentLoad + ((<usize>agent) << 2), before + 1);
}

/** Resets a task's outputs to "no agent, no rule, no reason". */
function clearOutputs(task: i32): void {
  store<i32>(outAgent + ((<usize>task) << 2), -1);
  store<i32>(outRule + ((<usize>task) << 2), -1);
  store<u8>(outReason + <usize>task, REASON_NONE);
  store<i32>(outLoadBefore + ((<usize>task) << 2), 0);
  store<i32>(outBlockedRule + ((<usize>task) << 2), -1);
}

// Whether the current task met an available-but-full or an unavailable agent.
let sawFull: bool = false;
let sawUnavailable: bool = false;

/** Tries the candidate rules of the task's type; returns true when one won. */
function tryRules(task: i32, type: i32): bool {
  const end: i32 = i32At(candidateOffsets, type + 1);
  for (let c: i32 = i32At(candidateOffsets, type); c < end; c++) {
    const rule: i32 = i32At(candidateRules, c);
    if (evalRule(rule, task) != TRUE) {
      if (failure != OK) return false;
      continue;
    }
    const agent: i32 = i32At(ruleAgent, rule);
    if (agent < 0 || agent >= agentCount) {
      failure = E_RULE_AGENT;
      return false;
    }
    if (u8At(available, agent) == 0) {
      sawUnavailable = true;
    } else if (i32At(agentLoad, agent) >= i32At(agentMaxConcurrent, agent)) {
      sawFull = true;
    } else {
      assignTo(task, VIA_RULE, agent, rule);
      return true;
    }
    // Step: remember the first matching rule whose agent could not take the task.
    const blocked: usize = outBlockedRule + ((<usize>task) << 2);
    if (load<i32>(blocked) == -1) store<i32>(blocked, rule);
  }
  return false;
}

/**
 * Capability fallback: among capable agents that are available and below
 * capacity, the highest success rate, then the lowest load, then registry
 * order. Records the unassigned reason when none qualifies.
 */
function fallBack(task: i32, type: i32): void {
  let best: i32 = -1;
  const end: i32 = i32At(capableOffsets, type + 1);
  for (let c: i32 = i32At(capableOffsets, type); c < end; c++) {
    const agent: i32 = i32At(capableAgents, c);
    if (u8At(available, agent) == 0) {
      sawUnavailable = true;
    } else if (i32At(agentLoad, agent) >= i32At(agentMaxConcurrent, agent)) {
      sawFull = true;
    } else if (best < 0) {
      best = agent;
    } else {
      const rate: f64 = f64At(agentSuccessRate, agent);
      const bestRate: f64 = f64At(agentSuccessRate, best);
      if (
        rate > bestRate ||
        (rate == bestRate && i32At(agentLoad, agent) < i32At(agentLoad, best))
      ) {
        best = agent;
      }
    }
  }
  if (best >= 0) {
    assignTo(task, VIA_CAPABILITY, best, -1);
    return;
  }
  let reason: u8 = REASON_NO_CAPABLE_AGENT;
  if (sawFull) reason = REASON_AT_CAPACITY;
  else if (sawUnavailable) reason = REASON_UNAVAILABLE;
  writeUnassigned(task, reason);
}

/**
 * Routes the batch described by the header at `header`: for each task in
 * `order`, skip it when completed, else the first candidate rule whose condition is TRUE
 * and whose agent is available and below capacity, else capability fallback.
 * Updates the load array in place and writes the per-task outputs. Returns
 * OK or an E_* code. On an error, the header's error word contains the task.
 */
export function assign(header: usize): i32 {
  readHeader(header);
  failure = OK;
  store<i32>(header + ((<usize>H_ERROR_TASK) << 2), -1);

  for (let position: i32 = 0; position < orderLength; position++) {
    const task: i32 = i32At(order, position);

    // Step 1: reject malformed task references before reading any slot.
    if (task < 0 || task >= taskCount) {
      failure = E_ORDER_INDEX;
    } else {
      const type: i32 = i32At(taskType, task);
      if (type < 0 || type > typeCount) {
        failure = E_TASK_TYPE;
      } else {
        clearOutputs(task);
        sawFull = false;
        sawUnavailable = false;
        if (u8At(taskCompleted, task) == 1) {
          // Step 2: completed tasks are skipped and take no capacity.
          store<u8>(outVia + <usize>task, VIA_SKIPPED);
        } else if (tryRules(task, type)) {
          // Step 3: a rule won; it never names a blocked rule.
          store<i32>(outBlockedRule + ((<usize>task) << 2), -1);
        } else if (failure == OK) {
          // Step 4: no rule won, so fall back to capable agents.
          fallBack(task, type);
        }
      }
    }
    if (failure != OK) {
      store<i32>(header + ((<usize>H_ERROR_TASK) << 2), task);
      return failure;
    }
  }
  return OK;
}
