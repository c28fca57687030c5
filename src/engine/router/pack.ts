/**
 * Task packer: turns task objects into the integer `TaskBatch` that the
 * matchers read. Strings are NFC-normalised and keyed against the rule
 * set's sorted string values once per distinct string; substring tests
 * (`contains`, `startsWith` on string slots) are evaluated here because keys
 * cannot express them.
 */

import type { Task } from "../types.js";
import { toNfc } from "../schema/nfc.js";
import { indexStrings, stringKey, usedSlots } from "./compile.js";
import {
  I32_PAYLOAD_LIMIT,
  KIND_BITS,
  U16_PAYLOAD_LIMIT,
  type ColumnBatch,
  type ValueColumn,
} from "./columns.js";
import {
  FALSE,
  KIND_ARRAY,
  KIND_BOOL,
  KIND_MISSING,
  KIND_NUMBER,
  KIND_OBJECT,
  KIND_STRING,
  OP_STARTS_WITH,
  SLOT_DESCRIPTION,
  SLOT_TYPE,
  TRUE,
  UNKNOWN,
  type CompiledTables,
  type TaskBatch,
} from "./tables.js";

/** Lookup data that the packer derives once per compiled table set. */
interface PackPlan {
  typeIndex: Map<string, number>;
  /** Metadata path segments per slot; empty for `type` and `description`. */
  segments: string[][];
  used: Uint8Array;
  /** Indices of the slots that some rule reads, ascending. */
  usedList: Int32Array;
  /**
   * Type id per raw task type seen so far, kept across calls because plans
   * repeat a few types; capped at TYPE_CACHE_LIMIT entries.
   */
  typeIds: Map<string, number>;
  /** Predicate rows per slot, with their operand and whether the test is `startsWith`. */
  predicatesBySlot: { row: number; operand: string; startsWith: boolean }[][];
}

const planCache = new WeakMap<CompiledTables, PackPlan>();

/** Distinct raw task types remembered per table set; later types are looked up each time. */
const TYPE_CACHE_LIMIT = 4096;

