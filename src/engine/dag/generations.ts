/**
 * Generations: the layers of the layered Kahn order. Generation 0 contains the
 * tasks with no unmet dependency, and generation k + 1 contains the tasks
 * freed by generation k. Tasks of one generation may run in parallel.
 * Preconditions: a graph from `buildGraph`. Throws CycleError on a cycle.
 */
import type { TaskGraph } from "./graph.js";
import { layeredOrder } from "./order.js";
import { cycleErrorFor, cycleIds } from "./topological.js";

/** Returns the ids of each generation, in order. */
export function generations(graph: TaskGraph): string[][] {
  const result = layeredOrder(
    graph.ids.length,
    graph.parentIndex,
    graph.depOffsets,
    graph.depTargets,
  );
  if ("cycle" in result) throw cycleErrorFor(cycleIds(graph, result.cycle));

  const { order, layerStarts } = result;
  const layers: string[][] = [];
  for (let layer = 0; layer + 1 < layerStarts.length; layer++) {
    const ids: string[] = [];
    for (let k = layerStarts[layer]!; k < layerStarts[layer + 1]!; k++) {
      ids.push(graph.ids[order[k]!]!);
    }
    layers.push(ids);
  }
  return layers;
}
