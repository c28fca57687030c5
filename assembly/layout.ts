/**
 * Word indices of the call header and the status codes of `assign`.
 *
 * The header is an array of i32 words in linear memory: counts, and byte
 * addresses of the arrays the host laid out. `src/worker/wasm-layout.ts`
 * contains the same numbers for the host, and a test compares the two files.
 */

// Compiled tables.
export const H_TYPE_COUNT = 0;
export const H_AGENT_COUNT = 1;
export const H_RULE_COUNT = 2;
export const H_LEAF_COUNT = 3;
export const H_AGENT_MAX_CONCURRENT = 4;
export const H_AGENT_SUCCESS_RATE = 5;
export const H_CAPABLE_OFFSETS = 6;
export const H_CAPABLE_AGENTS = 7;
export const H_RULE_AGENT = 8;
export const H_RULE_CODE_OFFSETS = 9;
export const H_CODE = 10;
export const H_CANDIDATE_OFFSETS = 11;
export const H_CANDIDATE_RULES = 12;
export const H_LEAF_SLOT = 13;
export const H_LEAF_OP = 14;
export const H_LEAF_KIND = 15;
export const H_LEAF_NUM = 16;
export const H_LEAF_KIND2 = 17;
export const H_LEAF_NUM2 = 18;
export const H_LEAF_LIST_OFFSETS = 19;
export const H_LIST_KIND = 20;
export const H_LIST_NUM = 21;
export const H_LEAF_PREDICATE = 22;

// Task batch.
export const H_TASK_COUNT = 23;
export const H_SLOT_COUNT = 24;
export const H_TASK_TYPE = 25;
export const H_TASK_COMPLETED = 26;
export const H_SLOT_KIND = 27;
export const H_SLOT_NUM = 28;
export const H_SLOT_AUX = 29;
export const H_ELEM_KIND = 30;
export const H_ELEM_NUM = 31;
export const H_ELEM_COUNT = 32;
export const H_PREDICATES = 33;
export const H_ORDER = 34;
export const H_ORDER_LENGTH = 35;

// Per-call state and outputs.
export const H_LOAD = 36;
export const H_AVAILABLE = 37;
export const H_OUT_VIA = 38;
export const H_OUT_AGENT = 39;
export const H_OUT_RULE = 40;
export const H_OUT_REASON = 41;
export const H_OUT_LOAD_BEFORE = 42;
export const H_OUT_BLOCKED_RULE = 43;
export const H_STACK = 44;
export const H_STACK_CAPACITY = 45;
/** Written by `assign`: the task index at which it stopped, or -1. */
export const H_ERROR_TASK = 46;

export const HEADER_WORDS = 47;

// Status codes returned by `assign`.
export const OK = 0;
/** A task's type id is outside 0..typeCount. */
export const E_TASK_TYPE = 1;
/** An order entry is not a task index. */
export const E_ORDER_INDEX = 2;
/** A leaf names a slot outside 0..slotCount-1. */
export const E_SLOT = 3;
/** An array slot points outside the element arrays. */
export const E_ARRAY_RANGE = 4;
/** A rule's bytecode needs a deeper stack than the host reserved. */
export const E_STACK = 5;
/** A rule's bytecode is malformed. */
export const E_BYTECODE = 6;
/** A leaf has an operator number outside the format. */
export const E_OPERATOR = 7;
/** A rule names an agent index outside the registry. */
export const E_RULE_AGENT = 8;
