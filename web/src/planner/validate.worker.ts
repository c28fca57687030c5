/**
 * Runs the validator off the main thread, so that checking a plan of 10^5
 * tasks never blocks the page. One request per message; the page terminates
 * the worker to cancel.
 */
import {
  validatePlan,
  type Plan,
  type RouteResult,
  type RuleSet,
} from "../../../src/engine/index.js";

export interface ValidateRequest {
  plan: Plan;
  route: RouteResult;
  ruleSet: RuleSet;
}

export type ValidateResponse =
  | { ok: true; result: ReturnType<typeof validatePlan> }
  | { ok: false; name: string; message: string };

self.addEventListener("message", (event: MessageEvent<ValidateRequest>) => {
  const { plan, route, ruleSet } = event.data;
  let response: ValidateResponse;
  try {
    response = { ok: true, result: validatePlan(plan, route, ruleSet) };
  } catch (error) {
    response = {
      ok: false,
      name: error instanceof Error ? error.name : "Error",
      message: error instanceof Error ? error.message : String(error),
    };
  }
  self.postMessage(response);
});
