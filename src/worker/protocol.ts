/**
 * Messages and results that cross the worker boundary. Types only: the
 * service implements them (`service.ts`), the client sends them
 * (`client.ts`). Everything large is a typed array whose buffer is
 * transferred, and no task id crosses: tasks are plain indices on this side.
 */

import type { ColumnBatch } from "../engine/router/columns.js";
import type { CompiledTables } from "../engine/router/tables.js";
import type { Rule, RuleSet, TaskTrace, RouteOptions, Plan } from "../engine/types.js";

/** Matcher that routes batches inside the worker. */
export type EngineName = "wasm" | "js";

/** Sent once by the client after it starts a worker. */
export interface InitRequest {
  kind: "init";
  /** Preferred matcher; `wasm` falls back to `js` when WebAssembly is unavailable. */
  engine: EngineName;
  /** Delay in ms before the worker finishes initialising; for testing slow starts. */
  initDelayMs: number;
  /** Location of the WASM module; absent means the `build/release.wasm` shipped with the package. */
  wasmUrl: string | null;
}

export interface InitResult {
  kind: "ready";
  engine: EngineName;
  /** Reason the JS matcher runs although WASM was requested; null otherwise. */
  fallbackReason: string | null;
  /** Realm the service runs in, such as `DedicatedWorkerGlobalScope` or `worker_threads`. */
  scope: string;
}

/**
 * The compiled tables and the rule data that the client needs to pack plans
 * and to write explanations. The version changes on every load and edit.
 */
export interface TablesSnapshot {
  kind: "tables";
  version: number;
  tables: CompiledTables;
  /** The rule set after validation, defaults and edits. */
  ruleSet: RuleSet;
}

/**
 * One plan packed on the calling side: the task fields as value columns
 * (`ColumnBatch`, documented in `engine/router/columns.ts`) and the
 * hierarchy as task indices. The worker computes the routing order from the
 * dependency lists.
 */
export interface PackedPlan {
  columns: ColumnBatch;
  /** Parent task index per task, -1 for none; null when no task has a parent. */
  parentIndex: Int32Array<ArrayBuffer> | null;
  /** Dependencies in CSR form: task t depends on `depTargets[depOffsets[t]..depOffsets[t+1]]`. */
  depOffsets: Int32Array<ArrayBuffer>;
  depTargets: Int32Array<ArrayBuffer>;
}

export interface RouteRequest {
  kind: "route";
  /** Tables version the plan was packed with; a stale version is rejected. */
  tablesVersion: number;
  plan: PackedPlan;
  /** Starting load per agent index, added to the live ledger; null means zeros. */
  load: Int32Array<ArrayBuffer> | null;
  /** 1 per agent index that may receive tasks; null means every agent. */
  available: Uint8Array<ArrayBuffer> | null;
  /** Keep the assigned capacity in the live ledger until released. */
  reserve: boolean;
}

/** Per-task outcome of routing, indexed by task index. */
export interface PackedRoute {
  kind: "routed";
  /** Routing order as task indices. */
  order: Int32Array<ArrayBuffer>;
  /** VIA_* code per task. */
  via: Uint8Array<ArrayBuffer>;
  /**
   * Rule index for VIA_RULE, agent index for VIA_CAPABILITY, REASON_* code
   * for VIA_UNASSIGNED, 0 for VIA_SKIPPED.
   */
  outcome: Int32Array<ArrayBuffer>;
  /** Agent's load just before the task was assigned to it, or 0. */
  loadBefore: Int32Array<ArrayBuffer>;
  /**
   * Pairs (task index, rule index) for tasks not won by a rule whose first
   * matching rule's agent was unavailable or full (`AssignOutput.blockedRule`).
   */
  blocked: Int32Array<ArrayBuffer>;
  /** Load per agent index when routing started (caller load plus ledger). */
  startLoad: Int32Array<ArrayBuffer>;
  /** Reservation to pass to `release`, or -1 when `reserve` was off. */
  reservation: number;
}

/** A plan whose dependencies form a cycle: task indices, first repeated last. */
export interface CycleFound {
  kind: "cycle";
  cycle: Int32Array<ArrayBuffer>;
}

export interface ReleaseRequest {
  kind: "release";
  reservation: number;
  /** Task indices of the reservation to release. */
  tasks: Int32Array<ArrayBuffer>;
}

export interface ExplainRequest {
  kind: "explain";
  plan: Plan;
  taskId: string;
  options: RouteOptions;
}

export type RuleEdit =
  | { kind: "addRule"; rule: Rule; index: number | null }
  | { kind: "removeRule"; ruleId: string }
  | { kind: "replaceRule"; rule: Rule };

export interface ServiceStats {
  kind: "stats";
  engine: EngineName;
  /** Reason the JS matcher runs although WASM was requested; null otherwise. */
  fallbackReason: string | null;
  scope: string;
  ready: boolean;
  tablesVersion: number;
  tables: {
    types: number;
    slots: number;
    strings: number;
    agents: number;
    rules: number;
    leaves: number;
    codeWords: number;
  } | null;
  /** Bytes of WASM linear memory, 0 on the JS matcher. */
  memoryBytes: number;
  /** Capacity held in the live ledger per agent index. */
  ledger: number[];
  routedBatches: number;
  routedTasks: number;
}

/** The methods the worker exposes through Comlink. */
export interface RouterServiceApi {
  init(request: InitRequest): Promise<InitResult>;
  loadRuleSet(ruleSet: unknown): Promise<TablesSnapshot>;
  editRule(edit: RuleEdit): Promise<TablesSnapshot>;
  route(request: RouteRequest): Promise<PackedRoute | CycleFound>;
  routeBatch(requests: RouteRequest[]): Promise<(PackedRoute | CycleFound)[]>;
  explain(request: ExplainRequest): Promise<TaskTrace>;
  release(request: ReleaseRequest): Promise<number>;
  stats(): Promise<ServiceStats>;
  /** Replies at once, even while the worker is starting; the client's liveness check. */
  ping(): Promise<true>;
  /** Throws an uncaught error in the worker after `delayMs`; for testing crash recovery. */
  crash(delayMs: number): Promise<void>;
  /** Throws `value` as is; for testing how errors cross the boundary. */
  throwValue(value: unknown): Promise<void>;
}
