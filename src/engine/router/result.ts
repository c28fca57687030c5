/**
 * Unpacking of matcher outputs into route results, eagerly or on demand.
 * The typed arrays stay the source of truth; objects and explanation strings
 * are built only for the tasks that a caller reads.
 */

import type {
  Assignment,
  RouteResult,
  RuleSet,
  Unassigned,
  UnassignedReason,
} from "../types.js";
import {
  REASON_AT_CAPACITY,
  REASON_NO_CAPABLE_AGENT,
  REASON_UNAVAILABLE,
  VIA_CAPABILITY,
  VIA_RULE,
  VIA_SKIPPED,
  VIA_UNASSIGNED,
  type AssignInput,
  type AssignOutput,
  type CompiledTables,
} from "./tables.js";

/** Rule-set text that the integer tables leave out. */
export interface ResultContext {
  tables: CompiledTables;
  /** Explanation per rule index. */
  ruleExplanations: readonly string[];
  /** Success rate per agent index, undefined when unknown. */
  agentSuccessRates: readonly (number | undefined)[];
  /**
   * `Rule <id>: <explanation>` per rule index, formatted once per rule set.
   * Optional so that hand-built contexts keep working; absent means "format
   * on each read".
   */
  ruleTexts?: readonly string[];
}

/** Builds the result context of a rule set compiled into `tables`. */
export function createResultContext(
  tables: CompiledTables,
  ruleSet: RuleSet,
): ResultContext {
  const ruleExplanations = ruleSet.rules.map((rule) => rule.explanation);
  return {
    tables,
    ruleExplanations,
    agentSuccessRates: ruleSet.agents.map((agent) => agent.successRate),
    ruleTexts: ruleExplanations.map((text, r) =>
      ruleExplanation(tables.ruleIds[r]!, text),
    ),
  };
}

/** Task ids and types by task index. */
export interface TaskLabels {
  ids: readonly string[];
  types: readonly string[];
}

/** The outcome of one task: an assignment, an unassigned entry, or a skip. */
export type TaskOutcome = Assignment | Unassigned | { task: string; skipped: true };

const REASON_NAMES: Record<number, UnassignedReason> = {
  [REASON_NO_CAPABLE_AGENT]: "no-capable-agent",
  [REASON_AT_CAPACITY]: "at-capacity",
  [REASON_UNAVAILABLE]: "unavailable",
};

/** Formats `Rule <id>: <explanation>`. */
export function ruleExplanation(ruleId: string, explanation: string): string {
  return `Rule ${ruleId}: ${explanation}`;
}

/** Formats `Capability match: <agent> supports <type> (successRate=…, load=…)`. */
export function capabilityExplanation(
  agentId: string,
  type: string,
  successRate: number | undefined,
  load: number,
): string {
  const rate = successRate === undefined ? "unknown" : String(successRate);
  return `Capability match: ${agentId} supports ${type} (successRate=${rate}, load=${load})`;
}

/** Describes why a rule whose condition held could not take the task. */
export function blockedRuleSentence(
  ruleId: string,
  agentId: string,
  available: boolean,
  load: number,
  maxConcurrent: number,
): string {
  return available
    ? `Rule ${ruleId} matched but ${agentId} is at capacity ${load}/${maxConcurrent}.`
    : `Rule ${ruleId} matched but ${agentId} is unavailable.`;
}

/** Explains an unassigned task in plain words. */
export function unassignedExplanation(type: string, reason: UnassignedReason): string {
  switch (reason) {
    case "no-capable-agent":
      return `No rule matched and no agent supports task type ${type}.`;
    case "at-capacity":
      return `Every agent that could take task type ${type} is at capacity.`;
    case "unavailable":
      return `No available agent can take task type ${type}: the agents that could are unavailable.`;
    default:
      return reason satisfies never;
  }
}

/**
 * A route result kept as typed arrays. Outcomes are built when read, so a
 * caller that looks at a few tasks of a million pays for those few.
 */
export class RouteResultView {
  constructor(
    readonly context: ResultContext,
    readonly labels: TaskLabels,
    /** Routing order, task indices. */
    readonly order: Int32Array,
    readonly output: AssignOutput,
    /** Agent loads and availability after routing. */
    readonly final: AssignInput,
  ) {}

  /** Number of tasks in the batch. */
  get size(): number {
    return this.order.length;
  }

