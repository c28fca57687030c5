/**
 * The one place the CLI routes plans. Every command gets its router from
 * `createRoutingEngine`. The `wasm` and `js` engines run the matcher in a
 * worker_threads worker, the way a web page runs it in a Web Worker. The
 * `inline` engine routes in this process without a worker.
 */

import { Router } from "../engine/router/index.js";
import type {
  Plan,
  RouteOptions,
  RouteResult,
  RuleSet,
  TaskTrace,
} from "../engine/types.js";
import { createRouter } from "../worker/client.js";

export interface RoutingEngine {
  route(plan: Plan, options: RouteOptions): Promise<RouteResult>;
  trace(plan: Plan, taskId: string, options: RouteOptions): Promise<TaskTrace>;
  /** Stops the worker, if any, so the process can exit. */
  close(): void;
}

/** Engines the CLI can route with. */
export const ENGINE_KINDS = ["wasm", "js", "inline"] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];
export const DEFAULT_ENGINE: EngineKind = "wasm";

export function isEngineKind(value: string): value is EngineKind {
  return (ENGINE_KINDS as readonly string[]).includes(value);
}

/**
 * Creates a routing engine for a validated rule set. Throws RuleSetError when
 * the router cannot compile a rule.
 */
export async function createRoutingEngine(
  ruleSet: RuleSet,
  kind: EngineKind = DEFAULT_ENGINE,
): Promise<RoutingEngine> {
  switch (kind) {
    case "inline": {
      const router = new Router(ruleSet);
      return {
        route: (plan, options) => Promise.resolve(router.route(plan, options)),
        trace: (plan, taskId, options) =>
          Promise.resolve(router.trace(plan, taskId, options)),
        close: () => {},
      };
    }
    case "wasm":
    case "js": {
      const client = await createRouter({ engine: kind, ruleSet });
      return {
        route: (plan, options) => client.route(plan, options),
        trace: (plan, taskId, options) => client.trace(plan, taskId, options),
        close: () => client.terminate(),
      };
    }
    default:
      return kind satisfies never;
  }
}
