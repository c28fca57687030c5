/**
 * The compiled, integer-only form of a rule set and of a batch of tasks.
 *
 * The JS matcher (`match.ts`) and the WASM matcher (`assembly/`) read exactly
 * these arrays, so the two give identical results by construction. None of
 * these arrays contains a string that the matchers read. Strings are interned
 * by the compiler (rule side) and by the packer (task side).
 *
 * Three-valued logic: every test yields FALSE (0), TRUE (1) or UNKNOWN (2).
 * A field that is absent or null, or a value that cannot be compared (an
 * ordering test between a string and a number), is UNKNOWN. `not` keeps
 * UNKNOWN, `all` is Kleene AND, `any` is Kleene OR, and a rule matches only
 * when its whole condition is TRUE.
 */

export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;

/** Kind of a value in a task slot, an array element or a rule operand. */
export const KIND_MISSING = 0; // absent or null
export const KIND_STRING = 1; // num is the string key (see below)
export const KIND_NUMBER = 2; // num is the number
export const KIND_BOOL = 3; // num is 0 or 1
export const KIND_ARRAY = 4; // num is the first element index, aux the count
export const KIND_OBJECT = 5; // a nested object: comparable with nothing

/*
 * String keys. The compiler sorts the distinct rule string values (NFC, by
 * UTF-16 code units) into v_0 < v_1 < ... < v_{V-1}. Rule operand v_k has key
 * 2k+1. A task string s gets key 2·#{v : v < s} + (s is some v ? 1 : 0).
 * Then s = v_k iff key(s) = 2k+1, and s < v_k iff key(s) < 2k+1, so equality
 * and ordering need no strings. Substring `contains` and `startsWith` cannot
 * be done on keys: the packer evaluates those leaves on string slots and
 * stores their results in `TaskBatch.predicates`.
 */

/** Leaf operators as bytecode numbers; the order is part of the format. */
export const OP_EQ = 0;
export const OP_NE = 1;
export const OP_IN = 2;
export const OP_NOT_IN = 3;
export const OP_LT = 4;
export const OP_LTE = 5;
export const OP_GT = 6;
export const OP_GTE = 7;
export const OP_BETWEEN = 8;
export const OP_EXISTS = 9;
export const OP_MISSING = 10;
export const OP_CONTAINS = 11;
export const OP_STARTS_WITH = 12;

/**
 * Condition bytecode, postfix over a stack of three-valued results:
 * `CODE_LEAF i` pushes leaf i's result; `CODE_ALL n` / `CODE_ANY n` pop n and
 * push their Kleene AND / OR; `CODE_NOT` negates the top (UNKNOWN stays);
 * `CODE_TRUE` pushes TRUE (an empty condition). Each instruction is two i32
 * words: the code and its argument (0 when unused).
 */
export const CODE_LEAF = 0;
export const CODE_ALL = 1;
export const CODE_ANY = 2;
export const CODE_NOT = 3;
export const CODE_TRUE = 4;

/** Field slot numbers 0 and 1 are the task's `type` and `description`. */
export const SLOT_TYPE = 0;
export const SLOT_DESCRIPTION = 1;

/** Routing outcome per task. */
export const VIA_RULE = 0;
export const VIA_CAPABILITY = 1;
export const VIA_UNASSIGNED = 2;
export const VIA_SKIPPED = 3;

/** Reason codes for VIA_UNASSIGNED. */
export const REASON_NONE = 0;
export const REASON_NO_CAPABLE_AGENT = 1;
export const REASON_AT_CAPACITY = 2;
export const REASON_UNAVAILABLE = 3;

/** Success rate used for an agent whose rate is unknown. */
export const UNKNOWN_SUCCESS_RATE = 0.7;

export interface CompiledTables {
  // Interning (rule side). Index = id.
  /** Task types known to the rule set; a task of any other type gets id `typeNames.length`. */
  typeNames: string[];
  /** Field slots: 0 `type`, 1 `description`, then each `metadata.<path>` used by a rule. */
  slotPaths: string[];
  /** Sorted distinct rule string values (NFC); value k has key 2k+1. */
  stringValues: string[];

  // Agents, in registry order.
  agentIds: string[];
  agentMaxConcurrent: Int32Array;
  /** Success rate with unknown mapped to UNKNOWN_SUCCESS_RATE. */
  agentSuccessRate: Float64Array;

