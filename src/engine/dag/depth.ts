/**
 * Plan depth: the longest dependency chain, counted in edges, by dynamic
 * programming over the layered Kahn order (linear time, no recursion).
 *
 * Counting: each `dependsOn` edge counts 1. Hierarchy counts 0, because a
 * refined task and its parts are the same work at a finer grain: a child
 * starts at its parent's depth, and a dependency on a composite task counts
 * from the deepest of its descendants. A chain of n tasks has depth n - 1, an
 * empty plan and a plan without dependencies have depth 0.
 * Preconditions: a graph from `buildGraph`. Throws CycleError on a cycle.
 */
import type { TaskGraph } from "./graph.js";
import { topologicalOrder } from "./topological.js";

/** Returns the longest dependency chain of the graph, in edges. */
export function planDepth(graph: TaskGraph): number {
  return depthInOrder(graph, topologicalOrder(graph));
}

/** Returns the longest dependency chain, given the graph's layered Kahn order. */
export function depthInOrder(graph: TaskGraph, order: Int32Array): number {
  const n = graph.ids.length;
  if (graph.depOffsets[n] === 0) return 0;
  const { parentIndex, depOffsets, depTargets } = graph;

  // Step 1: children in CSR form, to fold each subtree's depth into its root.
  const childOffsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++)
    if (parentIndex[i]! >= 0) childOffsets[parentIndex[i]! + 1]!++;
  for (let i = 0; i < n; i++) childOffsets[i + 1]! += childOffsets[i]!;
  const children = new Int32Array(childOffsets[n]!);
  const cursor = childOffsets.slice(0, n);
  for (let i = 0; i < n; i++)
    if (parentIndex[i]! >= 0) children[cursor[parentIndex[i]!]!++] = i;

  // Step 2: depth of each task in order. `finish[x]` is the depth at which x
  // and all of its descendants are done. It is final when first read, because
  // the order puts every descendant of x before any task that depends on x.
  const depth = new Int32Array(n);
  const finish = new Int32Array(n).fill(-1);
  let deepest = 0;
  for (const task of order) {
    let start = parentIndex[task]! >= 0 ? depth[parentIndex[task]!]! : 0;
    for (let k = depOffsets[task]!; k < depOffsets[task + 1]!; k++) {
      const target = depTargets[k]!;
      start = Math.max(
        start,
        finishDepth(target, depth, finish, childOffsets, children) + 1,
      );
    }
    depth[task] = start;
    deepest = Math.max(deepest, start);
  }
  return deepest;
}

/** Computes (once) the depth at which a task and its whole subtree are done. */
function finishDepth(
  root: number,
  depth: Int32Array,
  finish: Int32Array,
  childOffsets: Int32Array,
  children: Int32Array,
): number {
  if (finish[root]! >= 0) return finish[root]!;
  if (childOffsets[root] === childOffsets[root + 1]) return depth[root]!;

  // Iterative post-order over the subtree; memoised subtrees are skipped.
  const stack: number[] = [root];
  const expanded = new Set<number>();
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!;
    if (finish[node]! >= 0) {
      stack.pop();
      continue;
    }
    if (!expanded.has(node)) {
      expanded.add(node);
      for (let k = childOffsets[node]!; k < childOffsets[node + 1]!; k++) {
        if (finish[children[k]!]! < 0) stack.push(children[k]!);
      }
      continue;
    }
    let value = depth[node]!;
    for (let k = childOffsets[node]!; k < childOffsets[node + 1]!; k++) {
      value = Math.max(value, finish[children[k]!]!);
    }
    finish[node] = value;
    stack.pop();
  }
  return finish[root]!;
}
