/**
 * Host side of the WASM matcher: loads `build/release.wasm`, copies compiled
 * tables and task batches into its linear memory, runs `assign` and copies
 * the outputs back. It has the same contract as the JS `assignBatch`.
 *
 * Memory layout, from the module's data start: the call header, the tables
 * (rewritten only when a different tables object arrives), then the batch,
 * the per-call state, the outputs and the evaluation stack. Regions are
 * reused on every call, so memory grows only when a batch is larger than all
 * earlier ones. Views on `memory.buffer` are taken after any growth.
 */

import { RouterError } from "../engine/errors.js";
import type {
  AssignInput,
  AssignOutput,
  CompiledTables,
  TaskBatch,
} from "../engine/router/tables.js";
import * as L from "./wasm-layout.js";

interface MatcherExports {
  memory: WebAssembly.Memory;
  assign(header: number): number;
  headerWords(): number;
  dataStart(): number;
}

const PAGE_BYTES = 65536;

const STATUS_MESSAGES: Record<number, string> = {
  [L.E_TASK_TYPE]: "a task's type id is outside the tables",
  [L.E_ORDER_INDEX]: "an order entry is not a task index",
  [L.E_SLOT]: "a rule leaf names a slot outside the batch",
  [L.E_ARRAY_RANGE]: "an array slot points outside the element arrays",
  [L.E_STACK]: "a rule's bytecode needs a deeper stack than reserved",
  [L.E_BYTECODE]: "a rule's bytecode is malformed",
  [L.E_OPERATOR]: "a rule leaf has an unknown operator number",
  [L.E_RULE_AGENT]: "a rule names an agent index outside the registry",
};

/** Default location of the module, valid from `src/worker/` and from `dist/worker/`. */
export function defaultWasmUrl(): URL {
  return new URL("../../build/release.wasm", import.meta.url);
}

/**
 * Compiles the matcher module from a URL: streaming for http(s) and data
 * URLs, `fs.readFile` for file URLs under Node.
 */
