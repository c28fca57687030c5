/**
 * The json-rules-engine baseline: a rule set translated to json-rules-engine
 * (7.x) rules and routed one task per `Engine.run`, as an application built
 * on that library would do it.
 *
 * Translation. The engine's conditions are three-valued (an absent field is
 * UNKNOWN, and `not` of UNKNOWN is still UNKNOWN), while json-rules-engine is
 * two-valued. Each condition is therefore translated twice: `isTrue(c)` and
 * `isFalse(c)`, with `isTrue(not c) = isFalse(c)`, `isFalse(all) = any of
 * isFalse`, and so on. Leaves become custom operators `sy:<op>:true` and
 * `sy:<op>:false`; `taskType` uses the built-in `equal`, `notEqual`, `in` and
 * `notIn`. Metadata paths are JSONPath expressions resolved by the library's
 * default resolver (jsonpath-plus).
 *
 * Routing. Rule priorities map to json-rules-engine priorities by rank
 * (that library wants integers of at least 1). A `success` listener records
 * matching rules whose agent is available and below capacity and then calls
 * `engine.stop()`, so lower priority groups are not evaluated. The winner is
 * the recorded rule with the highest priority, then the earliest declared.
 * This gives the engine's first-match result. The difference in work: the
 * library evaluates all rules of one priority group together, so it may
 * evaluate rules after the winner within its group. The capability fallback
 * and load counting run in plain JavaScript outside the library, and the
 * routing order comes from the engine's `orderPlan`.
 */
import { Engine } from "json-rules-engine";
import type { RuleProperties, TopLevelCondition } from "json-rules-engine";
import { orderPlan } from "../src/engine/dag/index.js";
import type {
  Agent,
  Assignment,
  Condition,
  Plan,
  RouteOptions,
  RouteResult,
  RuleSet,
  Task,
  Unassigned,
} from "../src/engine/types.js";
import { OPERATORS } from "../src/engine/types.js";
import {
  capabilityExplanation,
  ruleExplanation,
  unassignedExplanation,
} from "../src/engine/router/result.js";
import { FALSE, TRUE, evaluateLeaf } from "./object-conditions.js";
import {
  isAvailable,
  pickCapableAgent,
  unassignedReason,
  type Blocked,
} from "./naive-router.js";

type JreCondition = TopLevelCondition | Record<string, unknown>;

/** Always-true and always-false leaves, for empty condition lists. */
const ALWAYS: JreCondition = { fact: "type", operator: "sy:const", value: true };
const NEVER: JreCondition = { fact: "type", operator: "sy:const", value: false };

function jsonPath(path: string): string {
  let out = "$";
  for (const segment of path.split(".")) {
    out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)
      ? `.${segment}`
      : `[${JSON.stringify(segment).replaceAll('"', "'")}]`;
  }
  return out;
}

function leaf(
  field: string,
  op: string,
  value: unknown,
  polarity: boolean,
): JreCondition {
  const operator = `sy:${op}:${polarity}`;
  if (field.startsWith("metadata.")) {
    const path = jsonPath(field.slice("metadata.".length));
    return { fact: "metadata", path, operator, value: value ?? null };
  }
  return { fact: field, operator, value: value ?? null };
}

function combine(kind: "all" | "any", parts: JreCondition[]): JreCondition {
  if (parts.length === 0) return kind === "all" ? ALWAYS : NEVER;
  return { [kind]: parts } as JreCondition;
}

/**
 * Translates a condition into a json-rules-engine condition that holds when
 * the engine's condition is TRUE (`polarity` true) or FALSE (`polarity` false).
 */
export function translateCondition(
  condition: Condition,
  polarity: boolean,
): JreCondition {
  const parts: JreCondition[] = [];
  const types = condition.taskType;
  if (types !== undefined) {
    parts.push(
      typeof types === "string"
        ? { fact: "type", operator: polarity ? "equal" : "notEqual", value: types }
        : { fact: "type", operator: polarity ? "in" : "notIn", value: types },
    );
  }
  for (const [path, value] of Object.entries(condition.metadata ?? {})) {
    parts.push(leaf(`metadata.${path}`, "eq", value, polarity));
  }
  if (condition.field !== undefined && condition.op !== undefined) {
    parts.push(leaf(condition.field, condition.op, condition.value, polarity));
  }
  if (condition.all !== undefined) {
    const inner = condition.all.map((part) => translateCondition(part, polarity));
    parts.push(combine(polarity ? "all" : "any", inner));
  }
  if (condition.any !== undefined) {
    const inner = condition.any.map((part) => translateCondition(part, polarity));
    parts.push(combine(polarity ? "any" : "all", inner));
  }
  if (condition.not !== undefined) {
    parts.push(translateCondition(condition.not, !polarity));
  }
  // The parts of one condition object combine with AND, so it is FALSE when
  // any part is FALSE.
  return combine(polarity ? "all" : "any", parts);
}

