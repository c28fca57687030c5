/**
 * Worker scenarios: routing through the worker-backed router (packing and
 * transfer included), round trips, cold starts and bytes on the boundary.
 */
import type { Plan, RuleSet } from "../src/engine/types.js";
import type { RunContext } from "./scenarios.js";

/** Measures routing `plan` through the worker with each matcher. */
export async function workerScale(
  run: RunContext,
  _plan: Plan,
  _ruleSet: RuleSet,
  tag: string,
): Promise<void> {
  run.progress("scale", `worker scenarios for ${tag} are not wired yet`);
}

/** Round trips for 1, 5 and 200 tasks, and cold starts. */
export async function runWorkerSuite(run: RunContext): Promise<void> {
  run.progress("worker", "worker scenarios are not wired yet");
}