  /**
   * Capable agents per type id in registry order (CSR). Row `typeNames.length`
   * (unknown types) is empty. Length of offsets: typeNames.length + 2.
   */
  capableOffsets: Int32Array;
  capableAgents: Int32Array;

  // Rules, in declaration order.
  ruleIds: string[];
  ruleAgent: Int32Array;
  rulePriority: Int32Array;
  /** Start of each rule's bytecode in `code` (in instructions, not words); length rules + 1. */
  ruleCodeOffsets: Int32Array;
  /** Two i32 words per instruction: code, argument. */
  code: Int32Array;
  /**
   * Added field: the largest evaluation-stack depth that any rule's bytecode
   * reaches (at least 1), so a matcher can size one scratch stack up front.
   */
  stackDepth: number;

  /**
   * Candidate rules per type id: rules listing the type plus wildcard rules,
   * by priority (high first) then declaration order (CSR). Row
   * `typeNames.length` contains the wildcard rules alone. Offsets length:
   * typeNames.length + 2.
   */
  candidateOffsets: Int32Array;
  candidateRules: Int32Array;

  // Leaves.
  leafSlot: Int32Array;
  leafOp: Int32Array;
  /** Operand kind and value (string key, number, bool) for single-operand ops; for `between` the min. */
  leafKind: Int32Array;
  leafNum: Float64Array;
  /** `between` max: kind and value. */
  leafKind2: Int32Array;
  leafNum2: Float64Array;
  /** `in`/`notIn` operand lists (CSR into listKind/listNum). Offsets length leaves + 1. */
  leafListOffsets: Int32Array;
  listKind: Int32Array;
  listNum: Float64Array;
  /**
   * Index into TaskBatch.predicates for `contains` and `startsWith` leaves
   * (evaluated by the packer on string slots), or -1.
   */
  leafPredicate: Int32Array;
  /** Number of predicate rows the packer must fill. */
  predicateCount: number;
  /**
   * For each predicate row, the first leaf that uses it. Leaves with the same
   * slot, operator and string operand share one row.
   */
  predicateLeaf: Int32Array;
}

/**
 * A batch of tasks packed for matching. Slot arrays are slot-major:
 * entry `s * taskCount + t` is field slot `s` of task `t`, so each slot is
 * one contiguous column. Array elements are stored task by task. Across the worker
 * boundary a batch travels in the smaller `ColumnBatch` form (`columns.ts`).
 */
export interface TaskBatch {
  taskCount: number;
  slotCount: number;
  /** Type id per task (see CompiledTables.typeNames). */
  taskType: Int32Array;
  /** 1 when the task is `completed` (skipped by routing). */
  taskCompleted: Uint8Array;
  slotKind: Uint8Array;
  slotNum: Float64Array;
  /** Array element count for KIND_ARRAY slots, else 0. */
  slotAux: Int32Array;
  /** Array elements for KIND_ARRAY slots. */
  elemKind: Uint8Array;
  elemNum: Float64Array;
  /** Predicate results, `p * taskCount + t`: FALSE, TRUE or UNKNOWN. */
  predicates: Uint8Array;
  /** Routing order: task indices (from the DAG order). */
  order: Int32Array;
}

/** Per-call state and outputs of assignment. */
export interface AssignInput {
  /** Current load per agent; updated in place by assignment. */
  load: Int32Array;
  /** 1 when the agent may receive tasks. */
  available: Uint8Array;
}

/** Per-task outputs, indexed by task index (not order position). */
export interface AssignOutput {
  via: Uint8Array;
  agent: Int32Array;
  /** Winning rule index, or -1. */
  rule: Int32Array;
  reason: Uint8Array;
  /** Agent's load just before this task was assigned to it, or 0. */
  loadBefore: Int32Array;
  /**
   * Added field: for tasks not won by a rule, the first candidate rule whose
   * condition was TRUE but whose agent was unavailable or at capacity, else
   * -1 (also -1 for tasks won by a rule and skipped tasks). Explanations name
   * that agent. An agent at capacity receives no later task of the batch, so
   * its final load is its load at that point.
   */
  blockedRule: Int32Array;
}
