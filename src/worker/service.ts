/**
 * The router service that runs inside the worker. It keeps the rule set (as
 * an engine `Router`, which applies rule edits incrementally), the live
 * capacity ledger, and the matcher: WASM when it loads, JS otherwise.
 *
 * Plans arrive packed (`PackedPlan`) with task indices instead of ids; the
 * service computes the layered order, expands and checks the value columns
 * against the tables, runs the matcher and returns packed outcomes.
 */

import { transfer } from "comlink";
import { layeredOrder } from "../engine/dag/order.js";
import { RouterError } from "../engine/errors.js";
import { Router } from "../engine/router/router.js";
import { assignBatch, createAssignOutput } from "../engine/router/match.js";
import { expandColumns } from "../engine/router/columns.js";
import {
  VIA_CAPABILITY,
  VIA_RULE,
  VIA_UNASSIGNED,
  type AssignOutput,
} from "../engine/router/tables.js";
import { parseRuleSet } from "../engine/schema/index.js";
import type { TaskTrace } from "../engine/types.js";
import type {
  CycleFound,
  EngineName,
  ExplainRequest,
  InitRequest,
  InitResult,
  PackedRoute,
  ReleaseRequest,
  RouteRequest,
  RouterServiceApi,
  RuleEdit,
  ServiceStats,
  TablesSnapshot,
} from "./protocol.js";
import { WasmMatcher, defaultWasmUrl } from "./wasm-matcher.js";

const DEFAULT_INIT: InitRequest = {
  kind: "init",
  engine: "wasm",
  initDelayMs: 0,
  wasmUrl: null,
};