function packPlan(tables: CompiledTables): PackPlan {
  const cached = planCache.get(tables);
  if (cached !== undefined) {
    return cached;
  }
  const predicatesBySlot: PackPlan["predicatesBySlot"] = tables.slotPaths.map(() => []);
  for (let row = 0; row < tables.predicateCount; row++) {
    const leaf = tables.predicateLeaf[row]!;
    const operandKey = tables.leafNum[leaf]!;
    predicatesBySlot[tables.leafSlot[leaf]!]!.push({
      row,
      operand: tables.stringValues[(operandKey - 1) / 2]!,
      startsWith: tables.leafOp[leaf] === OP_STARTS_WITH,
    });
  }
  const used = usedSlots(tables);
  const usedList: number[] = [];
  used.forEach((flag, s) => {
    if (flag !== 0) usedList.push(s);
  });
  const plan: PackPlan = {
    typeIndex: indexStrings(tables.typeNames),
    segments: tables.slotPaths.map((path, s) =>
      s === SLOT_TYPE || s === SLOT_DESCRIPTION
        ? []
        : path.slice("metadata.".length).split("."),
    ),
    used,
    usedList: Int32Array.from(usedList),
    typeIds: new Map(),
    predicatesBySlot,
  };
  planCache.set(tables, plan);
  return plan;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Reads a metadata path through own properties of plain objects; anything else is undefined. */
export function readMetadataPath(
  metadata: unknown,
  segments: readonly string[],
): unknown {
  let value = metadata;
  for (const segment of segments) {
    if (!isPlainObject(value) || !Object.hasOwn(value, segment)) {
      return undefined;
    }
    value = value[segment];
  }
  return value;
}

const EMPTY_KINDS = new Uint8Array(0);
const EMPTY_NUMS = new Float64Array(0);

/** Per-call packing state: growable element arrays and the distinct-string cache. */
class Packer {
  readonly stringKeys = new Map<string, number>();
  /** Normalised form per raw string, for the substring predicates. */
  readonly normalised = new Map<string, string>();
  elemKind = EMPTY_KINDS;
  elemNum = EMPTY_NUMS;
  elemCount = 0;

  constructor(readonly tables: CompiledTables) {}

  keyOf(raw: string): number {
    const cached = this.stringKeys.get(raw);
    if (cached !== undefined) {
      return cached;
    }
    const text = toNfc(raw);
    const key = stringKey(this.tables.stringValues, text);
    this.stringKeys.set(raw, key);
    this.normalised.set(raw, text);
    return key;
  }

  pushElement(kind: number, num: number): void {
    if (this.elemCount === this.elemKind.length) {
      const capacity = Math.max(64, this.elemCount * 2);
      const kinds = new Uint8Array(capacity);
      kinds.set(this.elemKind);
      this.elemKind = kinds;
      const nums = new Float64Array(capacity);
      nums.set(this.elemNum);
      this.elemNum = nums;
    }
    this.elemKind[this.elemCount] = kind;
    this.elemNum[this.elemCount] = num;
    this.elemCount++;
  }

  /** Kind of a scalar-or-not value, with its number written to `scratch[0]`. */
  scalarKind(value: unknown, scratch: Float64Array): number {
    switch (typeof value) {
      case "string":
        scratch[0] = this.keyOf(value);
        return KIND_STRING;
      case "number":
        scratch[0] = value;
        return Number.isFinite(value) ? KIND_NUMBER : KIND_OBJECT;
      case "boolean":
        scratch[0] = value ? 1 : 0;
        return KIND_BOOL;
      case "undefined":
        scratch[0] = 0;
        return KIND_MISSING;
      default:
        scratch[0] = 0;
        return value === null ? KIND_MISSING : KIND_OBJECT;
    }
  }
}

/**
 * Packs tasks for matching. `order` is the routing order (task indices) and
 * is stored in the batch as given.
 */
export function packTasks(
  tables: CompiledTables,
  tasks: readonly Task[],
  order: Int32Array,
): TaskBatch {
  const taskCount = tasks.length;
  const cells = taskCount * tables.slotPaths.length;
  return fillBatch(tables, tasks, order, {
    taskType: new Int32Array(taskCount),
    taskCompleted: new Uint8Array(taskCount),
    slotKind: new Uint8Array(cells),
    slotNum: new Float64Array(cells),
    slotAux: new Int32Array(cells),
    predicates: new Uint8Array(tables.predicateCount * taskCount),
  });
}

/** Batch arrays reused by `packTasksShared`; they only grow. */
const sharedBatch = {
  taskType: new Int32Array(1024),
  taskCompleted: new Uint8Array(1024),
  slotKind: new Uint8Array(1024),
  slotNum: new Float64Array(1024),
  slotAux: new Int32Array(1024),
  predicates: new Uint8Array(1024),
};

/**
 * Packs like `packTasks` into arrays shared by every call, which may be
 * longer than the batch needs. The batch is valid until the next call, so
 * only a caller that is done with it before then (such as `Router.route`,
 * which builds its whole result at once) may use this.
 */
export function packTasksShared(
  tables: CompiledTables,
  tasks: readonly Task[],
  order: Int32Array,
): TaskBatch {
  const taskCount = tasks.length;
  const cells = taskCount * tables.slotPaths.length;
  const predicateCells = tables.predicateCount * taskCount;
  const shared = sharedBatch;
  if (shared.taskType.length < taskCount) {
    shared.taskType = new Int32Array(2 * taskCount);
    shared.taskCompleted = new Uint8Array(2 * taskCount);
  }
  if (shared.slotKind.length < cells) {
    shared.slotKind = new Uint8Array(2 * cells);
    shared.slotNum = new Float64Array(2 * cells);
    shared.slotAux = new Int32Array(2 * cells);
  }
  if (shared.predicates.length < predicateCells) {
    shared.predicates = new Uint8Array(2 * predicateCells);
  }
  // Fresh arrays are zero, and the packer writes only the slots rules read.
  shared.slotKind.fill(0, 0, cells);
  shared.slotNum.fill(0, 0, cells);
  shared.slotAux.fill(0, 0, cells);
  return fillBatch(tables, tasks, order, shared);
}

/** Arrays that `fillBatch` writes; slot arrays zero, predicates any value. */
type BatchArrays = Pick<
  TaskBatch,
  "taskType" | "taskCompleted" | "slotKind" | "slotNum" | "slotAux" | "predicates"
>;

function fillBatch(
  tables: CompiledTables,
  tasks: readonly Task[],
  order: Int32Array,
  arrays: BatchArrays,
): TaskBatch {
  const plan = packPlan(tables);
  const taskCount = tasks.length;
  const slotCount = tables.slotPaths.length;
  const unknownType = tables.typeNames.length;
  const { taskType, taskCompleted, slotKind, slotNum, slotAux, predicates } = arrays;
  const predicateCells = tables.predicateCount * taskCount;
  if (predicateCells > 0) predicates.fill(UNKNOWN, 0, predicateCells);
  const packer = new Packer(tables);
  const scratch = new Float64Array(1);
  const usedList = plan.usedList;
  const typeIds = plan.typeIds;

  for (let t = 0; t < taskCount; t++) {
    const task = tasks[t]!;

    // Type id: the rule set's types are NFC, so look the task's type up normalised.
    let typeId = typeIds.get(task.type);
    if (typeId === undefined) {
      typeId = plan.typeIndex.get(toNfc(task.type)) ?? unknownType;
      if (typeIds.size < TYPE_CACHE_LIMIT) typeIds.set(task.type, typeId);
    }
    taskType[t] = typeId;
    taskCompleted[t] = task.status === "completed" ? 1 : 0;

    // Slots: type, description, then metadata paths, where some rule reads them.
    for (let u = 0; u < usedList.length; u++) {
      const s = usedList[u]!;
      const value =
        s === SLOT_TYPE
          ? task.type
          : s === SLOT_DESCRIPTION
            ? task.description
            : readMetadataPath(task.metadata, plan.segments[s]!);
      const cell = s * taskCount + t;

      if (Array.isArray(value)) {
        slotKind[cell] = KIND_ARRAY;
        slotNum[cell] = packer.elemCount;
        slotAux[cell] = value.length;
        for (const element of value as unknown[]) {
          const kind = packer.scalarKind(element, scratch);
          packer.pushElement(kind, scratch[0]!);
        }
        continue;
      }
      const kind = packer.scalarKind(value, scratch);
      slotKind[cell] = kind;
      slotNum[cell] = scratch[0]!;
      if (kind === KIND_STRING) {
        writePredicates(plan, packer, s, value as string, predicates, taskCount, t);
      }
    }
  }

  return {
    taskCount,
    slotCount,
    taskType,
    taskCompleted,
    slotKind,
    slotNum,
    slotAux,
    elemKind: packer.elemKind.slice(0, packer.elemCount),
    elemNum: packer.elemNum.slice(0, packer.elemCount),
    predicates,
    order,
  };
}

/** Evaluates the substring predicates that read slot `s` of task `t`, a string. */
function writePredicates(
  plan: PackPlan,
  packer: Packer,
  s: number,
  raw: string,
  predicates: Uint8Array,
  taskCount: number,
  t: number,
): void {
  const rows = plan.predicatesBySlot[s]!;
  if (rows.length === 0) {
    return;
  }
  const text = packer.normalised.get(raw)!;
  for (const { row, operand, startsWith } of rows) {
    const holds = startsWith ? text.startsWith(operand) : text.includes(operand);
    predicates[row * taskCount + t] = holds ? TRUE : FALSE;
  }
}

/** Per-slot scratch columns reused by `packColumns`; they only grow. */
let scratchKinds = new Uint8Array(0);
let scratchNums = new Float64Array(0);

/** Largest payload per column, or -1 once a value needs `f64` (see `columns.ts`). */
type PayloadBound = number;

/** Returns the largest `u16`/`i32` payload of `count` values, or -1 when one needs `f64`. */
function payloadBound(
  kinds: Uint8Array,
  nums: Float64Array,
  count: number,
): PayloadBound {
  let max = 0;
  for (let i = 0; i < count; i++) {
    const kind = kinds[i]!;
    if (kind === KIND_MISSING || kind === KIND_OBJECT) continue;
    const num = nums[i]!;
    if (!(num >= 0 && Number.isInteger(num)) || Object.is(num, -0)) return -1;
    if (num > max) max = num;
  }
  return max;
}

/** Encodes `count` kinds and numbers into the narrowest column that `bound` allows. */
function encodeColumn(
  kinds: Uint8Array,
  nums: Float64Array,
  count: number,
  bound: PayloadBound,
): ValueColumn {
  if (bound < 0 || bound >= I32_PAYLOAD_LIMIT) {
    return { encoding: "f64", kinds: kinds.slice(0, count), nums: nums.slice(0, count) };
  }
  const codes =
    bound < U16_PAYLOAD_LIMIT ? new Uint16Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const kind = kinds[i]!;
    codes[i] =
      kind === KIND_MISSING || kind === KIND_OBJECT
        ? kind
        : (nums[i]! << KIND_BITS) | kind;
  }
  return codes instanceof Uint16Array
    ? { encoding: "u16", codes }
    : { encoding: "i32", codes };
}

