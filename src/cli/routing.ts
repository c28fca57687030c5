/**
 * The one place the CLI routes plans. Every command gets its router from
 * `createRoutingEngine`, so another engine (WASM, a worker) can be swapped in
 * here without touching the commands.
 */

import { Router } from "../engine/router/index.js";
import type {
  Plan,
  RouteOptions,
  RouteResult,
  RuleSet,
  TaskTrace,
} from "../engine/types.js";

export interface RoutingEngine {
  route(plan: Plan, options: RouteOptions): Promise<RouteResult>;
  trace(plan: Plan, taskId: string, options: RouteOptions): Promise<TaskTrace>;
}

/** Engines the CLI can route with; only the in-process JS router exists so far. */
export type EngineKind = "js";

/**
 * Creates a routing engine for a validated rule set. Throws RuleSetError when
 * the router cannot compile a rule.
 */
export function createRoutingEngine(
  ruleSet: RuleSet,
  kind: EngineKind = "js",
): RoutingEngine {
  switch (kind) {
    case "js": {
      const router = new Router(ruleSet);
      return {
        route: (plan, options) => Promise.resolve(router.route(plan, options)),
        trace: (plan, taskId, options) =>
          Promise.resolve(router.trace(plan, taskId, options)),
      };
    }
    default:
      return kind satisfies never;
  }
}