function badBatch(message: string, details: Record<string, unknown> = {}): RouterError {
  return new RouterError(`invalid packed plan: ${message}`, {
    code: "E_BAD_BATCH",
    details,
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class RouterService implements RouterServiceApi {
  readonly #scope: string;
  #initRequest: InitRequest = DEFAULT_INIT;
  #ready: Promise<InitResult> | null = null;
  #isReady = false;
  #engine: EngineName = "js";
  #fallbackReason: string | null = null;
  #wasm: WasmMatcher | null = null;

  #router: Router | null = null;
  #version = 0;
  /** Capacity held by reservations, per agent index. */
  #ledger = new Int32Array(0);
  /** Agent index per task index of each reservation, -1 once released. */
  #reservations = new Map<number, Int32Array>();
  #nextReservation = 1;
  #routedBatches = 0;
  #routedTasks = 0;

  /** `scope` names the realm in stats, such as `DedicatedWorkerGlobalScope`. */
  constructor(scope: string) {
    this.#scope = scope;
  }

  /** Sets the engine and start options, then initialises; later calls only wait. */
  init(request: InitRequest): Promise<InitResult> {
    if (this.#ready === null) {
      this.#initRequest = { ...DEFAULT_INIT, ...request };
    }
    return this.#ensureReady();
  }

  #ensureReady(): Promise<InitResult> {
    this.#ready ??= this.#initialise(this.#initRequest);
    return this.#ready;
  }

  async #initialise(request: InitRequest): Promise<InitResult> {
    if (request.initDelayMs > 0) {
      await delay(request.initDelayMs);
    }
    if (request.engine === "wasm") {
      if (
        typeof WebAssembly !== "object" ||
        typeof WebAssembly.instantiate !== "function"
      ) {
        this.#fallbackReason = "WebAssembly is not available in this worker";
      } else {
        try {
          this.#wasm = await WasmMatcher.create(request.wasmUrl ?? defaultWasmUrl());
          this.#engine = "wasm";
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.#fallbackReason = `the WASM matcher failed to load: ${message}`;
        }
      }
    }
    this.#isReady = true;
    return {
      kind: "ready",
      engine: this.#engine,
      fallbackReason: this.#fallbackReason,
      scope: this.#scope,
    };
  }

  /** Validates and compiles a rule set; resets the ledger and reservations. */
  async loadRuleSet(input: unknown): Promise<TablesSnapshot> {
    await this.#ensureReady();
    const router = new Router(parseRuleSet(input));
    this.#router = router;
    this.#ledger = new Int32Array(router.tables.agentIds.length);
    this.#reservations.clear();
    return this.#snapshot();
  }

  /** Adds, removes or replaces one rule; agents and the ledger stay. */
  async editRule(edit: RuleEdit): Promise<TablesSnapshot> {
    await this.#ensureReady();
    const router = this.#requireRouter();
    switch (edit.kind) {
      case "addRule":
        router.addRule(edit.rule);
        break;
      case "removeRule":
        router.removeRule(edit.ruleId);
        break;
      case "replaceRule":
        router.replaceRule(edit.rule);
        break;
      default:
        throw new RouterError(
          `unknown rule edit ${String((edit satisfies never as RuleEdit).kind)}`,
          {
            code: "E_PROTOCOL",
          },
        );
    }
    return this.#snapshot();
  }

  async route(request: RouteRequest): Promise<PackedRoute | CycleFound> {
    await this.#ensureReady();
    const result = this.#routeOne(request);
    return transfer(result, transferables(result));
  }

  async routeBatch(requests: RouteRequest[]): Promise<(PackedRoute | CycleFound)[]> {
    await this.#ensureReady();
    const results = requests.map((request) => this.#routeOne(request));
    return transfer(results, results.flatMap(transferables));
  }

  /** Traces one task; `options.load` should be the start load that its route used. */
  async explain(request: ExplainRequest): Promise<TaskTrace> {
    await this.#ensureReady();
    return this.#requireRouter().trace(request.plan, request.taskId, request.options);
  }

  /** Releases reserved capacity; returns how many task slots were freed. */
  async release(request: ReleaseRequest): Promise<number> {
    await this.#ensureReady();
    const agents = this.#reservations.get(request.reservation);
    if (agents === undefined) {
      return 0;
    }
    let released = 0;
    for (const t of request.tasks) {
      const agent = agents[t];
      if (agent === undefined || agent < 0) continue;
      this.#ledger[agent] = this.#ledger[agent]! - 1;
      agents[t] = -1;
      released++;
    }
    if (agents.every((agent) => agent < 0)) {
      this.#reservations.delete(request.reservation);
    }
    return released;
  }

  /** Does not wait for init, so a slow start does not look like a dead worker. */
  async ping(): Promise<true> {
    return true;
  }

  async stats(): Promise<ServiceStats> {
    const tables = this.#router?.tables ?? null;
    return {
      kind: "stats",
      engine: this.#engine,
      fallbackReason: this.#fallbackReason,
      scope: this.#scope,
      ready: this.#isReady,
      tablesVersion: this.#version,
      tables:
        tables === null
          ? null
          : {
              types: tables.typeNames.length,
              slots: tables.slotPaths.length,
              strings: tables.stringValues.length,
              agents: tables.agentIds.length,
              rules: tables.ruleIds.length,
              leaves: tables.leafOp.length,
              codeWords: tables.code.length,
            },
      memoryBytes: this.#wasm?.memoryBytes ?? 0,
      ledger: Array.from(this.#ledger),
      routedBatches: this.#routedBatches,
      routedTasks: this.#routedTasks,
    };
  }

  async crash(delayMs: number): Promise<void> {
    const fail = (): never => {
      throw new Error("simulated worker crash");
    };
    // A microtask throws before the worker takes its next message.
    if (delayMs <= 0) queueMicrotask(fail);
    else setTimeout(fail, delayMs);
  }

  async throwValue(value: unknown): Promise<void> {
    throw value;
  }

  #requireRouter(): Router {
    if (this.#router === null) {
      throw new RouterError("no rule set is loaded: call loadRuleSet first", {
        code: "E_NO_RULE_SET",
      });
    }
    return this.#router;
  }

  #snapshot(): TablesSnapshot {
    const router = this.#requireRouter();
    this.#version++;
    return {
      kind: "tables",
      version: this.#version,
      tables: router.tables,
      ruleSet: router.ruleSet,
    };
  }

  #routeOne(request: RouteRequest): PackedRoute | CycleFound {
    const tables = this.#requireRouter().tables;
    if (request.tablesVersion !== this.#version) {
      throw new RouterError(
        `the plan was packed for rule-set version ${request.tablesVersion} but version ${this.#version} is loaded; pack it again`,
        {
          code: "E_STALE_TABLES",
          details: { packed: request.tablesVersion, loaded: this.#version },
        },
      );
    }
    const plan = request.plan;
    const taskCount = plan.columns.taskCount;
    if (plan.parentIndex !== null && plan.parentIndex.length !== taskCount) {
      throw badBatch(
        `parentIndex has ${plan.parentIndex.length} entries, expected ${taskCount}`,
      );
    }
    const agentCount = tables.agentIds.length;
    for (const [name, array] of [
      ["load", request.load],
      ["available", request.available],
    ] as const) {
      if (array !== null && array.length !== agentCount) {
        throw badBatch(
          `${name} has ${array.length} entries, expected ${agentCount} agents`,
        );
      }
    }

    // Step 1: the layered order, or the cycle that prevents it.
    const parentIndex = plan.parentIndex ?? new Int32Array(taskCount).fill(-1);
    let sorted;
    try {
      sorted = layeredOrder(taskCount, parentIndex, plan.depOffsets, plan.depTargets);
    } catch (error) {
      throw badBatch(error instanceof Error ? error.message : String(error));
    }
    if ("cycle" in sorted) {
      return { kind: "cycle", cycle: sorted.cycle as Int32Array<ArrayBuffer> };
    }

    // Step 2: start load is the caller's load plus capacity held by reservations.
    const load = new Int32Array(agentCount);
    for (let a = 0; a < agentCount; a++) {
      load[a] = (request.load?.[a] ?? 0) + this.#ledger[a]!;
    }
    const startLoad = load.slice();
    const available = request.available ?? new Uint8Array(agentCount).fill(1);
    // Step 3: expand the columns, checking every value, and match.
    const batch = expandColumns(tables, plan.columns, sorted.order);
    const output = createAssignOutput(taskCount);
    const input = { load, available };
    if (this.#wasm !== null) {
      this.#wasm.assignBatch(tables, batch, input, output);
    } else {
      assignBatch(tables, batch, input, output);
    }
    this.#routedBatches++;
    this.#routedTasks += taskCount;

    // Step 4: hold the assigned capacity when asked to.
    const reservation = request.reserve ? this.#reserve(output) : -1;
    return packOutcome(
      sorted.order as Int32Array<ArrayBuffer>,
      output,
      startLoad,
      reservation,
    );
  }

  #reserve(output: AssignOutput): number {
    const agents = new Int32Array(output.via.length).fill(-1);
    for (let t = 0; t < output.via.length; t++) {
      const via = output.via[t];
      if (via === VIA_RULE || via === VIA_CAPABILITY) {
        const agent = output.agent[t]!;
        agents[t] = agent;
        this.#ledger[agent] = this.#ledger[agent]! + 1;
      }
    }
    const id = this.#nextReservation++;
    this.#reservations.set(id, agents);
    return id;
  }
}