  /** Builds the outcome of task index `t`. */
  outcome(t: number): TaskOutcome {
    const { tables } = this.context;
    const { output } = this;
    const task = this.labels.ids[t]!;
    const type = this.labels.types[t]!;
    const via = output.via[t];

    if (via === VIA_SKIPPED) {
      return { task, skipped: true };
    }
    if (via === VIA_RULE) {
      const rule = output.rule[t]!;
      return {
        task,
        agent: tables.agentIds[output.agent[t]!]!,
        via: "rule",
        rule: tables.ruleIds[rule]!,
        explanation: this.#ruleText(rule),
      };
    }
    if (via === VIA_CAPABILITY) {
      const agent = output.agent[t]!;
      const text = capabilityExplanation(
        tables.agentIds[agent]!,
        type,
        this.context.agentSuccessRates[agent],
        output.loadBefore[t]!,
      );
      return {
        task,
        agent: tables.agentIds[agent]!,
        via: "capability",
        explanation: this.withBlockedRule(text, ".", t),
      };
    }
    if (via === VIA_UNASSIGNED) {
      const reason = REASON_NAMES[output.reason[t]!] ?? "no-capable-agent";
      return { task, reason, explanation: this.#unassignedText(type, reason, t) };
    }
    throw new RangeError(`task ${task} has no routing outcome (via=${via})`);
  }

  /**
   * Explanations of unassigned tasks by type, then by reason and blocked
   * rule. Final loads are fixed once routing ends, so tasks that share all
   * three share the text; a plan over capacity repeats it for most tasks.
   */
  #unassignedTexts = new Map<string, Map<number, string>>();

  #unassignedText(type: string, reason: UnassignedReason, t: number): string {
    const blocked = this.output.blockedRule[t]!;
    const key =
      this.output.reason[t]! * (this.context.tables.ruleIds.length + 1) + blocked + 1;
    let byKey = this.#unassignedTexts.get(type);
    if (byKey === undefined) {
      byKey = new Map();
      this.#unassignedTexts.set(type, byKey);
    }
    let text = byKey.get(key);
    if (text === undefined) {
      text = this.withBlockedRule(unassignedExplanation(type, reason), "", t);
      byKey.set(key, text);
    }
    return text;
  }

  #ruleText(rule: number): string {
    return (
      this.context.ruleTexts?.[rule] ??
      ruleExplanation(
        this.context.tables.ruleIds[rule]!,
        this.context.ruleExplanations[rule]!,
      )
    );
  }

  /** Appends the sentence about a matched rule whose agent could not take the task. */
  private withBlockedRule(text: string, separator: string, t: number): string {
    const rule = this.output.blockedRule[t]!;
    if (rule < 0) {
      return text;
    }
    const { tables } = this.context;
    const agent = tables.ruleAgent[rule]!;
    // An agent that was full receives no later task, so its final load is its load then.
    const sentence = blockedRuleSentence(
      tables.ruleIds[rule]!,
      tables.agentIds[agent]!,
      this.final.available[agent] === 1,
      this.final.load[agent]!,
      tables.agentMaxConcurrent[agent]!,
    );
    return `${text}${separator} ${sentence}`;
  }

  /** Task ids in routing order. */
  orderIds(): string[] {
    const { order } = this;
    const ids = this.labels.ids;
    const result = new Array<string>(order.length);
    for (let position = 0; position < order.length; position++) {
      result[position] = ids[order[position]!]!;
    }
    return result;
  }

  /** Final load per agent id. */
  loadMap(): { [agentId: string]: number } {
    const { agentIds } = this.context.tables;
    const load: { [agentId: string]: number } = {};
    for (let a = 0; a < agentIds.length; a++) {
      const id = agentIds[a]!;
      if (id === "__proto__") {
        // Assignment would set the prototype; define an own property instead.
        Object.defineProperty(load, id, {
          value: this.final.load[a]!,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        load[id] = this.final.load[a]!;
      }
    }
    return load;
  }

  /** Builds the whole result: order, assignments, unassigned, skipped and load. */
  toResult(): RouteResult {
    const result: RouteResult = {
      order: this.orderIds(),
      assignments: [],
      unassigned: [],
      skipped: [],
      load: this.loadMap(),
    };
    const { order } = this;
    const { via, rule, agent } = this.output;
    const { agentIds, ruleIds } = this.context.tables;
    const ids = this.labels.ids;
    for (let position = 0; position < order.length; position++) {
      const t = order[position]!;
      switch (via[t]) {
        case VIA_SKIPPED:
          result.skipped.push(ids[t]!);
          break;
        case VIA_RULE: {
          // The same object as outcome(t) builds, inlined for the common case.
          const r = rule[t]!;
          result.assignments.push({
            task: ids[t]!,
            agent: agentIds[agent[t]!]!,
            via: "rule",
            rule: ruleIds[r]!,
            explanation: this.#ruleText(r),
          });
          break;
        }
        case VIA_CAPABILITY:
          result.assignments.push(this.outcome(t) as Assignment);
          break;
        default:
          result.unassigned.push(this.outcome(t) as Unassigned);
      }
    }
    return result;
  }
}

/** Unpacks matcher outputs into a full route result. */
export function unpackResult(
  context: ResultContext,
  labels: TaskLabels,
  order: Int32Array,
  output: AssignOutput,
  final: AssignInput,
): RouteResult {
  return new RouteResultView(context, labels, order, output, final).toResult();
}
