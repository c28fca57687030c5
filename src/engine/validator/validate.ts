/**
 * The plan validator: five checks that all run and report, and a quality
 * score computed only when every check passes.
 *
 * Issue codes (stable; `severity` in brackets):
 * - solvability: `unknown-agent`, `unsupported-type`, `missing-skills` [error],
 *   `invalid-required-skills` [warning];
 * - completeness: `unassigned-task`, `unknown-task`, `duplicate-assignment`,
 *   `invalid-assignment` [error], `empty-plan` [warning];
 * - nonRedundancy: `redundant-task` [error], `shared-agent-type` [warning];
 * - structure: `cycle`, `invalid-graph`, `depth-exceeded`, `too-many-tasks`
 *   [error], `deep-plan`, `many-tasks` [warning];
 * - budget: `over-budget` [error].
 */

import type { Plan, RouteResult, RuleSet, ValidationResult } from "../types.js";
import { checkCompleteness } from "./completeness.js";
import { createContext } from "./context.js";
import { checkRedundancy } from "./redundancy.js";
import { combineScore, computeScoreParts, estimateCostUnits } from "./score.js";
import { checkSolvability } from "./solvability.js";
import { checkStructure } from "./structure.js";

export interface ValidateOptions {
  /** Maximum estimated cost in cost units (see `TIER_COST_UNITS`); absent skips the check. */
  budget?: number;
  /** Task limit; defaults to the rule set's `planner.limits.maxTasks`, else 1000. */
  maxTasks?: number;
}

export const DEFAULT_MAX_TASKS = 1000;

/**
 * Validates a routed plan. `route` is a route result or a plain
 * `{taskId: agentId}` map. Problems in the plan or the route are returned as
 * issues; only invalid options throw (a RangeError).
 */
export function validatePlan(
  plan: Plan,
  route: RouteResult | Record<string, string>,
  ruleSet: RuleSet,
  options: ValidateOptions = {},
): ValidationResult {
  const budget = readBudget(options.budget);
  const maxTasks = readMaxTasks(options.maxTasks ?? ruleSet.planner?.limits?.maxTasks);
  const context = createContext(plan, route, ruleSet);

  const solvability = checkSolvability(context);
  const completeness = checkCompleteness(context);
  const redundancy = checkRedundancy(context);
  const structure = checkStructure(context, maxTasks);
  const budgetIssues =
    budget === undefined ? [] : checkBudget(estimateCostUnits(context), budget);

  const checks = {
    solvability: solvability.issues.length === 0,
    completeness: completeness.issues.length === 0,
    nonRedundancy: redundancy.issues.length === 0,
    structure: structure.issues.length === 0,
    budget: budget === undefined ? null : budgetIssues.length === 0,
  };
  const passed =
    checks.solvability &&
    checks.completeness &&
    checks.nonRedundancy &&
    checks.structure &&
    checks.budget !== false;
  const scoreParts = computeScoreParts(context, structure.depth);

  return {
    passed,
    checks,
    qualityScore: passed ? combineScore(scoreParts) : null,
    scoreParts,
    issues: [
      ...solvability.issues,
      ...completeness.issues,
      ...redundancy.issues,
      ...structure.issues,
      ...budgetIssues,
    ],
    warnings: [
      ...solvability.warnings,
      ...completeness.warnings,
      ...redundancy.warnings,
      ...structure.warnings,
    ],
  };
}

function checkBudget(cost: number, budget: number): ValidationResult["issues"] {
  if (cost <= budget) return [];
  return [
    {
      code: "over-budget",
      severity: "error",
      message:
        `The estimated cost is ${cost} units, over the budget of ${budget}; ` +
        `move tasks to cheaper agents or raise the budget.`,
    },
  ];
}

function readBudget(budget: number | undefined): number | undefined {
  if (budget === undefined) return undefined;
  if (typeof budget !== "number" || !Number.isFinite(budget) || budget < 0) {
    throw new RangeError(
      `validatePlan: budget must be a finite number of cost units >= 0, got ${String(budget)}`,
    );
  }
  return budget;
}

function readMaxTasks(maxTasks: number | undefined): number {
  if (maxTasks === undefined) return DEFAULT_MAX_TASKS;
  if (!Number.isInteger(maxTasks) || maxTasks < 1) {
    throw new RangeError(
      `validatePlan: maxTasks must be a positive integer, got ${String(maxTasks)}`,
    );
  }
  return maxTasks;
}

/** Estimates the cost, in `TIER_COST_UNITS`, that the budget check compares. */
export function estimatePlanCost(
  plan: Plan,
  route: RouteResult | Record<string, string>,
  ruleSet: RuleSet,
): number {
  return estimateCostUnits(createContext(plan, route, ruleSet));
}
