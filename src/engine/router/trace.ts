/**
 * Per-task routing trace. Conditions are evaluated here directly on the task
 * object, with the same three-valued semantics as the compiled matcher but
 * none of its tables, so the trace also serves as an independent check of
 * the matcher.
 */

import { formatPath, type JsonPath } from "../errors.js";
import type {
  Agent,
  Condition,
  Operator,
  Rule,
  RuleSet,
  Task,
  TaskTrace,
  TraceStep,
} from "../types.js";
import { compareCodeUnits } from "./compile.js";
import { readMetadataPath } from "./pack.js";
import {
  blockedRuleSentence,
  capabilityExplanation,
  ruleExplanation,
  unassignedExplanation,
} from "./result.js";
import { FALSE, TRUE, UNKNOWN, UNKNOWN_SUCCESS_RATE } from "./tables.js";

type Truth = typeof FALSE | typeof TRUE | typeof UNKNOWN;

/** One evaluated test or group, kept so the trace can point at the test that decided. */
interface EvaluatedNode {
  result: Truth;
  /** Set on leaves. */
  leaf?: {
    at: string;
    field: string;
    op: Operator | "taskType";
    expected: unknown;
    actual: unknown;
  };
  /** `and`, `or` or `not` over children; absent on leaves. */
  group?: "and" | "or" | "not";
  children: EvaluatedNode[];
}

const nfc = (value: string): string => value.normalize("NFC");

/** Reads a field (`type`, `description` or `metadata.<path>`) of a task; undefined when absent. */
export function readField(task: Task, field: string): unknown {
  if (field === "type") {
    return task.type;
  }
  if (field === "description") {
    return task.description;
  }
  return readMetadataPath(task.metadata, field.slice("metadata.".length).split("."));
}

/** Scalar equality without coercion; strings compared after NFC. */
function scalarEquals(actual: unknown, expected: unknown): boolean {
  if (typeof actual === "string" && typeof expected === "string") {
    return nfc(actual) === nfc(expected);
  }
  if (typeof actual === "number" && typeof expected === "number") {
    return Number.isFinite(actual) && actual === expected;
  }
  return typeof actual === "boolean" && actual === expected;
}

/** Compares two numbers or two strings (code units after NFC); null when not comparable. */
function compareValues(actual: unknown, expected: unknown): number | null {
  if (typeof actual === "number" && typeof expected === "number") {
    return Number.isFinite(actual) ? Math.sign(actual - expected) : null;
  }
  if (typeof actual === "string" && typeof expected === "string") {
    return compareCodeUnits(nfc(actual), nfc(expected));
  }
  return null;
}

const truth = (holds: boolean): Truth => (holds ? TRUE : FALSE);

/** Negates a three-valued result: UNKNOWN stays UNKNOWN. */
function negate(value: Truth): Truth {
  if (value === UNKNOWN) {
    return UNKNOWN;
  }
  return value === TRUE ? FALSE : TRUE;
}

/** Evaluates one leaf test on a task value: FALSE, TRUE or UNKNOWN. */
export function evaluateLeafValue(
  op: Operator,
  actual: unknown,
  expected: unknown,
): Truth {
  if (op === "exists") {
    return truth(actual !== undefined && actual !== null);
  }
  if (op === "missing") {
    return truth(actual === undefined || actual === null);
  }
  if (actual === undefined || actual === null) {
    return UNKNOWN;
  }
  const list: unknown[] = Array.isArray(expected) ? expected : [];

  switch (op) {
    case "eq":
      return truth(scalarEquals(actual, expected));
    case "ne":
      return truth(!scalarEquals(actual, expected));
    case "in":
      return truth(list.some((item) => scalarEquals(actual, item)));
    case "notIn":
      return truth(!list.some((item) => scalarEquals(actual, item)));
    case "lt":
    case "lte":
    case "gt":
    case "gte": {
      const comparison = compareValues(actual, expected);
      if (comparison === null) {
        return UNKNOWN;
      }
      const holds = {
        lt: comparison < 0,
        lte: comparison <= 0,
        gt: comparison > 0,
        gte: comparison >= 0,
      };
      return truth(holds[op]);
    }
    case "between": {
      const low = compareValues(actual, list[0]);
      const high = compareValues(actual, list[1]);
      return low === null || high === null ? UNKNOWN : truth(low >= 0 && high <= 0);
    }
    case "contains":
      if (Array.isArray(actual)) {
        return truth(actual.some((element) => scalarEquals(element, expected)));
      }
      return typeof actual === "string" && typeof expected === "string"
        ? truth(nfc(actual).includes(nfc(expected)))
        : UNKNOWN;
    case "startsWith":
      return typeof actual === "string" && typeof expected === "string"
        ? truth(nfc(actual).startsWith(nfc(expected)))
        : UNKNOWN;
    default:
      return op satisfies never;
  }
}

