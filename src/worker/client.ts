/**
 * The calling side of the worker-hosted router. `createRouter()` starts a
 * module worker (browsers) or a worker_threads worker (Node), wraps it with
 * Comlink and returns a `RouterClient`.
 *
 * Plans are packed here into typed arrays whose buffers are transferred;
 * task ids never leave this side. Results come back packed and are turned
 * into `RouteResult` objects only when read. Every call has a timeout and
 * may take an AbortSignal. When a worker dies, the calls in flight reject,
 * and the next call starts a new worker with the same rule set and edits.
 */

import { transfer, wrap, type Remote } from "comlink";
import { CycleError, PlanError, RouterError } from "../engine/errors.js";
import { IdIndex } from "../engine/dag/id-index.js";
import { checkPlanShape } from "../engine/router/plan-shape.js";
import { columnBuffers } from "../engine/router/columns.js";
import { packColumns } from "../engine/router/pack.js";
import {
  RouteResultView,
  createResultContext,
  type ResultContext,
  type TaskLabels,
} from "../engine/router/result.js";
import {
  VIA_CAPABILITY,
  VIA_RULE,
  VIA_UNASSIGNED,
  type AssignOutput,
  type CompiledTables,
} from "../engine/router/tables.js";
import type {
  Plan,
  RouteOptions,
  RouteResult,
  Rule,
  RuleSet,
  Task,
  TaskTrace,
} from "../engine/types.js";
import { installErrorHandler } from "./errors.js";
import type {
  CycleFound,
  EngineName,
  PackedPlan,
  PackedRoute,
  RouteRequest,
  RouterServiceApi,
  RuleEdit,
  ServiceStats,
  TablesSnapshot,
} from "./protocol.js";
import { startWorker, type WorkerHandle, type RawWorker } from "./spawn.js";

export type { EngineName, ServiceStats } from "./protocol.js";
export type { RawWorker } from "./spawn.js";

/** Default per-call timeout in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Time in ms a worker has to reply to a ping after one of its calls timed out
 * before the client treats it as dead. The ping queues behind the work
 * already sent, so a worker still busy after this long is restarted too.
 * NOTE: a fixed guess. It suits a worker that loads in well under a second
 * and a call that finishes soon after its own timeout.
 */
export const PING_TIMEOUT_MS = 1_000;

export interface CreateRouterOptions {
  /** Matcher in the worker: `wasm` (default; falls back to JS when WebAssembly is unavailable) or `js`. */
  engine?: EngineName;
  /** Per-call timeout in ms, including the wait for a starting worker (default 30000). */
  timeoutMs?: number;
  /** Rule set to load when the worker starts. */
  ruleSet?: RuleSet;
  /** Worker module to start instead of the bundled entry, for custom builds. */
  workerUrl?: URL | string;
  /** Location of the WASM matcher, for hosts that serve it elsewhere. */
  wasmUrl?: URL | string;
  /** Extra delay in ms before the worker reports ready; simulates a slow start. */
  initDelayMs?: number;
  /**
   * Called with each worker the client starts, including restarts. In
   * browsers, calling `terminate()` on this worker notifies the client, which
   * rejects the calls in flight and starts a new worker on the next call.
   */
  onWorkerStart?: (worker: RawWorker) => void;
}

/** Per-call options. */
export interface CallOptions {
  /** Overrides the client's timeout for this call, in ms. */
  timeoutMs?: number;
  /** Rejects the call when aborted. The worker may still finish the work. */
  signal?: AbortSignal;
}

export interface RouteCallOptions extends RouteOptions, CallOptions {
  /** Hold the assigned capacity in the worker's ledger until `release`. */
  reserve?: boolean;
}

/** Summary of the rule set after a load or an edit. */
export interface RuleSetInfo {
  name: string;
  version: number;
  agents: number;
  rules: number;
}

/** Bytes that crossed the boundary in the last route call, both directions. */
export interface TransferStats {
  tasks: number;
  bytesSent: number;
  bytesReceived: number;
  /** (sent + received) / tasks; 0 for an empty call. */
  bytesPerTask: number;
}

export interface ClientStats extends ServiceStats {
  /** Workers started by this client, restarts included. */
  workersStarted: number;
  lastTransfer: TransferStats | null;
}

