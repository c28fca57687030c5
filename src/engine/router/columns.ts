/**
 * Compact, column-per-slot form of a task batch, for sending a plan across
 * the worker boundary. `packColumns` (`pack.ts`) builds it from task objects
 * and `expandColumns` turns it back into the `TaskBatch` that both matchers
 * read, checking every value on the way so that neither matcher reads
 * outside an array.
 *
 * A value column contains one value per task (or per array element). Each
 * column picks the narrowest encoding that fits all of its values:
 * - `u16`: `(payload << 3) | kind` in a Uint16Array, payload below 2^13;
 * - `i32`: the same in an Int32Array, payload below 2^28;
 * - `f64`: a kind per value in a Uint8Array and the number in a Float64Array.
 * The payload is the string key, the boolean (0 or 1), the array's element
 * count, or a non-negative integer number other than -0; missing and object
 * values have payload 0. Any other number forces `f64`.
 *
 * Array elements of all slots are stored in one element column, task by
 * task and, within a task, by ascending slot, so an array's first element
 * index is the running sum of the element counts before it.
 */

import { RouterError } from "../errors.js";
import {
  KIND_ARRAY,
  KIND_OBJECT,
  UNKNOWN,
  type CompiledTables,
  type TaskBatch,
} from "./tables.js";

/** Bits of a `u16` or `i32` code that contain the value kind. */
export const KIND_BITS = 3;
export const KIND_MASK = (1 << KIND_BITS) - 1;
/** Exclusive payload limits of the `u16` and `i32` encodings. */
export const U16_PAYLOAD_LIMIT = 1 << (16 - KIND_BITS);
export const I32_PAYLOAD_LIMIT = 1 << (31 - KIND_BITS);

export type ValueColumn =
  | { encoding: "u16"; codes: Uint16Array<ArrayBuffer> }
  | { encoding: "i32"; codes: Int32Array<ArrayBuffer> }
  | {
      encoding: "f64";
      kinds: Uint8Array<ArrayBuffer>;
      nums: Float64Array<ArrayBuffer>;
    };

export interface ColumnBatch {
  taskCount: number;
  slotCount: number;
  /** Type id per task; a Uint8Array when every type id is below 256. */
  taskType: Uint8Array<ArrayBuffer> | Int32Array<ArrayBuffer>;
  /** Bit `t & 7` of byte `t >> 3` is set when task t is completed; null when none is. */
  completedBits: Uint8Array<ArrayBuffer> | null;
  /** One column per field slot; null for a slot that no rule reads (all missing). */
  slots: (ValueColumn | null)[];
  elements: ValueColumn;
  /**
   * Predicate results as 2-bit codes (FALSE, TRUE, UNKNOWN): entry
   * `i = p * taskCount + t` sits in bits `2 * (i & 3)` of byte `i >> 2`.
   */
  predicateCodes: Uint8Array<ArrayBuffer>;
}

/** Returns the number of values in a column. */
export function columnLength(column: ValueColumn): number {
  return column.encoding === "f64" ? column.kinds.length : column.codes.length;
}

/** Returns the buffers of a column batch, for a transfer list. */
export function columnBuffers(batch: ColumnBatch): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [batch.taskType.buffer, batch.predicateCodes.buffer];
  if (batch.completedBits !== null) buffers.push(batch.completedBits.buffer);
  for (const column of [...batch.slots, batch.elements]) {
    if (column === null) continue;
    if (column.encoding === "f64") {
      buffers.push(column.kinds.buffer, column.nums.buffer);
    } else {
      buffers.push(column.codes.buffer);
    }
  }
  return buffers;
}

function badBatch(message: string, details: Record<string, unknown> = {}): RouterError {
  return new RouterError(`invalid packed plan: ${message}`, {
    code: "E_BAD_BATCH",
    details,
  });
}

/**
 * Decodes a column into `kinds` and `nums` (both of the column's length),
 * rejecting kinds outside the format. Returns whether any value is an array.
 */
function decodeColumn(
  column: ValueColumn,
  name: string,
  kinds: Uint8Array,
  nums: Float64Array,
): boolean {
  const count = kinds.length;
  if (columnLength(column) !== count) {
    throw badBatch(`${name} has ${columnLength(column)} entries, expected ${count}`);
  }
  if (column.encoding === "f64") {
    if (column.nums.length !== count) {
      throw badBatch(`${name} has ${column.nums.length} numbers, expected ${count}`);
    }
    kinds.set(column.kinds);
    nums.set(column.nums);
  } else if (column.encoding === "u16" || column.encoding === "i32") {
    const codes = column.codes;
    for (let i = 0; i < count; i++) {
      const code = codes[i]!;
      kinds[i] = code & KIND_MASK;
      nums[i] = code >>> KIND_BITS;
    }
  } else {
    throw badBatch(`${name} has an unknown encoding`);
  }
  let hasArray = false;
  for (let i = 0; i < count; i++) {
    const kind = kinds[i]!;
    if (kind > KIND_OBJECT) {
      throw badBatch(`${name}[${i}] has kind ${kind}, which is not a value kind`);
    }
    if (kind === KIND_ARRAY) hasArray = true;
  }
  return hasArray;
}