/** String key and substring-predicate results of one distinct string in one slot. */
interface SlotString {
  key: number;
  /** TRUE or FALSE per predicate row of the slot, in `predicatesBySlot` order. */
  results: Uint8Array;
}

/** Reads `metadata.<segments>` like `readMetadataPath`, inlined for the packing loop. */
function readPath(metadata: unknown, segments: readonly string[]): unknown {
  let value = metadata;
  for (let i = 0; i < segments.length; i++) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return undefined;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    const segment = segments[i]!;
    if (
      (proto !== Object.prototype && proto !== null) ||
      !Object.hasOwn(value, segment)
    ) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * Packs tasks into the column form that crosses the worker boundary
 * (`columns.ts`). Values are classified exactly as `packTasks` classifies
 * them, so `expandColumns` of the result equals the slots, elements and
 * predicates of `packTasks`, apart from the numbers of object values, which
 * no matcher reads.
 */
export function packColumns(tables: CompiledTables, tasks: readonly Task[]): ColumnBatch {
  const plan = packPlan(tables);
  const taskCount = tasks.length;
  const slotCount = tables.slotPaths.length;
  const unknownType = tables.typeNames.length;
  const usedList = plan.usedList;
  const usedCount = usedList.length;
  const typeIds = plan.typeIds;
  const packer = new Packer(tables);
  const scratch = new Float64Array(1);

  const taskType =
    unknownType < 256 ? new Uint8Array(taskCount) : new Int32Array(taskCount);
  let completedBits: Uint8Array<ArrayBuffer> | null = null;
  const predicateCells = tables.predicateCount * taskCount;
  // 0xaa is UNKNOWN (binary 10) in all four 2-bit fields of a byte.
  const predicateCodes = new Uint8Array((predicateCells + 3) >> 2).fill(0xaa);

  const cells = usedCount * taskCount;
  if (scratchKinds.length < cells) {
    scratchKinds = new Uint8Array(cells);
    scratchNums = new Float64Array(cells);
  }
  const kinds = scratchKinds;
  const nums = scratchNums;
  const segments = Array.from(usedList, (s) => plan.segments[s]!);
  const predicateRows = Array.from(usedList, (s) => plan.predicatesBySlot[s]!);
  const strings = Array.from(usedList, () => new Map<string, SlotString>());
  const bounds: PayloadBound[] = new Array<PayloadBound>(usedCount).fill(0);

  for (let t = 0; t < taskCount; t++) {
    const task = tasks[t]!;
    let typeId = typeIds.get(task.type);
    if (typeId === undefined) {
      typeId = plan.typeIndex.get(toNfc(task.type)) ?? unknownType;
      if (typeIds.size < TYPE_CACHE_LIMIT) typeIds.set(task.type, typeId);
    }
    taskType[t] = typeId;
    if (task.status === "completed") {
      completedBits ??= new Uint8Array((taskCount + 7) >> 3);
      completedBits[t >> 3] = completedBits[t >> 3]! | (1 << (t & 7));
    }

    // Column u of the scratch contains used slot usedList[u], task by task.
    for (let u = 0; u < usedCount; u++) {
      const s = usedList[u]!;
      const value =
        s === SLOT_TYPE
          ? task.type
          : s === SLOT_DESCRIPTION
            ? task.description
            : readPath(task.metadata, segments[u]!);
      const cell = u * taskCount + t;

      // Step: strings, with their key and predicate results cached per slot.
      if (typeof value === "string") {
        let entry = strings[u]!.get(value);
        if (entry === undefined) {
          entry = slotString(packer, predicateRows[u]!, value);
          strings[u]!.set(value, entry);
        }
        kinds[cell] = KIND_STRING;
        nums[cell] = entry.key;
        if (entry.key > bounds[u]! && bounds[u]! >= 0) bounds[u] = entry.key;
        const results = entry.results;
        for (let r = 0; r < results.length; r++) {
          const i = predicateRows[u]![r]!.row * taskCount + t;
          const shift = (i & 3) << 1;
          predicateCodes[i >> 2] =
            (predicateCodes[i >> 2]! & ~(3 << shift)) | (results[r]! << shift);
        }
        continue;
      }

      // Step: arrays, whose elements go to the shared element column.
      if (Array.isArray(value)) {
        kinds[cell] = KIND_ARRAY;
        nums[cell] = value.length;
        if (value.length > bounds[u]! && bounds[u]! >= 0) bounds[u] = value.length;
        for (const element of value as unknown[]) {
          const kind = packer.scalarKind(element, scratch);
          packer.pushElement(kind, scratch[0]!);
        }
        continue;
      }

      // Step: numbers, booleans, missing values and objects.
      const kind = packer.scalarKind(value, scratch);
      const num = scratch[0]!;
      kinds[cell] = kind;
      nums[cell] = num;
      if (kind === KIND_NUMBER) {
        if (!(num >= 0 && Number.isInteger(num)) || Object.is(num, -0)) bounds[u] = -1;
        else if (num > bounds[u]! && bounds[u]! >= 0) bounds[u] = num;
      } else if (kind === KIND_BOOL && num > bounds[u]! && bounds[u]! >= 0) {
        bounds[u] = num;
      }
    }
  }

  const slots: (ValueColumn | null)[] = new Array<ValueColumn | null>(slotCount).fill(
    null,
  );
  for (let u = 0; u < usedCount; u++) {
    const start = u * taskCount;
    slots[usedList[u]!] = encodeColumn(
      kinds.subarray(start, start + taskCount),
      nums.subarray(start, start + taskCount),
      taskCount,
      bounds[u]!,
    );
  }
  const elementBound = payloadBound(packer.elemKind, packer.elemNum, packer.elemCount);
  return {
    taskCount,
    slotCount,
    taskType,
    completedBits,
    slots,
    elements: encodeColumn(
      packer.elemKind,
      packer.elemNum,
      packer.elemCount,
      elementBound,
    ),
    predicateCodes,
  };
}

/** Keys one distinct string of a slot and evaluates the slot's substring predicates on it. */
function slotString(
  packer: Packer,
  rows: PackPlan["predicatesBySlot"][number],
  raw: string,
): SlotString {
  const key = packer.keyOf(raw);
  const text = packer.normalised.get(raw)!;
  const results = new Uint8Array(rows.length);
  rows.forEach(({ operand, startsWith }, r) => {
    const holds = startsWith ? text.startsWith(operand) : text.includes(operand);
    results[r] = holds ? TRUE : FALSE;
  });
  return { key, results };
}