export interface RouterClient {
  /** Validates and compiles a rule set in the worker; clears the capacity ledger. */
  loadRuleSet(ruleSet: unknown, options?: CallOptions): Promise<RuleSetInfo>;
  /** Routes a plan in layered DAG order. */
  route(plan: Plan, options?: RouteCallOptions): Promise<RouteResult>;
  /**
   * Routes several plans in one round trip, each from the same start load.
   * A plan with a cycle or a bad reference rejects the whole batch.
   */
  routeBatch(plans: readonly Plan[], options?: RouteCallOptions): Promise<RouteResult[]>;
  /** Traces one task of a plan: every candidate rule tried and the fallback. */
  trace(
    plan: Plan,
    taskId: string,
    options?: RouteOptions & CallOptions,
  ): Promise<TaskTrace>;
  /** Traces one task of the last routed plan with the loads that route started from. */
  explain(taskId: string, options?: CallOptions): Promise<TaskTrace>;
  addRule(rule: Rule, options?: CallOptions): Promise<RuleSetInfo>;
  removeRule(ruleId: string, options?: CallOptions): Promise<RuleSetInfo>;
  replaceRule(rule: Rule, options?: CallOptions): Promise<RuleSetInfo>;
  /** Frees capacity reserved by `route(plan, {reserve: true})`; returns the slots freed. */
  release(taskIds: readonly string[], options?: CallOptions): Promise<number>;
  stats(options?: CallOptions): Promise<ClientStats>;
  /** Stops the worker; calls in flight and later calls reject. */
  terminate(): void;
}

/** A ping sent to a worker whose call timed out. */
interface Probe {
  done: Promise<void>;
  /** Stops the probe and lets the calls waiting on it continue. */
  end(): void;
}

/** One running worker and the calls waiting on it. */
interface Session {
  handle: WorkerHandle;
  remote: Remote<RouterServiceApi>;
  ready: Promise<void>;
  isReady: boolean;
  /** Rejecters of calls in flight on this worker. */
  inflight: Set<(error: Error) => void>;
  dead: boolean;
}

/** A plan packed for the worker, with what is needed to unpack its result. */
interface PackedCall {
  request: RouteRequest;
  labels: TaskLabels;
  available: Uint8Array;
  bytes: number;
}

/**
 * Starts a worker-hosted router. The worker starts in the background; calls
 * wait for it. When loading `options.ruleSet` fails, the worker is stopped
 * before the returned promise rejects.
 */
export async function createRouter(
  options: CreateRouterOptions = {},
): Promise<RouterClient> {
  installErrorHandler();
  const client = new WorkerRouterClient(options);
  if (options.ruleSet !== undefined) {
    try {
      await client.loadRuleSet(options.ruleSet);
    } catch (error) {
      // The caller never receives the client, so only this function can stop its worker.
      client.terminate();
      throw error;
    }
  }
  return client;
}

class WorkerRouterClient implements RouterClient {
  readonly #options: CreateRouterOptions;
  readonly #timeoutMs: number;
  #session: Session | null = null;
  /** The ping of a suspect worker; new calls wait for its outcome. */
  #probe: Probe | null = null;
  #terminated = false;
  #workersStarted = 0;

  #snapshot: TablesSnapshot | null = null;
  #context: ResultContext | null = null;
  /** Edits and loads run one after another; routes wait for them. */
  #ruleChain: Promise<unknown> = Promise.resolve();
  #lastRoute: { plan: Plan; options: RouteOptions } | null = null;
  #lastTransfer: TransferStats | null = null;
  /** Reservations per task id: [reservation, task index] pairs. */
  #reserved = new Map<string, [number, number][]>();

  constructor(options: CreateRouterOptions) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  loadRuleSet(ruleSet: unknown, options: CallOptions = {}): Promise<RuleSetInfo> {
    return this.#changeRules(options, (remote) => remote.loadRuleSet(ruleSet), true);
  }

  addRule(rule: Rule, options: CallOptions = {}): Promise<RuleSetInfo> {
    return this.#edit({ kind: "addRule", rule, index: null }, options);
  }

  removeRule(ruleId: string, options: CallOptions = {}): Promise<RuleSetInfo> {
    return this.#edit({ kind: "removeRule", ruleId }, options);
  }

