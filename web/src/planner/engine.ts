/**
 * The planner page's calls into the library: planning on the page, routing
 * and tracing in the router worker.
 */
import {
  DEFAULT_RULE_SET,
  Planner,
  type Plan,
  type RouteResult,
  type RuleSet,
  type TaskTrace,
} from "../../../src/engine/index.js";
import { createRouter, type RouterClient } from "../../../src/worker/client.js";

/** Routing a 10^6-task plan takes seconds; the default 30 s leaves no margin on slow machines. */
const ROUTE_TIMEOUT_MS = 120_000;

let router: Promise<RouterClient> | undefined;
let loaded: RuleSet | undefined;

async function routerFor(ruleSet: RuleSet): Promise<RouterClient> {
  router ??= createRouter();
  const client = await router;
  if (loaded !== ruleSet) {
    await client.loadRuleSet(ruleSet);
    loaded = ruleSet;
  }
  return client;
}

/** Decomposes `goal` with the rule set's planner section, or the built-in one. */
export function planGoal(ruleSet: RuleSet, goal: string): Plan {
  const config = ruleSet.planner ?? DEFAULT_RULE_SET.planner;
  if (config === undefined)
    throw new Error("No planner section is available to decompose the goal.");
  return new Planner(config).decompose(goal);
}

/** Routes `plan` in the worker and returns a plain, cloneable result. */
export async function routePlan(
  plan: Plan,
  ruleSet: RuleSet,
  signal: AbortSignal,
): Promise<RouteResult> {
  const client = await routerFor(ruleSet);
  const result = await client.route(plan, { signal, timeoutMs: ROUTE_TIMEOUT_MS });
  return {
    order: [...result.order],
    assignments: [...result.assignments],
    unassigned: [...result.unassigned],
    skipped: [...result.skipped],
    load: { ...result.load },
  };
}

/** Returns the full rule trace of one task. */
export async function traceTask(
  plan: Plan,
  ruleSet: RuleSet,
  taskId: string,
): Promise<TaskTrace> {
  const client = await routerFor(ruleSet);
  return client.trace(plan, taskId);
}

/** Returns which matcher the worker runs and why, for the status line. */
export async function routerEngine(): Promise<string> {
  if (router === undefined) return "";
  const stats = await (await router).stats();
  return stats.fallbackReason === null
    ? stats.engine
    : `${stats.engine} (${stats.fallbackReason})`;
}
