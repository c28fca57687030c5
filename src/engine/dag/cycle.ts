/**
 * Cycle search. It runs the same layered Kahn pass as `topologicalOrder`, so
 * the two always agree: a graph has an order exactly when it has no cycle.
 * Preconditions: a graph from `buildGraph`.
 */
import type { TaskGraph } from "./graph.js";
import { findCycleIndices } from "./order.js";
import { cycleIds } from "./topological.js";

/**
 * Returns one cycle as ids, first id repeated last and each id waiting for
 * the next, or null when the graph is acyclic.
 */
export function findCycle(graph: TaskGraph): string[] | null {
  const cycle = findCycleIndices(
    graph.ids.length,
    graph.parentIndex,
    graph.depOffsets,
    graph.depTargets,
  );
  return cycle === null ? null : cycleIds(graph, cycle);
}