  replaceRule(rule: Rule, options: CallOptions = {}): Promise<RuleSetInfo> {
    return this.#edit({ kind: "replaceRule", rule }, options);
  }

  async route(plan: Plan, options: RouteCallOptions = {}): Promise<RouteResult> {
    const [result] = await this.#routePlans([plan], options, false);
    return result!;
  }

  routeBatch(
    plans: readonly Plan[],
    options: RouteCallOptions = {},
  ): Promise<RouteResult[]> {
    return this.#routePlans(plans, options, true);
  }

  trace(
    plan: Plan,
    taskId: string,
    options: RouteOptions & CallOptions = {},
  ): Promise<TaskTrace> {
    try {
      checkPlanShape(plan);
    } catch (error) {
      return Promise.reject(error);
    }
    const routeOptions: RouteOptions = {};
    if (options.load !== undefined) routeOptions.load = options.load;
    if (options.availableAgents !== undefined) {
      routeOptions.availableAgents = options.availableAgents;
    }
    return this.#call(options, async (remote) => {
      await this.#ruleChain;
      return remote.explain({ kind: "explain", plan, taskId, options: routeOptions });
    });
  }

  explain(taskId: string, options: CallOptions = {}): Promise<TaskTrace> {
    const last = this.#lastRoute;
    if (last === null) {
      return Promise.reject(
        new RouterError(
          "explain needs a routed plan: call route first, or use trace(plan, taskId)",
          {
            code: "E_NO_ROUTE",
          },
        ),
      );
    }
    return this.trace(last.plan, taskId, { ...last.options, ...options });
  }

  async release(taskIds: readonly string[], options: CallOptions = {}): Promise<number> {
    const byReservation = new Map<number, number[]>();
    for (const id of taskIds) {
      for (const [reservation, task] of this.#reserved.get(id) ?? []) {
        const tasks = byReservation.get(reservation) ?? [];
        tasks.push(task);
        byReservation.set(reservation, tasks);
      }
      this.#reserved.delete(id);
    }
    if (byReservation.size === 0) return 0;
    return this.#call(options, async (remote) => {
      let released = 0;
      for (const [reservation, tasks] of byReservation) {
        released += await remote.release({
          kind: "release",
          reservation,
          tasks: Int32Array.from(tasks),
        });
      }
      return released;
    });
  }

  async stats(options: CallOptions = {}): Promise<ClientStats> {
    const stats = await this.#call(options, (remote) => remote.stats());
    return {
      ...stats,
      workersStarted: this.#workersStarted,
      lastTransfer: this.#lastTransfer,
    };
  }

  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    this.#probe?.end();
    const session = this.#session;
    this.#session = null;
    if (session !== null) {
      this.#kill(
        session,
        new RouterError("the router was terminated", { code: "E_TERMINATED" }),
      );
    }
  }

  // Rule-set state.

  #edit(edit: RuleEdit, options: CallOptions): Promise<RuleSetInfo> {
    return this.#changeRules(options, (remote) => remote.editRule(edit), false);
  }

  /**
   * Runs rule changes one after another. Each change waits for the previous
   * one inside its own call, so its timeout and abort signal cover the wait,
   * and a change whose call settled while waiting is never sent.
   */
  #changeRules(
    options: CallOptions,
    send: (remote: Remote<RouterServiceApi>) => Promise<TablesSnapshot>,
    isLoad: boolean,
  ): Promise<RuleSetInfo> {
    const previous = this.#ruleChain;
    const run = this.#call(options, async (remote, throwIfSettled) => {
      await previous;
      throwIfSettled();
      const snapshot = await send(remote);
      this.#install(snapshot);
      if (isLoad) this.#reserved.clear();
      return {
        name: snapshot.ruleSet.name,
        version: snapshot.version,
        agents: snapshot.ruleSet.agents.length,
        rules: snapshot.ruleSet.rules.length,
      };
    });
    this.#ruleChain = run.catch(() => undefined);
    return run;
  }

  #install(snapshot: TablesSnapshot): void {
    this.#snapshot = snapshot;
    this.#context = createResultContext(snapshot.tables, snapshot.ruleSet);
  }

  // Routing.

  async #routePlans(
    plans: readonly Plan[],
    options: RouteCallOptions,
    batched: boolean,
  ): Promise<RouteResult[]> {
    if (!Array.isArray(plans)) {
      throw new PlanError("Invalid routeBatch input: expected an array of plans.", {
        code: "E_PLAN_SCHEMA",
        path: [],
      });
    }
    plans.forEach((plan, k) => checkPlanShape(plan, batched ? [k] : []));
    return this.#call(options, async (remote, throwIfSettled) => {
      await this.#ruleChain;
      // A reserving route sent after its call settled would hold capacity that is never released.
      throwIfSettled();
      const snapshot = this.#snapshot;
      const context = this.#context;
      if (snapshot === null || context === null) {
        throw new RouterError("no rule set is loaded: call loadRuleSet first", {
          code: "E_NO_RULE_SET",
        });
      }
      const calls = plans.map((plan) => packPlan(snapshot, plan, options));
      const requests = calls.map((call) => call.request);
      const buffers = requests.flatMap(requestBuffers);
      const responses = batched
        ? await remote.routeBatch(transfer(requests, buffers))
        : [await remote.route(transfer(requests[0]!, buffers))];

      let sent = 0;
      let received = 0;
      let tasks = 0;
      const results = responses.map((response, i) => {
        const call = calls[i]!;
        const plan = plans[i]!;
        sent += call.bytes;
        received += responseBytes(response);
        tasks += plan.tasks.length;
        if (response.kind === "cycle") {
          throw cycleError(plan, response);
        }
        this.#recordReservation(response, call);
        return lazyResult(context, call, response);
      });
      this.#lastTransfer = {
        tasks,
        bytesSent: sent,
        bytesReceived: received,
        bytesPerTask: tasks === 0 ? 0 : (sent + received) / tasks,
      };
      const last = plans[plans.length - 1];
      const lastResponse = responses[responses.length - 1];
      if (last !== undefined && lastResponse?.kind === "routed") {
        this.#lastRoute = {
          plan: last,
          options: startOptions(snapshot.tables, lastResponse, options),
        };
      }
      return results;
    });
  }

  #recordReservation(response: PackedRoute, call: PackedCall): void {
    if (response.reservation < 0) return;
    for (let t = 0; t < response.via.length; t++) {
      const via = response.via[t];
      if (via !== VIA_RULE && via !== VIA_CAPABILITY) continue;
      const id = call.labels.ids[t]!;
      const entries = this.#reserved.get(id) ?? [];
      entries.push([response.reservation, t]);
      this.#reserved.set(id, entries);
    }
  }

  // Worker lifecycle and calls.

  /**
   * Runs `body` against the current worker once it is ready, with the
   * deadline and abort signal of `options`. The deadline covers the wait for
   * a starting worker and for the probe of a suspect one. A body that awaits
   * calls `throwIfSettled` before it sends work whose result would be dropped.
   */
  #call<T>(
    options: CallOptions,
    body: (remote: Remote<RouterServiceApi>, throwIfSettled: () => void) => Promise<T>,
  ): Promise<T> {
    if (this.#terminated) {
      return Promise.reject(terminatedError());
    }
    if (options.signal?.aborted) {
      return Promise.reject(abortError(options.signal));
    }
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;

    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let session: Session | null = null;
      const finish = (): void => {
        settled = true;
        clearTimeout(timer);
        session?.inflight.delete(fail);
        options.signal?.removeEventListener("abort", onAbort);
      };
      const fail = (error: Error): void => {
        if (settled) return;
        finish();
        reject(error);
      };
      const throwIfSettled = (): void => {
        if (settled)
          throw new RouterError("the call already settled", { code: "E_SETTLED" });
      };
      const onAbort = (): void => fail(abortError(options.signal!));
      const timer = setTimeout(() => {
        fail(timeoutError(session?.isReady === true, timeoutMs));
        if (session !== null) this.#startProbe(session);
      }, timeoutMs);
      options.signal?.addEventListener("abort", onAbort);

      const run = async (): Promise<void> => {
        while (this.#probe !== null) await this.#probe.done;
        throwIfSettled();
        if (this.#terminated) throw terminatedError();
        // No await between choosing the session and registering the call,
        // so a death in between cannot miss it.
        const current = this.#ensureSession();
        session = current;
        current.inflight.add(fail);
        await current.ready;
        throwIfSettled();
        const value = await body(current.remote, throwIfSettled);
        if (settled) return;
        finish();
        resolve(value);
      };
      run().catch((error: unknown) =>
        fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  /**
   * Pings a worker after one of its calls timed out, and kills it when no
   * reply comes within PING_TIMEOUT_MS. Browsers fire no event when a
   * worker is terminated, so silence is the only sign of a dead one.
   */
  #startProbe(session: Session): void {
    if (session.dead || this.#probe !== null) return;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const end = (): void => {
      clearTimeout(timer);
      if (this.#probe === probe) this.#probe = null;
      resolveDone();
    };
    const probe: Probe = { done, end };
    const timer = setTimeout(() => {
      if (!session.dead) {
        this.#kill(
          session,
          new RouterError(
            `the router worker did not reply to a ping within ${PING_TIMEOUT_MS} ms after a call timed out; it was stopped and the next call starts a new worker`,
            { code: "E_WORKER_DIED", details: { reason: "no reply to ping" } },
          ),
        );
      }
      end();
    }, PING_TIMEOUT_MS);
    this.#probe = probe;
    // Any reply, even an error, shows that the worker still runs.
    session.remote.ping().then(end, end);
  }

  #ensureSession(): Session {
    if (this.#session !== null && !this.#session.dead) {
      return this.#session;
    }
    const handle = startWorker(this.#options.workerUrl);
    this.#workersStarted++;
    const remote = wrap<RouterServiceApi>(handle.endpoint);
    const session: Session = {
      handle,
      remote,
      ready: Promise.resolve(),
      isReady: false,
      inflight: new Set(),
      dead: false,
    };
    handle.onDeath((reason) => {
      if (session.dead) return;
      this.#kill(
        session,
        new RouterError(
          `the router worker died (${reason}); calls in flight were rejected and the next call starts a new worker`,
          { code: "E_WORKER_DIED", details: { reason } },
        ),
      );
    });
    handle.raw.then((raw) => this.#options.onWorkerStart?.(raw)).catch(() => undefined);

    const replay = this.#snapshot?.ruleSet ?? null;
    session.ready = (async () => {
      await remote.init({
        kind: "init",
        engine: this.#options.engine ?? "wasm",
        initDelayMs: this.#options.initDelayMs ?? 0,
        wasmUrl:
          this.#options.wasmUrl === undefined ? null : String(this.#options.wasmUrl),
      });
      // A restarted worker gets the rule set as edited so far.
      // NOTE: reservations live only in the worker, so a restart drops them.
      if (replay !== null) {
        this.#install(await remote.loadRuleSet(replay));
        this.#reserved.clear();
      }
      session.isReady = true;
    })();
    session.ready.catch(() => undefined);
    this.#session = session;
    return session;
  }

  #kill(session: Session, error: Error): void {
    session.dead = true;
    if (this.#session === session) this.#session = null;
    for (const fail of [...session.inflight]) fail(error);
    session.inflight.clear();
    session.handle.terminate();
  }
}

function terminatedError(): RouterError {
  return new RouterError(
    "the router was terminated; create a new one with createRouter()",
    { code: "E_TERMINATED" },
  );
}

function timeoutError(ready: boolean, timeoutMs: number): RouterError {
  if (ready) {
    return new RouterError(`the router call timed out after ${timeoutMs} ms`, {
      code: "E_TIMEOUT",
      details: { timeoutMs },
    });
  }
  return new RouterError(
    `router not ready: the worker did not finish starting within ${timeoutMs} ms`,
    { code: "E_NOT_READY", details: { timeoutMs } },
  );
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new RouterError("the router call was aborted", { code: "E_ABORTED" });
}

// Packing and unpacking.

/** Packs a plan: ids to indices, dependency CSR, then the engine packer for the slots. */
function packPlan(
  snapshot: TablesSnapshot,
  plan: Plan,
  options: RouteCallOptions,
): PackedCall {
  const tables = snapshot.tables;
  const tasks = plan.tasks;
  // The id and type arrays serve both the id index and the result labels.
  const ids = new Array<string>(tasks.length);
  const types = new Array<string>(tasks.length);
  for (let i = 0; i < tasks.length; i++) {
    ids[i] = tasks[i]!.id;
    types[i] = tasks[i]!.type;
  }
  const index = indexTasks(ids);
  const taskCount = tasks.length;

  // Step 1: hierarchy and dependencies as integers.
  let parentIndex: Int32Array<ArrayBuffer> | null = null;
  const depOffsets = new Int32Array(taskCount + 1);
  let depCount = 0;
  for (const task of tasks) depCount += task.dependsOn.length;
  const depTargets = new Int32Array(depCount);
  let k = 0;
  tasks.forEach((task, i) => {
    if (task.parent !== undefined) {
      parentIndex ??= new Int32Array(taskCount).fill(-1);
      parentIndex[i] = lookupTask(index, task, i, task.parent, "parent");
    }
    for (const dependency of task.dependsOn) {
      depTargets[k++] = lookupTask(index, task, i, dependency, "dependsOn");
    }
    depOffsets[i + 1] = k;
  });

  // Step 2: slots and predicates as columns; the worker computes the order.
  const packed: PackedPlan = {
    columns: packColumns(tables, tasks),
    parentIndex,
    depOffsets,
    depTargets,
  };

  const { load, available } = inputArrays(tables, options);
  const request: RouteRequest = {
    kind: "route",
    tablesVersion: snapshot.version,
    plan: packed,
    load,
    // The request's copy is transferred; the caller keeps its own for explanations.
    available: options.availableAgents === undefined ? null : available.slice(),
    reserve: options.reserve === true,
  };
  return {
    request,
    labels: { ids, types },
    available,
    bytes: requestBuffers(request).reduce((sum, buffer) => sum + buffer.byteLength, 0),
  };
}

/** Indexes task ids; throws PlanError naming both positions of a repeated id. */
function indexTasks(ids: readonly string[]): IdIndex {
  const index = IdIndex.build(ids);
  if (index instanceof IdIndex) return index;
  const { duplicate: i, earlier } = index;
  const id = ids[i]!;
  throw new PlanError(`Duplicate task id "${id}" at tasks[${earlier}] and tasks[${i}].`, {
    code: "E_PLAN_SCHEMA",
    path: ["tasks", i, "id"],
    details: { task: id },
  });
}

function lookupTask(
  index: IdIndex,
  task: Task,
  i: number,
  id: string,
  key: string,
): number {
  const found = index.get(id);
  if (found === undefined) {
    throw new PlanError(`Task "${task.id}" refers to unknown task "${id}" in ${key}.`, {
      code: "E_PLAN_SCHEMA",
      path: ["tasks", i, key],
      details: { task: task.id, missing: id },
    });
  }
  return found;
}

function unknownAgentOption(option: string, id: string): RouterError {
  return new RouterError(`Unknown agent "${id}" in route option ${option}.`, {
    code: "E_OPTIONS",
    details: { option, agent: id },
  });
}

/** Load and availability per agent index, checked like the in-process router checks them. */
function inputArrays(
  tables: CompiledTables,
  options: RouteOptions,
): { load: Int32Array<ArrayBuffer> | null; available: Uint8Array<ArrayBuffer> } {
  const agentIndex = new Map(tables.agentIds.map((id, a) => [id, a]));
  const agentCount = tables.agentIds.length;
  const available = new Uint8Array(agentCount).fill(options.availableAgents ? 0 : 1);
  for (const id of options.availableAgents ?? []) {
    const a = agentIndex.get(id);
    if (a === undefined) throw unknownAgentOption("availableAgents", id);
    available[a] = 1;
  }
  if (options.load === undefined) {
    return { load: null, available };
  }
  const load = new Int32Array(agentCount);
  for (const id of Object.keys(options.load)) {
    const a = agentIndex.get(id);
    if (a === undefined) throw unknownAgentOption("load", id);
    const count = options.load[id];
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
      throw new RouterError(
        `Invalid load for agent "${id}": expected a non-negative integer, received ${String(count)}.`,
        { code: "E_OPTIONS", details: { agent: id, received: count } },
      );
    }
    load[a] = count;
  }
  return { load, available };
}

function requestBuffers(request: RouteRequest): ArrayBuffer[] {
  const plan = request.plan;
  const arrays = [
    plan.parentIndex,
    plan.depOffsets,
    plan.depTargets,
    request.load,
    request.available,
  ];
  const buffers = new Set<ArrayBuffer>(columnBuffers(plan.columns));
  for (const array of arrays) {
    if (array !== null) buffers.add(array.buffer);
  }
  return [...buffers];
}

function responseBytes(response: PackedRoute | CycleFound): number {
  if (response.kind === "cycle") return response.cycle.byteLength;
  return (
    response.order.byteLength +
    response.via.byteLength +
    response.outcome.byteLength +
    response.loadBefore.byteLength +
    response.blocked.byteLength +
    response.startLoad.byteLength
  );
}

function cycleError(plan: Plan, found: CycleFound): CycleError {
  const cycle = Array.from(found.cycle, (t) => plan.tasks[t]!.id);
  if (cycle.length > 0 && cycle[0] !== cycle[cycle.length - 1]) {
    cycle.push(cycle[0]!);
  }
  return new CycleError(`Dependency cycle: ${cycle.join(" -> ")}.`, {
    code: "E_CYCLE",
    details: { cycle },
  });
}

/** Route options that replay a routed plan's start: its load (ledger included) and availability. */
function startOptions(
  tables: CompiledTables,
  response: PackedRoute,
  options: RouteOptions,
): RouteOptions {
  const load: { [agentId: string]: number } = {};
  tables.agentIds.forEach((id, a) => {
    load[id] = response.startLoad[a]!;
  });
  const replay: RouteOptions = { load };
  if (options.availableAgents !== undefined)
    replay.availableAgents = options.availableAgents;
  return replay;
}

/** Expands the packed outcome into the matcher's output arrays. */
function expandOutput(tables: CompiledTables, response: PackedRoute): AssignOutput {
  const count = response.via.length;
  const output: AssignOutput = {
    via: response.via,
    agent: new Int32Array(count).fill(-1),
    rule: new Int32Array(count).fill(-1),
    reason: new Uint8Array(count),
    loadBefore: response.loadBefore,
    blockedRule: new Int32Array(count).fill(-1),
  };
  for (let t = 0; t < count; t++) {
    const via = response.via[t];
    const value = response.outcome[t]!;
    if (via === VIA_RULE) {
      output.rule[t] = value;
      output.agent[t] = tables.ruleAgent[value]!;
    } else if (via === VIA_CAPABILITY) {
      output.agent[t] = value;
    } else if (via === VIA_UNASSIGNED) {
      output.reason[t] = value;
    }
  }
  for (let k = 0; k < response.blocked.length; k += 2) {
    output.blockedRule[response.blocked[k]!] = response.blocked[k + 1]!;
  }
  return output;
}

/**
 * Builds a RouteResult whose fields are computed on first read. The fields are own,
 * enumerable accessors that replace themselves with plain values, so the
 * object serialises and compares like an ordinary result.
 */
function lazyResult(
  context: ResultContext,
  call: PackedCall,
  response: PackedRoute,
): RouteResult {
  const tables = context.tables;
  let view: RouteResultView | null = null;
  const getView = (): RouteResultView => {
    if (view === null) {
      const output = expandOutput(tables, response);
      const finalLoad = response.startLoad.slice();
      for (let t = 0; t < output.via.length; t++) {
        const via = output.via[t];
        if (via === VIA_RULE || via === VIA_CAPABILITY) {
          const agent = output.agent[t]!;
          finalLoad[agent] = finalLoad[agent]! + 1;
        }
      }
      view = new RouteResultView(context, call.labels, response.order, output, {
        load: finalLoad,
        available: call.available,
      });
    }
    return view;
  };
  let lists: Pick<RouteResult, "assignments" | "unassigned" | "skipped"> | null = null;
  const getLists = () => {
    if (lists === null) {
      const full = getView().toResult();
      lists = {
        assignments: full.assignments,
        unassigned: full.unassigned,
        skipped: full.skipped,
      };
    }
    return lists;
  };

  const result = {} as RouteResult;
  const define = <K extends keyof RouteResult>(
    key: K,
    build: () => RouteResult[K],
  ): void => {
    Object.defineProperty(result, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = build();
        Object.defineProperty(result, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        return value;
      },
    });
  };
  define("order", () => getView().orderIds());
  define("assignments", () => getLists().assignments);
  define("unassigned", () => getLists().unassigned);
  define("skipped", () => getLists().skipped);
  define("load", () => getView().loadMap());
  return result;
}