export async function compileMatcherModule(
  url: URL | string,
): Promise<WebAssembly.Module> {
  const href = new URL(String(url));
  if (href.protocol === "file:") {
    // A variable specifier keeps `node:fs/promises` out of browser bundles.
    const fsModule = "node:fs/promises";
    const fs = (await import(/* @vite-ignore */ fsModule)) as {
      readFile(path: URL): Promise<Uint8Array<ArrayBuffer>>;
    };
    return WebAssembly.compile(await fs.readFile(href));
  }
  const response = await fetch(href);
  if (!response.ok) {
    throw new RouterError(
      `failed to fetch the WASM matcher from ${href.href}: HTTP ${response.status}`,
      { code: "E_WASM_LOAD", details: { url: href.href, status: response.status } },
    );
  }
  if (typeof WebAssembly.compileStreaming === "function") {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

type AnyTypedArray =
  | Int32Array<ArrayBufferLike>
  | Uint8Array<ArrayBufferLike>
  | Float64Array<ArrayBufferLike>;

/** One array to copy into linear memory, and the header word for its address. */
interface Placement {
  word: number;
  array: AnyTypedArray;
  address: number;
}

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

export class WasmMatcher {
  private readonly exports: MatcherExports;
  private readonly headerAddress: number;
  private readonly tablesStart: number;
  private tables: CompiledTables | null = null;
  private tablesEnd = 0;
  private stackCapacity = 1;

  private constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as MatcherExports;
    if (this.exports.headerWords() !== L.HEADER_WORDS) {
      throw new RouterError(
        `the WASM matcher expects ${this.exports.headerWords()} header words but the host writes ${L.HEADER_WORDS}; rebuild with npm run build:wasm`,
        { code: "E_WASM_LOAD" },
      );
    }
    this.headerAddress = alignUp(this.exports.dataStart(), 8);
    this.tablesStart = alignUp(this.headerAddress + L.HEADER_WORDS * 4, 8);
  }

  /** Instantiates the matcher from a compiled module, or from a URL. */
  static async create(source: WebAssembly.Module | URL | string = defaultWasmUrl()) {
    const module =
      source instanceof WebAssembly.Module ? source : await compileMatcherModule(source);
    const instance = await WebAssembly.instantiate(module, {
      env: {
        abort(_message: number, _file: number, line: number, column: number): never {
          throw new RouterError(`WASM matcher aborted at ${line}:${column}`, {
            code: "E_WASM_ABORT",
          });
        },
      },
    });
    return new WasmMatcher(instance);
  }

  /** Size of the linear memory in bytes. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /**
   * Routes `batch` with `tables`, updating `input.load` in place and filling
   * `output`, exactly like the JS `assignBatch`.
   */
  assignBatch(
    tables: CompiledTables,
    batch: TaskBatch,
    input: AssignInput,
    output: AssignOutput,
  ): void {
    if (tables !== this.tables) {
      this.layOutTables(tables);
    }
    const placements = this.layOutBatch(batch, input, output);
    const end = placements.reduce(
      (max, p) => Math.max(max, p.address + p.array.byteLength),
      this.tablesEnd,
    );
    this.ensureMemory(end + this.stackCapacity);

    // Views are taken only now, after the last possible growth.
    const bytes = new Uint8Array(this.exports.memory.buffer);
    const header = new Int32Array(
      this.exports.memory.buffer,
      this.headerAddress,
      L.HEADER_WORDS,
    );
    for (const p of placements) {
      bytes.set(
        new Uint8Array(p.array.buffer, p.array.byteOffset, p.array.byteLength),
        p.address,
      );
      header[p.word] = p.address;
    }
    header[L.H_TASK_COUNT] = batch.taskCount;
    header[L.H_SLOT_COUNT] = batch.slotCount;
    header[L.H_ELEM_COUNT] = batch.elemKind.length;
    header[L.H_ORDER_LENGTH] = batch.order.length;
    header[L.H_STACK] = end;
    header[L.H_STACK_CAPACITY] = this.stackCapacity;

    const status = this.exports.assign(this.headerAddress);
    if (status !== L.OK) {
      const task = header[L.H_ERROR_TASK];
      throw new RouterError(
        `the WASM matcher rejected the batch at task index ${task}: ${STATUS_MESSAGES[status] ?? `status ${status}`}`,
        { code: "E_BAD_BATCH", details: { status, task } },
      );
    }

    // Step: copy outputs and the updated load back to the caller's arrays.
    const read = (word: number, target: AnyTypedArray): void => {
      const address = header[word]!;
      new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(
        bytes.subarray(address, address + target.byteLength),
      );
    };
    read(L.H_LOAD, input.load);
    read(L.H_OUT_VIA, output.via);
    read(L.H_OUT_AGENT, output.agent);
    read(L.H_OUT_RULE, output.rule);
    read(L.H_OUT_REASON, output.reason);
    read(L.H_OUT_LOAD_BEFORE, output.loadBefore);
    read(L.H_OUT_BLOCKED_RULE, output.blockedRule);
  }

  private ensureMemory(bytes: number): void {
    const current = this.exports.memory.buffer.byteLength;
    if (bytes > current) {
      this.exports.memory.grow(Math.ceil((bytes - current) / PAGE_BYTES));
    }
  }

  /** Copies the tables into their region; runs once per tables object. */
  private layOutTables(tables: CompiledTables): void {
    const arrays: [number, AnyTypedArray][] = [
      [L.H_AGENT_MAX_CONCURRENT, tables.agentMaxConcurrent],
      [L.H_AGENT_SUCCESS_RATE, tables.agentSuccessRate],
      [L.H_CAPABLE_OFFSETS, tables.capableOffsets],
      [L.H_CAPABLE_AGENTS, tables.capableAgents],
      [L.H_RULE_AGENT, tables.ruleAgent],
      [L.H_RULE_CODE_OFFSETS, tables.ruleCodeOffsets],
      [L.H_CODE, tables.code],
      [L.H_CANDIDATE_OFFSETS, tables.candidateOffsets],
      [L.H_CANDIDATE_RULES, tables.candidateRules],
      [L.H_LEAF_SLOT, tables.leafSlot],
      [L.H_LEAF_OP, tables.leafOp],
      [L.H_LEAF_KIND, tables.leafKind],
      [L.H_LEAF_NUM, tables.leafNum],
      [L.H_LEAF_KIND2, tables.leafKind2],
      [L.H_LEAF_NUM2, tables.leafNum2],
      [L.H_LEAF_LIST_OFFSETS, tables.leafListOffsets],
      [L.H_LIST_KIND, tables.listKind],
      [L.H_LIST_NUM, tables.listNum],
      [L.H_LEAF_PREDICATE, tables.leafPredicate],
    ];
    let cursor = this.tablesStart;
    const placements: Placement[] = arrays.map(([word, array]) => {
      const address = cursor;
      cursor = alignUp(cursor + array.byteLength, 8);
      return { word, array, address };
    });
    this.ensureMemory(cursor);

    const bytes = new Uint8Array(this.exports.memory.buffer);
    const header = new Int32Array(
      this.exports.memory.buffer,
      this.headerAddress,
      L.HEADER_WORDS,
    );
    for (const p of placements) {
      bytes.set(
        new Uint8Array(p.array.buffer, p.array.byteOffset, p.array.byteLength),
        p.address,
      );
      header[p.word] = p.address;
    }
    header[L.H_TYPE_COUNT] = tables.typeNames.length;
    header[L.H_AGENT_COUNT] = tables.agentIds.length;
    header[L.H_RULE_COUNT] = tables.ruleIds.length;
    header[L.H_LEAF_COUNT] = tables.leafOp.length;

    this.stackCapacity = Math.max(1, tables.stackDepth);
    this.tables = tables;
    this.tablesEnd = cursor;
  }

  /** Addresses for one call's batch, state and outputs, after the tables. */
  private layOutBatch(
    batch: TaskBatch,
    input: AssignInput,
    output: AssignOutput,
  ): Placement[] {
    const arrays: [number, AnyTypedArray][] = [
      [L.H_TASK_TYPE, batch.taskType],
      [L.H_TASK_COMPLETED, batch.taskCompleted],
      [L.H_SLOT_KIND, batch.slotKind],
      [L.H_SLOT_NUM, batch.slotNum],
      [L.H_SLOT_AUX, batch.slotAux],
      [L.H_ELEM_KIND, batch.elemKind],
      [L.H_ELEM_NUM, batch.elemNum],
      [L.H_PREDICATES, batch.predicates],
      [L.H_ORDER, batch.order],
      [L.H_LOAD, input.load],
      [L.H_AVAILABLE, input.available],
      [L.H_OUT_VIA, output.via],
      [L.H_OUT_AGENT, output.agent],
      [L.H_OUT_RULE, output.rule],
      [L.H_OUT_REASON, output.reason],
      [L.H_OUT_LOAD_BEFORE, output.loadBefore],
      [L.H_OUT_BLOCKED_RULE, output.blockedRule],
    ];
    let cursor = this.tablesEnd;
    return arrays.map(([word, array]) => {
      const address = cursor;
      cursor = alignUp(cursor + array.byteLength, 8);
      return { word, array, address };
    });
  }
}
