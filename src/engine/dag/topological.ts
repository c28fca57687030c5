/**
 * Topological order of a task graph: the layered Kahn order of `order.ts`,
 * with ids, and a CycleError naming one whole cycle when there is none.
 * Preconditions: a graph from `buildGraph` (ids unique, references valid).
 */
import { CycleError } from "../errors.js";
import type { Plan } from "../types.js";
import { buildGraph, type TaskGraph } from "./graph.js";
import { kahnOrder } from "./order.js";

/** Returns task indices in layered Kahn order; throws CycleError on a cycle. */
export function topologicalOrder(graph: TaskGraph): Int32Array {
  const result = kahnOrder(
    graph.ids.length,
    graph.parentIndex,
    graph.depOffsets,
    graph.depTargets,
  );
  if ("cycle" in result) throw cycleErrorFor(cycleIds(graph, result.cycle));
  return result.order;
}

/** Returns the plan's task ids in layered Kahn order; throws PlanError or CycleError. */
export function orderPlan(plan: Plan): string[] {
  const graph = buildGraph(plan.tasks);
  return Array.from(topologicalOrder(graph), (index) => graph.ids[index]!);
}

/** Maps a cycle of task indices to ids. */
export function cycleIds(graph: TaskGraph, cycle: Int32Array): string[] {
  return Array.from(cycle, (index) => graph.ids[index]!);
}

/**
 * Builds the CycleError for a cycle of ids (first id repeated last). Each id
 * waits for the next one: it depends on it, is its child, or depends on a
 * composite task that contains it.
 */
export function cycleErrorFor(cycle: string[]): CycleError {
  const chain = cycle.join(" -> ");
  return new CycleError(
    `Dependency cycle: ${chain} (each task waits for the next); remove one of these dependencies`,
    { code: "E_CYCLE", details: { cycle } },
  );
}