function kleene(group: "and" | "or", results: readonly Truth[]): Truth {
  const absorbing = group === "and" ? FALSE : TRUE;
  if (results.includes(absorbing)) {
    return absorbing;
  }
  if (results.includes(UNKNOWN)) {
    return UNKNOWN;
  }
  return group === "and" ? TRUE : FALSE;
}

function leafNode(
  path: JsonPath,
  field: string,
  op: Operator,
  expected: unknown,
  task: Task,
  reportedOp: Operator | "taskType" = op,
): EvaluatedNode {
  const actual = readField(task, field);
  return {
    result: evaluateLeafValue(op, actual, expected),
    leaf: { at: formatPath(path), field, op: reportedOp, expected, actual },
    children: [],
  };
}

/**
 * Evaluates a condition object on a task; its parts are ANDed. A top-level
 * `taskType` is skipped because candidate selection already applied it.
 * Recursive, so it relies on the compiler's nesting limit.
 */
function evaluateNode(
  condition: Condition,
  task: Task,
  path: JsonPath,
  topLevel: boolean,
): EvaluatedNode {
  const parts: EvaluatedNode[] = [];
  if (condition.taskType !== undefined && !topLevel) {
    const types =
      typeof condition.taskType === "string" ? [condition.taskType] : condition.taskType;
    parts.push(leafNode([...path, "taskType"], "type", "in", types, task, "taskType"));
  }
  for (const key of Object.keys(condition.metadata ?? {})) {
    const expected = condition.metadata![key];
    parts.push(
      leafNode([...path, "metadata", key], `metadata.${key}`, "eq", expected, task),
    );
  }
  if (condition.field !== undefined && condition.op !== undefined) {
    parts.push(leafNode(path, condition.field, condition.op, condition.value, task));
  }
  for (const group of ["all", "any"] as const) {
    const children = condition[group];
    if (children !== undefined) {
      const nodes = children.map((child, i) =>
        evaluateNode(child, task, [...path, group, i], false),
      );
      const kind = group === "all" ? "and" : "or";
      parts.push({
        result: kleene(
          kind,
          nodes.map((n) => n.result),
        ),
        group: kind,
        children: nodes,
      });
    }
  }
  if (condition.not !== undefined) {
    const child = evaluateNode(condition.not, task, [...path, "not"], false);
    parts.push({ result: negate(child.result), group: "not", children: [child] });
  }
  if (parts.length === 1) {
    return parts[0]!;
  }
  return {
    result: kleene(
      "and",
      parts.map((n) => n.result),
    ),
    group: "and",
    children: parts,
  };
}

/** Evaluates a rule's condition on a task (top-level `taskType` excluded). */
export function evaluateCondition(when: Condition, task: Task): Truth {
  return evaluateNode(when, task, ["when"], true).result;
}

/** True when the rule is a candidate for this task type (NFC compared). */
export function ruleAppliesToType(rule: Rule, type: string): boolean {
  const listed = rule.when.taskType;
  if (listed === undefined) {
    return true;
  }
  const types = typeof listed === "string" ? [listed] : listed;
  return types.some((item) => nfc(item) === nfc(type));
}

/** Candidate rule indices for a type: by priority (high first), then declaration order. */
export function candidateRules(rules: readonly Rule[], type: string): number[] {
  const indices: number[] = [];
  rules.forEach((rule, r) => {
    if (ruleAppliesToType(rule, type)) {
      indices.push(r);
    }
  });
  return indices.sort((a, b) => rules[b]!.priority - rules[a]!.priority || a - b);
}

/** Finds the leaf that explains why `node` has result `want`, or null for an empty group. */
function blame(node: EvaluatedNode, want: Truth): EvaluatedNode | null {
  let current: EvaluatedNode | undefined = node;
  let target = want;
  while (current !== undefined && current.leaf === undefined) {
    if (current.group === "not") {
      target = negate(target);
      current = current.children[0];
      continue;
    }
    const children: EvaluatedNode[] = current.children;
    current = children.find((child) => child.result === target) ?? children[0];
  }
  return current ?? null;
}

/** The routing state just before the traced task. */
export interface TraceState {
  /** Load per agent index. */
  load: Int32Array;
  /** 1 when the agent may receive tasks, per agent index. */
  available: Uint8Array;
}

