/**
 * Quality score and cost estimate.
 *
 * score = 0.4·S + 0.3·Q + 0.2·(1 − C) + 0.1·(1 − T), where over the
 * assignments to known agents
 * - S is the product of the agents' success rates (unknown counts as 0.7),
 *   one factor per assignment, and 0.7 when there is none;
 * - Q is the mean of 0.7·typeMatch + 0.3·skillMatch, where skillMatch is the
 *   share of required skills the agent has (1 when none are required), and
 *   0.5 when there is none;
 * - C is the mean tier cost (cheap 0.2, medium 0.5, expensive 0.9), and 0.5
 *   when there is none;
 * - T is min(depth / 10, 1), and 1 when the depth is unknown (a cycle).
 * One `generic` task on an agent with successRate 0.82 and a medium tier
 * scores 0.4·0.82 + 0.3·1 + 0.2·0.5 + 0.1·1 = 0.828.
 */

import type { Agent, CostTier, ScoreParts } from "../types.js";
import { requiredSkills, type ValidationContext } from "./context.js";

/** Success rate assumed for an agent whose rate is absent (or not a number in [0, 1]). */
export const UNKNOWN_SUCCESS_RATE = 0.7;

/** Share of each tier in the score's cost part C. */
export const TIER_SCORE_COST: Readonly<Record<CostTier, number>> = {
  cheap: 0.2,
  medium: 0.5,
  expensive: 0.9,
};

/**
 * Estimated cost, in abstract cost units, of running one task on an agent of
 * each tier: ten times the tier's score cost. The budget check compares the
 * sum over assigned, not completed tasks against the budget in these units.
 */
export const TIER_COST_UNITS: Readonly<Record<CostTier, number>> = {
  cheap: 2,
  medium: 5,
  expensive: 9,
};

export function computeScoreParts(
  context: ValidationContext,
  depth: number | null,
): ScoreParts {
  let success = 1;
  let qualitySum = 0;
  let costSum = 0;
  let count = 0;

  const { taskList, assignmentTasks, assignmentAgents } = context;
  for (let i = 0; i < assignmentAgents.length; i++) {
    const agent = assignmentAgents[i];
    if (agent === undefined) continue;
    const task = taskList[assignmentTasks[i]!]!;
    count++;
    success *= successRate(agent);
    const typeMatch = agent.taskTypes.includes(task.type) ? 1 : 0;
    qualitySum += 0.7 * typeMatch + 0.3 * skillMatch(agent, requiredSkills(task));
    costSum += tierWeight(TIER_SCORE_COST, agent.costTier);
  }

  return {
    success: count === 0 ? UNKNOWN_SUCCESS_RATE : success,
    quality: count === 0 ? 0.5 : qualitySum / count,
    cost: count === 0 ? 0.5 : costSum / count,
    time: depth === null ? 1 : Math.min(depth / 10, 1),
  };
}

/** Combines the parts, rounded to six decimals so 0.828 prints as 0.828. */
export function combineScore(parts: ScoreParts): number {
  const raw =
    0.4 * parts.success +
    0.3 * parts.quality +
    0.2 * (1 - parts.cost) +
    0.1 * (1 - parts.time);
  return Math.round(raw * 1e6) / 1e6;
}

/** Sums TIER_COST_UNITS over the assigned, not completed tasks on known agents. */
export function estimateCostUnits(context: ValidationContext): number {
  let total = 0;
  const { taskList, assignmentTasks, assignmentAgents } = context;
  for (let i = 0; i < assignmentAgents.length; i++) {
    const agent = assignmentAgents[i];
    if (agent === undefined) continue;
    const task = taskList[assignmentTasks[i]!]!;
    if (task.status === "completed") continue;
    total += tierWeight(TIER_COST_UNITS, agent.costTier);
  }
  return total;
}

function successRate(agent: Agent): number {
  const rate = agent.successRate;
  return typeof rate === "number" && rate >= 0 && rate <= 1 ? rate : UNKNOWN_SUCCESS_RATE;
}

/** Share of required skills the agent has; 1 when none (or an unreadable list) is required. */
function skillMatch(agent: Agent, skills: string[] | undefined): number {
  if (skills === undefined || skills.length === 0) return 1;
  const held = skills.filter((skill) => agent.skills.includes(skill)).length;
  return held / skills.length;
}

function tierWeight(table: Readonly<Record<CostTier, number>>, tier: CostTier): number {
  // The three names are compared directly, which is cheaper than the
  // property lookup below.
  if (tier === "cheap" || tier === "medium" || tier === "expensive") return table[tier];
  // A tier outside the three names (an unvalidated rule set) counts as medium.
  return Object.prototype.hasOwnProperty.call(table, tier) ? table[tier] : table.medium;
}
