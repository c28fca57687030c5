/**
 * The in-process router: compiles a rule set once, routes plans in DAG order
 * with the JS matcher, traces single tasks, and applies rule edits
 * incrementally.
 */

import { IdIndex } from "../dag/id-index.js";
import { layeredOrder } from "../dag/order.js";
import { CycleError, PlanError, RouterError, type JsonPath } from "../errors.js";
import { MAX_LOAD, MAX_PRIORITY, overLimit } from "../limits.js";
import type {
  Plan,
  RouteOptions,
  RouteResult,
  Rule,
  RuleSet,
  Task,
  TaskTrace,
} from "../types.js";
import { assembleTables, indexStrings } from "./compile.js";
import { applyRuleEdit, type RebuildReport, type RuleEdit } from "./edit.js";
import {
  checkFieldPath,
  compileRuleFragment,
  ruleProblem,
  type RuleFragment,
} from "./fragment.js";
import { assignBatch, createAssignOutput } from "./match.js";
import { packTasks, packTasksShared } from "./pack.js";
import { checkPlanShape } from "./plan-shape.js";
import {
  RouteResultView,
  createResultContext,
  type ResultContext,
  type TaskLabels,
} from "./result.js";
import type { AssignInput, AssignOutput, CompiledTables, TaskBatch } from "./tables.js";
import { VIA_CAPABILITY, VIA_RULE } from "./tables.js";
import { traceTask } from "./trace.js";

/** A plan's tasks with their routing order. */
interface OrderedPlan {
  tasks: readonly Task[];
  order: Int32Array;
  /** Valid until the next orderPlan call. */
  index: IdIndex;
  /** Task ids by task index. */
  ids: string[];
}

/** Task labels of a plan; the types are copied out only when first read. */
class PlanLabels implements TaskLabels {
  #types: string[] | null = null;

  constructor(
    readonly ids: readonly string[],
    private readonly tasks: readonly Task[],
  ) {}

  get types(): readonly string[] {
    if (this.#types === null) {
      const types = new Array<string>(this.tasks.length);
      for (let i = 0; i < types.length; i++) types[i] = this.tasks[i]!.type;
      this.#types = types;
    }
    return this.#types;
  }
}

export class Router {
  #ruleSet: RuleSet;
  #fragments: RuleFragment[];
  #tables: CompiledTables;
  #context: ResultContext;
  #lastRebuild: RebuildReport | null = null;