/** Traces one task against a rule set given the loads at its turn. */
export function traceTask(ruleSet: RuleSet, task: Task, state: TraceState): TaskTrace {
  const trace: TaskTrace = {
    task: task.id,
    type: task.type,
    steps: [],
    fallback: [],
    result: { task: task.id, skipped: true },
  };
  if (task.status === "completed") {
    return trace;
  }
  const agentIndex = new Map(ruleSet.agents.map((agent, a) => [agent.id, a]));
  let won: Rule | null = null;
  let blocked: { rule: Rule; agent: number } | null = null;
  let sawFull = false;
  let sawUnavailable = false;

  for (const r of candidateRules(ruleSet.rules, task.type)) {
    const rule = ruleSet.rules[r]!;
    const a = agentIndex.get(rule.agent)!;
    const step = ruleStep(rule, a, ruleSet.agents[a]!, task, state, won !== null);
    trace.steps.push(step);
    if (step.outcome === "won") {
      won = rule;
    } else if (
      step.outcome === "agent-unavailable" ||
      step.outcome === "agent-at-capacity"
    ) {
      sawUnavailable ||= step.outcome === "agent-unavailable";
      sawFull ||= step.outcome === "agent-at-capacity";
      blocked ??= { rule, agent: a };
    }
  }
  if (won !== null) {
    trace.result = {
      task: task.id,
      agent: won.agent,
      via: "rule",
      rule: won.id,
      explanation: ruleExplanation(won.id, won.explanation),
    };
    return trace;
  }

  const blockedSentence =
    blocked === null
      ? ""
      : " " +
        blockedRuleSentence(
          blocked.rule.id,
          blocked.rule.agent,
          state.available[blocked.agent] === 1,
          state.load[blocked.agent]!,
          ruleSet.agents[blocked.agent]!.maxConcurrent,
        );
  for (const a of rankCapableAgents(ruleSet.agents, task.type, state.load)) {
    const agent = ruleSet.agents[a]!;
    const load = state.load[a]!;
    if (state.available[a] === 0) {
      trace.fallback.push({ agent: agent.id, outcome: "unavailable", load });
      sawUnavailable = true;
    } else if (load >= agent.maxConcurrent) {
      trace.fallback.push({ agent: agent.id, outcome: "at-capacity", load });
      sawFull = true;
    } else {
      trace.fallback.push({ agent: agent.id, outcome: "won", load });
      const text = capabilityExplanation(agent.id, task.type, agent.successRate, load);
      trace.result = {
        task: task.id,
        agent: agent.id,
        via: "capability",
        explanation: blocked === null ? text : `${text}.${blockedSentence}`,
      };
      return trace;
    }
  }

  const reason = sawFull
    ? "at-capacity"
    : sawUnavailable
      ? "unavailable"
      : "no-capable-agent";
  trace.result = {
    task: task.id,
    reason,
    explanation: unassignedExplanation(task.type, reason) + blockedSentence,
  };
  return trace;
}

function ruleStep(
  rule: Rule,
  a: number,
  agent: Agent,
  task: Task,
  state: TraceState,
  alreadyWon: boolean,
): TraceStep {
  const base = { rule: rule.id, agent: rule.agent };
  const node = evaluateNode(rule.when, task, ["when"], true);
  if (node.result !== TRUE) {
    const culprit = blame(node, node.result)?.leaf;
    return {
      ...base,
      outcome: "condition-failed",
      at: culprit?.at ?? "when",
      field: culprit?.field ?? "",
      op: culprit?.op ?? "taskType",
      expected: culprit?.expected,
      actual: culprit?.actual,
      result: node.result === UNKNOWN ? "unknown" : "false",
    };
  }
  if (alreadyWon) {
    return { ...base, outcome: "not-reached" };
  }
  if (state.available[a] === 0) {
    return { ...base, outcome: "agent-unavailable" };
  }
  if (state.load[a]! >= agent.maxConcurrent) {
    return {
      ...base,
      outcome: "agent-at-capacity",
      load: state.load[a]!,
      maxConcurrent: agent.maxConcurrent,
    };
  }
  return { ...base, outcome: "won" };
}

/**
 * Capable agents of a type in the order the fallback tries them: highest
 * success rate (unknown 0.7), then lowest load, then registry order.
 */
export function rankCapableAgents(
  agents: readonly Agent[],
  type: string,
  load: Int32Array,
): number[] {
  const capable: number[] = [];
  agents.forEach((agent, a) => {
    if (agent.taskTypes.some((item) => nfc(item) === nfc(type))) {
      capable.push(a);
    }
  });
  const rate = (a: number): number => agents[a]!.successRate ?? UNKNOWN_SUCCESS_RATE;
  return capable.sort((x, y) => rate(y) - rate(x) || load[x]! - load[y]! || x - y);
}