/**
 * Expands a column batch into the task arrays of a `TaskBatch` for the
 * given tables, with `order` as the routing order. Throws RouterError
 * `E_BAD_BATCH` when an array has the wrong length or contains a value outside
 * the format.
 */
export function expandColumns(
  tables: CompiledTables,
  columns: ColumnBatch,
  order: Int32Array,
): TaskBatch {
  const n = columns.taskCount;
  if (!Number.isInteger(n) || n < 0) {
    throw badBatch(`taskCount must be a non-negative integer, got ${n}`);
  }
  const slotCount = tables.slotPaths.length;
  if (columns.slotCount !== slotCount || columns.slots.length !== slotCount) {
    throw badBatch(
      `slotCount is ${columns.slotCount} but the rule set has ${slotCount} slots; pack the plan with the current tables`,
    );
  }

  // Step 1: per-task arrays.
  if (columns.taskType.length !== n) {
    throw badBatch(`taskType has ${columns.taskType.length} entries, expected ${n}`);
  }
  const typeLimit = tables.typeNames.length;
  const taskType = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const type = columns.taskType[t]!;
    if (type < 0 || type > typeLimit) {
      throw badBatch(`taskType[${t}] = ${type} is outside 0..${typeLimit}`, { task: t });
    }
    taskType[t] = type;
  }
  const taskCompleted = new Uint8Array(n);
  const bits = columns.completedBits;
  if (bits !== null) {
    if (bits.length !== (n + 7) >> 3) {
      throw badBatch(`completedBits has ${bits.length} bytes, expected ${(n + 7) >> 3}`);
    }
    for (let t = 0; t < n; t++) taskCompleted[t] = (bits[t >> 3]! >> (t & 7)) & 1;
  }

  // Step 2: elements, then the slots, with array starts as running sums.
  const elements = columns.elements;
  const elemCount = columnLength(elements);
  const elemKind = new Uint8Array(elemCount);
  const elemNum = new Float64Array(elemCount);
  decodeColumn(elements, "elements", elemKind, elemNum);

  const cells = n * slotCount;
  const slotKind = new Uint8Array(cells);
  const slotNum = new Float64Array(cells);
  const slotAux = new Int32Array(cells);
  const arraySlots: number[] = [];
  for (let s = 0; s < slotCount; s++) {
    const column = columns.slots[s];
    if (column === null || column === undefined) continue;
    const start = s * n;
    const kinds = slotKind.subarray(start, start + n);
    const nums = slotNum.subarray(start, start + n);
    if (decodeColumn(column, `slot ${s}`, kinds, nums)) arraySlots.push(s);
  }
  // Elements are stored task by task, so array starts run over tasks first.
  let nextElement = 0;
  for (let t = 0; t < n; t++) {
    for (const s of arraySlots) {
      const cell = s * n + t;
      if (slotKind[cell] !== KIND_ARRAY) continue;
      const count = slotNum[cell]!;
      if (!Number.isInteger(count) || count < 0 || nextElement + count > elemCount) {
        throw badBatch(`array slot ${cell} points outside the ${elemCount} elements`);
      }
      slotNum[cell] = nextElement;
      slotAux[cell] = count;
      nextElement += count;
    }
  }
  if (nextElement !== elemCount) {
    throw badBatch(
      `array slots contain ${nextElement} elements but ${elemCount} were sent`,
    );
  }

  // Step 3: predicate codes.
  const predicateCells = tables.predicateCount * n;
  const codes = columns.predicateCodes;
  if (codes.length !== (predicateCells + 3) >> 2) {
    throw badBatch(
      `predicateCodes has ${codes.length} bytes, expected ${(predicateCells + 3) >> 2}`,
    );
  }
  const predicates = new Uint8Array(predicateCells);
  for (let i = 0; i < predicateCells; i++) {
    const value = (codes[i >> 2]! >> ((i & 3) << 1)) & 3;
    if (value > UNKNOWN) {
      throw badBatch(`predicate ${i} has code ${value}, not FALSE, TRUE or UNKNOWN`);
    }
    predicates[i] = value;
  }

  return {
    taskCount: n,
    slotCount,
    taskType,
    taskCompleted,
    slotKind,
    slotNum,
    slotAux,
    elemKind,
    elemNum,
    predicates,
    order,
  };
}