/** Packs matcher outputs into the compact form that crosses the boundary. */
function packOutcome(
  order: Int32Array<ArrayBuffer>,
  output: AssignOutput,
  startLoad: Int32Array<ArrayBuffer>,
  reservation: number,
): PackedRoute {
  const count = output.via.length;
  const outcome = new Int32Array(count);
  let blockedCount = 0;
  for (let t = 0; t < count; t++) {
    const via = output.via[t];
    if (via === VIA_RULE) outcome[t] = output.rule[t]!;
    else if (via === VIA_CAPABILITY) outcome[t] = output.agent[t]!;
    else if (via === VIA_UNASSIGNED) outcome[t] = output.reason[t]!;
    if (output.blockedRule[t]! >= 0) blockedCount++;
  }
  const blocked = new Int32Array(2 * blockedCount);
  let k = 0;
  for (let t = 0; t < count && k < blocked.length; t++) {
    const rule = output.blockedRule[t]!;
    if (rule >= 0) {
      blocked[k++] = t;
      blocked[k++] = rule;
    }
  }
  return {
    kind: "routed",
    order,
    via: output.via as Uint8Array<ArrayBuffer>,
    outcome,
    loadBefore: output.loadBefore as Int32Array<ArrayBuffer>,
    blocked,
    startLoad,
    reservation,
  };
}

function transferables(result: PackedRoute | CycleFound): ArrayBuffer[] {
  if (result.kind === "cycle") {
    return [result.cycle.buffer];
  }
  return [
    result.order.buffer,
    result.via.buffer,
    result.outcome.buffer,
    result.loadBefore.buffer,
    result.blocked.buffer,
    result.startLoad.buffer,
  ];
}
