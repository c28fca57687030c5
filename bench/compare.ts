/**
 * A comparable form of a route result, for checking that a baseline routes
 * exactly like the engine. Explanations are compared for rule assignments
 * only: the engine adds sentences about blocked rules to fallback and
 * unassigned explanations that the baselines do not reproduce.
 */
import type { RouteResult } from "../src/engine/types.js";

/** Returns the fields of a route result that every router must agree on. */
export function routeSignature(result: RouteResult): unknown {
  return {
    order: result.order,
    assignments: result.assignments.map((a) =>
      a.via === "rule"
        ? [a.task, a.agent, a.via, a.rule, a.explanation]
        : [a.task, a.agent, a.via],
    ),
    unassigned: result.unassigned.map((u) => [u.task, u.reason]),
    skipped: result.skipped,
    load: result.load,
  };
}

/** True when two route results agree on every field of `routeSignature`. */
export function sameRoute(a: RouteResult, b: RouteResult): boolean {
  return JSON.stringify(routeSignature(a)) === JSON.stringify(routeSignature(b));
}