  /** Compiles a validated rule set; throws RuleSetError for a rule the compiler cannot accept. */
  constructor(ruleSet: RuleSet) {
    const agentIds = new Set(ruleSet.agents.map((agent) => agent.id));
    const ruleIds = new Set<string>();
    this.#fragments = ruleSet.rules.map((rule, i) => {
      checkRule(rule, ["rules", i], agentIds, ruleIds);
      ruleIds.add(rule.id);
      return compileRuleFragment(rule, ["rules", i]);
    });
    this.#ruleSet = { ...ruleSet, rules: [...ruleSet.rules] };
    this.#tables = assembleTables(this.#ruleSet, this.#fragments);
    this.#context = createResultContext(this.#tables, this.#ruleSet);
  }

  /** Compiled tables of the current rule set. */
  get tables(): CompiledTables {
    return this.#tables;
  }

  /** The current rule set, including rule edits. */
  get ruleSet(): RuleSet {
    return this.#ruleSet;
  }

  /** Report of what the last rule edit rebuilt, or null before any edit. */
  get lastRebuild(): RebuildReport | null {
    return this.#lastRebuild;
  }

  /** Routes every task of the plan in layered DAG order. */
  route(plan: Plan, options: RouteOptions = {}): RouteResult {
    // The whole result is built before returning, so the batch and outputs
    // can live in arrays shared by every call.
    const ordered = orderPlan(plan);
    const input = this.createInput(options);
    const batch = packTasksShared(this.#tables, ordered.tasks, ordered.order);
    const output = sharedOutput(batch.taskCount);
    assignBatch(this.#tables, batch, input, output);
    const labels = new PlanLabels(ordered.ids, ordered.tasks);
    return new RouteResultView(
      this.#context,
      labels,
      ordered.order,
      output,
      input,
    ).toResult();
  }

  /** Routes like `route` but leaves the result packed; outcomes are built when read. */
  routeView(plan: Plan, options: RouteOptions = {}): RouteResultView {
    const ordered = orderPlan(plan);
    const input = this.createInput(options);
    const batch = packTasks(this.#tables, ordered.tasks, ordered.order);
    const output = Router.routePacked(this.#tables, batch, input);
    const labels = new PlanLabels(ordered.ids, ordered.tasks);
    return new RouteResultView(this.#context, labels, ordered.order, output, input);
  }

  /**
   * Traces the routing of one task: every candidate rule in the order tried
   * and why it did or did not win, then the capability fallback. Loads are
   * those at the task's turn in the plan's routing order.
   */
  trace(plan: Plan, taskId: string, options: RouteOptions = {}): TaskTrace {
    const ordered = orderPlan(plan);
    const target = ordered.index.get(taskId);
    if (target === undefined) {
      throw new RouterError(`Task "${taskId}" is not in the plan.`, {
        code: "E_UNKNOWN_TASK",
        details: { task: taskId },
      });
    }
    const input = this.createInput(options);
    const state = { load: input.load.slice(), available: input.available };
    const batch = packTasks(this.#tables, ordered.tasks, ordered.order);
    const output = Router.routePacked(this.#tables, batch, input);

    // Replay the loads of the tasks routed before the target.
    for (const t of ordered.order) {
      if (t === target) {
        break;
      }
      if (output.via[t] === VIA_RULE || output.via[t] === VIA_CAPABILITY) {
        const agent = output.agent[t]!;
        state.load[agent] = state.load[agent]! + 1;
      }
    }
    return traceTask(this.#ruleSet, ordered.tasks[target]!, state);
  }

  /** Builds matcher input (loads and availability per agent) from route options. */
  createInput(options: RouteOptions = {}): AssignInput {
    const agentCount = this.#tables.agentIds.length;
    const load = new Int32Array(agentCount);
    const available = new Uint8Array(agentCount).fill(options.availableAgents ? 0 : 1);
    if (options.availableAgents === undefined && options.load === undefined) {
      return { load, available };
    }
    const agentIndex = indexStrings(this.#tables.agentIds);

    for (const id of options.availableAgents ?? []) {
      const a = agentIndex.get(id);
      if (a === undefined) {
        throw unknownAgentOption("availableAgents", id);
      }
      available[a] = 1;
    }
    const loadMap = options.load ?? {};
    for (const id of Object.keys(loadMap)) {
      const a = agentIndex.get(id);
      if (a === undefined) {
        throw unknownAgentOption("load", id);
      }
      const count = loadMap[id];
      if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
        throw new RouterError(
          `Invalid load for agent "${id}": expected a non-negative integer, received ${String(count)}.`,
          { code: "E_OPTIONS", details: { agent: id, received: count } },
        );
      }
      if (count > MAX_LOAD) {
        throw new RouterError(
          `Invalid load for agent "${id}": ${count} is ${overLimit("maxLoad")}.`,
          {
            code: "E_OPTIONS",
            details: { agent: id, received: count, limit: "maxLoad", max: MAX_LOAD },
          },
        );
      }
      load[a] = count;
    }
    return { load, available };
  }

  /** Runs the JS matcher on a pre-packed batch; `input.load` is updated in place. */
  static routePacked(
    tables: CompiledTables,
    batch: TaskBatch,
    input: AssignInput,
  ): AssignOutput {
    const output = createAssignOutput(batch.taskCount);
    assignBatch(tables, batch, input, output);
    return output;
  }

  /** Appends a rule (lowest precedence among rules of equal priority). */
  addRule(rule: Rule): void {
    const index = this.#ruleSet.rules.length;
    this.#checkEditedRule(rule, index, null);
    const added = compileRuleFragment(rule, ["rules", index]);
    this.#commit([...this.#ruleSet.rules, rule], { index, removed: null, added });
  }

  /** Removes the rule with this id; throws RuleSetError when there is none. */
  removeRule(id: string): void {
    const index = this.#ruleIndex(id);
    const rules = this.#ruleSet.rules.filter((_, r) => r !== index);
    this.#commit(rules, { index, removed: this.#fragments[index]!, added: null });
  }

  /** Replaces the rule with the same id, keeping its declaration position. */
  replaceRule(rule: Rule): void {
    const index = this.#ruleIndex(rule.id);
    this.#checkEditedRule(rule, index, index);
    const added = compileRuleFragment(rule, ["rules", index]);
    const rules = this.#ruleSet.rules.map((old, r) => (r === index ? rule : old));
    this.#commit(rules, { index, removed: this.#fragments[index]!, added });
  }

  #ruleIndex(id: string): number {
    const index = this.#ruleSet.rules.findIndex((rule) => rule.id === id);
    if (index < 0) {
      return ruleProblem(["rules"], `no rule has the id "${id}"`, id);
    }
    return index;
  }

  #checkEditedRule(rule: Rule, index: number, replacing: number | null): void {
    const agentIds = new Set(this.#ruleSet.agents.map((agent) => agent.id));
    const ruleIds = new Set(
      this.#ruleSet.rules
        .filter((_, r) => r !== replacing)
        .map((existing) => existing.id),
    );
    checkRule(rule, ["rules", index], agentIds, ruleIds);
  }

  /** Installs the edited rule list; nothing changes when the rebuild throws. */
  #commit(rules: Rule[], edit: RuleEdit): void {
    const fragments = [...this.#fragments];
    if (edit.removed !== null && edit.added === null) {
      fragments.splice(edit.index, 1);
    } else {
      fragments[edit.index] = edit.added!;
    }
    const ruleSet = { ...this.#ruleSet, rules };
    const { tables, report } = applyRuleEdit(this.#tables, ruleSet, fragments, edit);
    this.#ruleSet = ruleSet;
    this.#fragments = fragments;
    this.#tables = tables;
    this.#context = createResultContext(tables, ruleSet);
    this.#lastRebuild = report;
  }
}

/** Checks what the compiler does not: id, agent reference, priority, explanation. */
function checkRule(
  rule: Rule,
  path: JsonPath,
  agentIds: ReadonlySet<string>,
  ruleIds: ReadonlySet<string>,
): void {
  if (rule === null || typeof rule !== "object") {
    ruleProblem(path, "expected a rule object", rule);
  }
  if (typeof rule.id !== "string" || rule.id === "") {
    ruleProblem([...path, "id"], "expected a non-empty string", rule.id);
  }
  if (ruleIds.has(rule.id)) {
    ruleProblem(
      [...path, "id"],
      `a rule with the id "${rule.id}" already exists`,
      rule.id,
    );
  }
  if (!agentIds.has(rule.agent)) {
    ruleProblem([...path, "agent"], `unknown agent "${String(rule.agent)}"`, rule.agent);
  }
  if (!Number.isInteger(rule.priority)) {
    ruleProblem([...path, "priority"], "expected an integer", rule.priority);
  }
  if (Math.abs(rule.priority) > MAX_PRIORITY) {
    ruleProblem(
      [...path, "priority"],
      `expected an integer from -${MAX_PRIORITY} to ${MAX_PRIORITY}, ${overLimit("maxPriority")}`,
      rule.priority,
    );
  }
  if (typeof rule.explanation !== "string") {
    ruleProblem([...path, "explanation"], "expected a string", rule.explanation);
  }
  // Field paths are checked again by the compiler; this gives the leaf's own path.
  if (
    rule.when !== null &&
    typeof rule.when === "object" &&
    rule.when.field !== undefined
  ) {
    checkFieldPath(rule.when.field, [...path, "when", "field"]);
  }
}

function unknownAgentOption(option: string, id: string): RouterError {
  return new RouterError(`Unknown agent "${id}" in route option ${option}.`, {
    code: "E_OPTIONS",
    details: { option, agent: id },
  });
}

/** Matcher outputs reused by `Router.route`; they only grow. */
let sharedOutputs = createAssignOutput(1024);

/**
 * Returns the shared outputs with room for `taskCount` tasks. The matcher
 * writes every field of every task in the order, so stale entries are never
 * read.
 */
function sharedOutput(taskCount: number): AssignOutput {
  if (sharedOutputs.via.length < taskCount) {
    sharedOutputs = createAssignOutput(2 * taskCount);
  }
  return sharedOutputs;
}

/**
 * Maps the plan to indices and computes its layered order; throws PlanError
 * on a malformed plan and CycleError on a cycle.
 */
function orderPlan(plan: Plan): OrderedPlan {
  checkPlanShape(plan);
  const tasks = plan.tasks;
  const n = tasks.length;
  const ids = new Array<string>(n);
  let depCount = 0;
  let hasParent = false;
  for (let i = 0; i < n; i++) ids[i] = tasks[i]!.id;
  const index = IdIndex.build(ids);
  if (!(index instanceof IdIndex)) {
    const i = index.duplicate;
    const id = ids[i]!;
    throw new PlanError(
      `Duplicate task id "${id}" at tasks[${index.earlier}] and tasks[${i}].`,
      {
        code: "E_PLAN_SCHEMA",
        path: ["tasks", i, "id"],
        details: { task: id },
      },
    );
  }
  for (let i = 0; i < n; i++) {
    const task = tasks[i]!;
    depCount += task.dependsOn.length;
    if (task.parent !== undefined) hasParent = true;
  }

  // Without dependencies or parents, layer 0 contains every task in plan order.
  if (depCount === 0 && !hasParent) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return { tasks, order, index, ids };
  }

  const parentIndex = new Int32Array(n).fill(-1);
  const depOffsets = new Int32Array(n + 1);
  const depTargets = new Int32Array(depCount);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const task = tasks[i]!;
    if (task.parent !== undefined) {
      parentIndex[i] = lookupTask(index, task, i, task.parent, "parent");
    }
    const dependsOn = task.dependsOn;
    for (let j = 0; j < dependsOn.length; j++) {
      depTargets[k++] = lookupTask(index, task, i, dependsOn[j]!, "dependsOn");
    }
    depOffsets[i + 1] = k;
  }

  const sorted = layeredOrder(n, parentIndex, depOffsets, depTargets);
  if ("cycle" in sorted) {
    const cycle = Array.from(sorted.cycle, (t) => tasks[t]!.id);
    if (cycle.length > 0 && cycle[0] !== cycle[cycle.length - 1]) {
      cycle.push(cycle[0]!);
    }
    throw new CycleError(`Dependency cycle: ${cycle.join(" -> ")}.`, {
      code: "E_CYCLE",
      details: { cycle },
    });
  }
  return { tasks, order: sorted.order, index, ids };
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
