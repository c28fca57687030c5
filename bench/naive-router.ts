/**
 * The naive baseline router: the routing rules of the engine's `Router`, done
 * the way the reference system did them before it was optimised. For every
 * task it sorts a copy of the rules by priority, scans all of them with the
 * condition interpreted on the task object, finds agents by linear search and
 * scans every agent for the capability fallback. It exists only to be
 * measured against, so it lives in bench/ and not in the library.
 *
 * It takes the routing order from the engine's `orderPlan`, because the
 * baselines compare rule matching and assignment, not topological sorting.
 */
import { orderPlan } from "../src/engine/dag/index.js";
import type {
  Agent,
  Assignment,
  Plan,
  RouteOptions,
  RouteResult,
  Rule,
  RuleSet,
  Task,
  Unassigned,
  UnassignedReason,
} from "../src/engine/types.js";
import {
  capabilityExplanation,
  ruleExplanation,
  unassignedExplanation,
} from "../src/engine/router/result.js";
import { evaluateCondition, TRUE } from "./object-conditions.js";

/** Success rate counted for an agent whose rate is unknown. */
export const UNKNOWN_SUCCESS_RATE = 0.7;

interface RankedRule {
  rule: Rule;
  index: number;
}

function sortRules(rules: readonly Rule[]): RankedRule[] {
  const ranked = rules.map((rule, index) => ({ rule, index }));
  ranked.sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index);
  return ranked;
}

function findAgent(agents: readonly Agent[], id: string): Agent | undefined {
  for (const agent of agents) {
    if (agent.id === id) return agent;
  }
  return undefined;
}

export function isAvailable(agentId: string, options: RouteOptions): boolean {
  const available = options.availableAgents;
  return available === undefined || available.includes(agentId);
}

/** Flags for a task's agents (of matching rules or capable) that were full or unavailable. */
export interface Blocked {
  full: boolean;
  unavailable: boolean;
}

/**
 * Picks the capability fallback agent: available, below capacity, supports
 * the type; highest success rate, then lowest load, then registry order.
 */
export function pickCapableAgent(
  task: Task,
  agents: readonly Agent[],
  load: Record<string, number>,
  options: RouteOptions,
  blocked: Blocked,
): Agent | undefined {
  let best: Agent | undefined;
  for (const agent of agents) {
    if (!agent.taskTypes.includes(task.type)) continue;
    if (!isAvailable(agent.id, options)) {
      blocked.unavailable = true;
      continue;
    }
    const current = load[agent.id] ?? 0;
    if (current >= agent.maxConcurrent) {
      blocked.full = true;
      continue;
    }
    if (best === undefined) {
      best = agent;
      continue;
    }
    const rate = agent.successRate ?? UNKNOWN_SUCCESS_RATE;
    const bestRate = best.successRate ?? UNKNOWN_SUCCESS_RATE;
    if (rate > bestRate || (rate === bestRate && current < (load[best.id] ?? 0))) {
      best = agent;
    }
  }
  return best;
}

/** Picks the unassigned reason in the engine's precedence: at-capacity, unavailable, no capable agent. */
export function unassignedReason(blocked: Blocked): UnassignedReason {
  if (blocked.full) return "at-capacity";
  return blocked.unavailable ? "unavailable" : "no-capable-agent";
}

/** Routes a plan with the naive algorithm; the result equals `Router.route`. */
export function naiveRoute(
  plan: Plan,
  ruleSet: RuleSet,
  options: RouteOptions = {},
): RouteResult {
  const order = orderPlan(plan);
  const tasks = new Map<string, Task>();
  for (const task of plan.tasks) tasks.set(task.id, task);

  const load: Record<string, number> = {};
  for (const agent of ruleSet.agents) load[agent.id] = options.load?.[agent.id] ?? 0;

  const assignments: Assignment[] = [];
  const unassigned: Unassigned[] = [];
  const skipped: string[] = [];

  for (const id of order) {
    const task = tasks.get(id) as Task;
    if (task.status === "completed") {
      skipped.push(id);
      continue;
    }

    let assignment: Assignment | undefined;
    const blocked: Blocked = { full: false, unavailable: false };
    for (const { rule } of sortRules(ruleSet.rules)) {
      if (evaluateCondition(rule.when, task) !== TRUE) continue;
      const agent = findAgent(ruleSet.agents, rule.agent);
      if (agent === undefined) continue;
      if (!isAvailable(agent.id, options)) {
        blocked.unavailable = true;
        continue;
      }
      if ((load[agent.id] ?? 0) >= agent.maxConcurrent) {
        blocked.full = true;
        continue;
      }
      assignment = {
        task: id,
        agent: agent.id,
        via: "rule",
        rule: rule.id,
        explanation: ruleExplanation(rule.id, rule.explanation),
      };
      break;
    }

    if (assignment === undefined) {
      const picked = pickCapableAgent(task, ruleSet.agents, load, options, blocked);
      if (picked === undefined) {
        const reason = unassignedReason(blocked);
        unassigned.push({
          task: id,
          reason,
          explanation: unassignedExplanation(task.type, reason),
        });
        continue;
      }
      assignment = {
        task: id,
        agent: picked.id,
        via: "capability",
        explanation: capabilityExplanation(
          picked.id,
          task.type,
          picked.successRate,
          load[picked.id] ?? 0,
        ),
      };
    }

    load[assignment.agent] = (load[assignment.agent] ?? 0) + 1;
    assignments.push(assignment);
  }

  return { order, assignments, unassigned, skipped, load };
}