function addOperators(engine: Engine): void {
  engine.addOperator("sy:const", (_fact: unknown, value: boolean) => value);
  for (const op of OPERATORS) {
    engine.addOperator(`sy:${op}:true`, (fact: unknown, value: unknown) => {
      return evaluateLeaf(op, fact, value) === TRUE;
    });
    engine.addOperator(`sy:${op}:false`, (fact: unknown, value: unknown) => {
      return evaluateLeaf(op, fact, value) === FALSE;
    });
  }
}

/** Ranks of the distinct rule priorities, lowest first, starting at 1. */
function priorityRanks(ruleSet: RuleSet): Map<number, number> {
  const distinct = [...new Set(ruleSet.rules.map((rule) => rule.priority))].sort(
    (a, b) => a - b,
  );
  return new Map(distinct.map((priority, rank) => [priority, rank + 1]));
}

/** A router that evaluates rules with json-rules-engine, one run per task. */
export class JreRouter {
  readonly #ruleSet: RuleSet;
  readonly #engine: Engine;
  readonly #agents: Map<string, Agent>;
  /** Per-run state written by the success listener. */
  #candidates: number[] = [];
  #blocked: Blocked = { full: false, unavailable: false };
  #load: Record<string, number> = {};
  #options: RouteOptions = {};

  constructor(ruleSet: RuleSet) {
    this.#ruleSet = ruleSet;
    this.#agents = new Map(ruleSet.agents.map((agent) => [agent.id, agent]));
    this.#engine = new Engine([], { allowUndefinedFacts: true });
    addOperators(this.#engine);

    const ranks = priorityRanks(ruleSet);
    ruleSet.rules.forEach((rule, index) => {
      const properties: RuleProperties = {
        name: rule.id,
        priority: ranks.get(rule.priority) ?? 1,
        conditions: { all: [translateCondition(rule.when, true)] } as TopLevelCondition,
        event: { type: "matched", params: { index } },
      };
      this.#engine.addRule(properties);
    });
    this.#engine.on("success", (event) =>
      this.#onMatch(event.params?.["index"] as number),
    );
  }

  /** Records a matching rule if its agent can take the task, then stops lower priorities. */
  #onMatch(index: number): void {
    const rule = this.#ruleSet.rules[index];
    const agent = rule === undefined ? undefined : this.#agents.get(rule.agent);
    if (agent === undefined) return;
    if (!isAvailable(agent.id, this.#options)) {
      this.#blocked.unavailable = true;
      return;
    }
    if ((this.#load[agent.id] ?? 0) >= agent.maxConcurrent) {
      this.#blocked.full = true;
      return;
    }
    this.#candidates.push(index);
    this.#engine.stop();
  }

  /** Routes a plan; the outcome per task equals the engine's `Router.route`. */
  async route(plan: Plan, options: RouteOptions = {}): Promise<RouteResult> {
    const order = orderPlan(plan);
    const tasks = new Map<string, Task>();
    for (const task of plan.tasks) tasks.set(task.id, task);
    const load: Record<string, number> = {};
    for (const agent of this.#ruleSet.agents) {
      load[agent.id] = options.load?.[agent.id] ?? 0;
    }
    this.#load = load;
    this.#options = options;

    const assignments: Assignment[] = [];
    const unassigned: Unassigned[] = [];
    const skipped: string[] = [];
    for (const id of order) {
      const task = tasks.get(id) as Task;
      if (task.status === "completed") {
        skipped.push(id);
        continue;
      }
      this.#blocked = { full: false, unavailable: false };
      const assignment = (await this.#matchRule(task)) ?? this.#fallback(task);
      if ("reason" in assignment) {
        unassigned.push(assignment);
        continue;
      }
      load[assignment.agent] = (load[assignment.agent] ?? 0) + 1;
      assignments.push(assignment);
    }
    return { order, assignments, unassigned, skipped, load };
  }

  async #matchRule(task: Task): Promise<Assignment | undefined> {
    this.#candidates = [];
    await this.#engine.run({
      type: task.type.normalize("NFC"),
      description: task.description,
      metadata: task.metadata,
    });
    const rules = this.#ruleSet.rules;
    let best: number | undefined;
    for (const index of this.#candidates) {
      if (best === undefined) {
        best = index;
        continue;
      }
      const a = rules[index]?.priority ?? 0;
      const b = rules[best]?.priority ?? 0;
      if (a > b || (a === b && index < best)) best = index;
    }
    const rule = best === undefined ? undefined : rules[best];
    if (rule === undefined) return undefined;
    return {
      task: task.id,
      agent: rule.agent,
      via: "rule",
      rule: rule.id,
      explanation: ruleExplanation(rule.id, rule.explanation),
    };
  }

  #fallback(task: Task): Assignment | Unassigned {
    const agents = this.#ruleSet.agents;
    const picked = pickCapableAgent(
      task,
      agents,
      this.#load,
      this.#options,
      this.#blocked,
    );
    if (picked === undefined) {
      const reason = unassignedReason(this.#blocked);
      return {
        task: task.id,
        reason,
        explanation: unassignedExplanation(task.type, reason),
      };
    }
    const load = this.#load[picked.id] ?? 0;
    return {
      task: task.id,
      agent: picked.id,
      via: "capability",
      explanation: capabilityExplanation(picked.id, task.type, picked.successRate, load),
    };
  }
}
