/**
 * Layered Kahn sort over a packed, integer-only task graph with hierarchy.
 *
 * Algorithm: Kahn's topological sort, run layer by layer. Layer 0 is every
 * task with no unmet dependency, in task-index order. Each next layer is the
 * tasks freed while scanning the previous layer in order. Layers are
 * concatenated. Time and memory are linear in tasks + parents + dependencies.
 *
 * Hierarchy (a task whose `parent` is p is a child of p; p is composite):
 * - p comes before each of its children (edge p -> child), so p's own
 *   dependencies also hold for every descendant;
 * - each composite p gets a virtual "p done" node that waits for every child
 *   (a child that is itself composite contributes its own "done" node);
 * - a dependency on a composite waits for its "done" node, that is, for all
 *   of its descendants. A task that depends on its own ancestor therefore
 *   waits for itself, which is a cycle.
 * Virtual nodes never appear in the order. When a task frees a virtual node,
 * that node is settled at once, and the tasks it frees join the next layer in
 * the order they were freed.
 *
 * Preconditions: each `parentIndex[i]` is -1 or a task index. `depOffsets`
 * has length taskCount + 1 and rises from 0 without decreasing. Every
 * `depTargets` entry is a task index. Duplicated dependencies are allowed. A RangeError reports
 * any violation.
 *
 * Cycles: the returned `cycle` follows "waits for" edges, so `[a, b, a]` reads
 * "a waits for b, which waits for a". It starts at its lowest task index and
 * repeats that index last. A self-dependency gives `[a, a]`.
 */

export type LayeredOrderResult =
  | {
      order: Int32Array;
      /** Start of each layer in `order`, plus `order.length` at the end. */
      layerStarts: Int32Array;
    }
  | { cycle: Int32Array };

/** Computes the layered Kahn order of a packed plan, or one cycle that prevents it. */
export function layeredOrder(
  taskCount: number,
  parentIndex: Int32Array,
  depOffsets: Int32Array,
  depTargets: Int32Array,
): LayeredOrderResult {
  const hasParent = checkInput(taskCount, parentIndex, depOffsets, depTargets);
  if (!hasParent && depOffsets[taskCount] === 0) {
    // No edges: one layer holding every task in index order.
    return {
      order: identityOrder(taskCount),
      layerStarts: taskCount > 0 ? Int32Array.of(0, taskCount) : Int32Array.of(0),
    };
  }
  const graph = buildNodeGraph(taskCount, parentIndex, depOffsets, depTargets);
  const order = new Int32Array(taskCount);
  const starts: number[] = [0];
  const emitted = runKahn(graph, order, starts);
  if (emitted === taskCount) {
    return { order, layerStarts: Int32Array.from(starts) };
  }
  return { cycle: extractCycle(graph) };
}

/**
 * Computes the same order as `layeredOrder` without the layer boundaries,
 * which saves building them, or the same cycle when there is no order.
 */
export function kahnOrder(
  taskCount: number,
  parentIndex: Int32Array,
  depOffsets: Int32Array,
  depTargets: Int32Array,
): { order: Int32Array } | { cycle: Int32Array } {
  const hasParent = checkInput(taskCount, parentIndex, depOffsets, depTargets);
  if (!hasParent && depOffsets[taskCount] === 0) {
    return { order: identityOrder(taskCount) };
  }
  const graph = buildNodeGraph(taskCount, parentIndex, depOffsets, depTargets);
  const order = new Int32Array(taskCount);
  if (runKahn(graph, order, null) === taskCount) return { order };
  return { cycle: extractCycle(graph) };
}

/**
 * Returns the cycle that `layeredOrder` reports, or null when the graph has
 * an order. Nothing is allocated for an acyclic graph.
 */
export function findCycleIndices(
  taskCount: number,
  parentIndex: Int32Array,
  depOffsets: Int32Array,
  depTargets: Int32Array,
): Int32Array | null {
  const hasParent = checkInput(taskCount, parentIndex, depOffsets, depTargets);
  if (!hasParent) {
    if (depOffsets[taskCount] === 0) return null;
    if (settlesWithoutHierarchy(taskCount, depOffsets, depTargets)) return null;
  }
  const graph = buildNodeGraph(taskCount, parentIndex, depOffsets, depTargets);
  const order = int32Scratch(SCRATCH_ORDER, taskCount);
  if (runKahn(graph, order, null) === taskCount) return null;
  return extractCycle(graph);
}

function identityOrder(taskCount: number): Int32Array {
  const order = new Int32Array(taskCount);
  for (let t = 0; t < taskCount; t++) order[t] = t;
  return order;
}

/**
 * Returns true when a graph without parents is acyclic. Kahn runs along the
 * "waits for" edges as stored in the CSR, so no forward edge list is built:
 * a graph and its reverse have the same cycles.
 */
function settlesWithoutHierarchy(
  taskCount: number,
  depOffsets: Int32Array,
  depTargets: Int32Array,
): boolean {
  const depCount = depOffsets[taskCount]!;
  const waiting = int32Scratch(SCRATCH_INDEGREE, taskCount);
  waiting.fill(0, 0, taskCount);
  for (let k = 0; k < depCount; k++) waiting[depTargets[k]!]!++;

  const queue = int32Scratch(SCRATCH_ORDER, taskCount);
  let tail = 0;
  for (let t = 0; t < taskCount; t++) {
    if (waiting[t] === 0) queue[tail++] = t;
  }
  for (let head = 0; head < tail; head++) {
    const task = queue[head]!;
    for (let k = depOffsets[task]!; k < depOffsets[task + 1]!; k++) {
      const target = depTargets[k]!;
      if (--waiting[target]! === 0) queue[tail++] = target;
    }
  }
  return tail === taskCount;
}

/** Forward "runs before" edges over tasks 0..n-1 and virtual nodes n..2n-1. */
interface NodeGraph {
  taskCount: number;
  /** Virtual node of task i is `taskCount + i`; only composites use theirs. */
  isComposite: Uint8Array;
  offsets: Int32Array;
  /** Edge targets; only the first `edgeCount` entries belong to this graph. */
  targets: Int32Array;
  edgeCount: number;
}

/**
 * Grow-only scratch arrays reused across calls. Each call allocates only
 * what it returns, because a typed-array allocation costs far more than the
 * linear passes over a plan of a few hundred tasks. Safe because the sort
 * runs synchronously and never re-enters itself. The arrays start at 1,024
 * entries, so they are always allocated outside the JS heap and the passes
 * see one kind of array.
 */
const scratchInt32: Int32Array[] = [];
let scratchFlags = new Uint8Array(1024);

/** Returns scratch array `slot` with at least `length` entries; contents are stale. */
function int32Scratch(slot: number, length: number): Int32Array {
  let array = scratchInt32[slot];
  if (array === undefined || array.length < length) {
    array = new Int32Array(Math.max(1024, 2 * length));
    scratchInt32[slot] = array;
  }
  return array;
}

/** Scratch slots of int32Scratch. */
const SCRATCH_OFFSETS = 0;
const SCRATCH_TARGETS = 1;
const SCRATCH_CURSOR = 2;
const SCRATCH_INDEGREE = 3;
const SCRATCH_VIRTUAL_QUEUE = 4;
const SCRATCH_ORDER = 5;

/** Throws RangeError on a malformed graph; returns whether any task has a parent. */
function checkInput(
  taskCount: number,
  parentIndex: Int32Array,
  depOffsets: Int32Array,
  depTargets: Int32Array,
): boolean {
  if (!Number.isInteger(taskCount) || taskCount < 0 || taskCount > 0x3fffffff) {
    throw new RangeError(
      `layeredOrder: taskCount must be an integer in [0, 2^30), got ${taskCount}`,
    );
  }
  if (parentIndex.length < taskCount) {
    throw new RangeError(
      `layeredOrder: parentIndex has ${parentIndex.length} entries, expected ${taskCount}`,
    );
  }
  if (depOffsets.length !== taskCount + 1 || depOffsets[0] !== 0) {
    throw new RangeError(
      `layeredOrder: depOffsets must have ${taskCount + 1} entries starting at 0`,
    );
  }
  let hasParent = false;
  for (let i = 0; i < taskCount; i++) {
    const parent = parentIndex[i]!;
    if (parent >= 0) hasParent = true;
    if (parent < -1 || parent >= taskCount) {
      throw new RangeError(
        `layeredOrder: parentIndex[${i}] = ${parent} is not a task index`,
      );
    }
    if (depOffsets[i + 1]! < depOffsets[i]!) {
      throw new RangeError(`layeredOrder: depOffsets decreases at ${i + 1}`);
    }
  }
  const depCount = depOffsets[taskCount]!;
  if (depCount > depTargets.length) {
    throw new RangeError(
      `layeredOrder: depOffsets ends at ${depCount} but depTargets has ${depTargets.length} entries`,
    );
  }
  for (let k = 0; k < depCount; k++) {
    const target = depTargets[k]!;
    if (target < 0 || target >= taskCount) {
      throw new RangeError(
        `layeredOrder: depTargets[${k}] = ${target} is not a task index`,
      );
    }
  }
  return hasParent;
}

function buildNodeGraph(
  taskCount: number,
  parentIndex: Int32Array,
  depOffsets: Int32Array,
  depTargets: Int32Array,
): NodeGraph {
  const n = taskCount;
  if (scratchFlags.length < n) scratchFlags = new Uint8Array(2 * n);
  const isComposite = scratchFlags;
  isComposite.fill(0, 0, n);
  for (let i = 0; i < n; i++) {
    const parent = parentIndex[i]!;
    if (parent >= 0) isComposite[parent] = 1;
  }
  // The node that stands for "task x is finished", including its descendants.
  const doneNode = (x: number): number => (isComposite[x] === 1 ? n + x : x);

  // Step 1: count out-edges per node.
  const offsets = int32Scratch(SCRATCH_OFFSETS, 2 * n + 1);
  offsets.fill(0, 0, 2 * n + 1);
  for (let t = 0; t < n; t++) {
    const parent = parentIndex[t]!;
    if (parent >= 0) {
      offsets[parent + 1]!++;
      offsets[doneNode(t) + 1]!++;
    }
    for (let k = depOffsets[t]!; k < depOffsets[t + 1]!; k++) {
      offsets[doneNode(depTargets[k]!) + 1]!++;
    }
  }
  for (let v = 0; v < 2 * n; v++) {
    offsets[v + 1]! += offsets[v]!;
  }

  // Step 2: fill, visiting tasks in index order so successor lists are sorted.
  const edgeCount = offsets[2 * n]!;
  const targets = int32Scratch(SCRATCH_TARGETS, edgeCount);
  const cursor = int32Scratch(SCRATCH_CURSOR, 2 * n);
  cursor.set(offsets.subarray(0, 2 * n));
  for (let t = 0; t < n; t++) {
    const parent = parentIndex[t]!;
    if (parent >= 0) {
      targets[cursor[parent]!++] = t;
      targets[cursor[doneNode(t)]!++] = n + parent;
    }
    for (let k = depOffsets[t]!; k < depOffsets[t + 1]!; k++) {
      targets[cursor[doneNode(depTargets[k]!)]!++] = t;
    }
  }
  return { taskCount: n, isComposite, offsets, targets, edgeCount };
}

/**
 * Runs the layered Kahn pass and writes the order into `order`. When
 * `starts` is given, the start of each later layer and then the order's end
 * are appended to it. Returns the number of tasks ordered, which is below the
 * task count exactly when there is a cycle. The in-degrees stay in the
 * indegree scratch array for `extractCycle`.
 */
function runKahn(graph: NodeGraph, order: Int32Array, starts: number[] | null): number {
  const { taskCount: n, offsets, targets, edgeCount } = graph;
  const indegree = int32Scratch(SCRATCH_INDEGREE, 2 * n);
  indegree.fill(0, 0, 2 * n);
  for (let e = 0; e < edgeCount; e++) {
    indegree[targets[e]!]!++;
  }

  // `order` doubles as the layer queue: the next layer is appended behind the
  // one being scanned, so scanning it in place is the layered order.
  let emitted = 0;
  for (let t = 0; t < n; t++) {
    if (indegree[t] === 0) order[emitted++] = t;
  }

  const virtualQueue = int32Scratch(SCRATCH_VIRTUAL_QUEUE, n);
  let layerEnd = emitted;
  for (let head = 0; head < emitted; head++) {
    if (head === layerEnd) {
      if (starts !== null) starts.push(head);
      layerEnd = emitted;
    }
    const task = order[head]!;
    let virtualTail = 0;

    // Release the task's successors; virtual nodes are settled right after.
    for (let e = offsets[task]!; e < offsets[task + 1]!; e++) {
      const next = targets[e]!;
      if (--indegree[next]! === 0) {
        if (next < n) order[emitted++] = next;
        else virtualQueue[virtualTail++] = next;
      }
    }
    for (let vHead = 0; vHead < virtualTail; vHead++) {
      const node = virtualQueue[vHead]!;
      for (let e = offsets[node]!; e < offsets[node + 1]!; e++) {
        const next = targets[e]!;
        if (--indegree[next]! === 0) {
          if (next < n) order[emitted++] = next;
          else virtualQueue[virtualTail++] = next;
        }
      }
    }
  }
  if (n > 0 && starts !== null) starts.push(emitted);
  return emitted;
}

/**
 * Finds one cycle among the nodes Kahn could not settle. Each such node has an
 * unsettled predecessor, so walking predecessors from any of them must repeat
 * a node. The walk from the repeated node onward is the cycle.
 */
function extractCycle(graph: NodeGraph): Int32Array {
  const { taskCount: n, offsets, targets, edgeCount } = graph;
  const indegree = int32Scratch(SCRATCH_INDEGREE, 2 * n);
  const nodeCount = 2 * n;

  // Step 1: reverse CSR (predecessors), in successor-list order.
  const predOffsets = new Int32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) predOffsets[targets[e]! + 1]!++;
  for (let v = 0; v < nodeCount; v++) predOffsets[v + 1]! += predOffsets[v]!;
  const preds = new Int32Array(edgeCount);
  const cursor = predOffsets.slice(0, nodeCount);
  for (let v = 0; v < nodeCount; v++) {
    for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
      preds[cursor[targets[e]!]!++] = v;
    }
  }

  // Step 2: walk "waits for" edges from the first unsettled task.
  let start = 0;
  while (start < n && indegree[start] === 0) start++;
  const stepOf = new Int32Array(nodeCount).fill(-1);
  const walk: number[] = [];
  let node = start;
  while (stepOf[node] === -1) {
    stepOf[node] = walk.length;
    walk.push(node);
    node = firstUnsettledPredecessor(node, predOffsets, preds, indegree);
  }
  const loop = walk.slice(stepOf[node]!);
  return toTaskCycle(loop, n);
}

function firstUnsettledPredecessor(
  node: number,
  predOffsets: Int32Array,
  preds: Int32Array,
  indegree: Int32Array,
): number {
  for (let e = predOffsets[node]!; e < predOffsets[node + 1]!; e++) {
    const pred = preds[e]!;
    if (indegree[pred]! > 0) return pred;
  }
  // Unreachable: an unsettled node has an unsettled predecessor.
  throw new Error("layeredOrder: internal error, no unsettled predecessor");
}

/**
 * Maps a node cycle to task indices. "p done" becomes p. When the loop goes
 * from "p done" down through p's subtree to p itself, that stretch only means
 * "p waits for its own parts", so it is folded into a single p.
 */
function toTaskCycle(loop: number[], n: number): Int32Array {
  const length = loop.length;
  const position = new Map<number, number>();
  loop.forEach((node, index) => position.set(node, index));

  const removed = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const node = loop[i]!;
    if (removed[i] === 1 || node < n) continue;
    const taskPosition = position.get(node - n);
    if (taskPosition === undefined) continue;
    for (let j = (i + 1) % length; ; j = (j + 1) % length) {
      removed[j] = 1;
      if (j === taskPosition) break;
    }
  }

  const tasks: number[] = [];
  for (let i = 0; i < length; i++) {
    if (removed[i] === 1) continue;
    const task = loop[i]! >= n ? loop[i]! - n : loop[i]!;
    if (tasks[tasks.length - 1] !== task) tasks.push(task);
  }
  while (tasks.length > 1 && tasks[0] === tasks[tasks.length - 1]) tasks.pop();

  // Rotate to start at the lowest task index, then close the loop.
  let lowest = 0;
  for (let i = 1; i < tasks.length; i++) if (tasks[i]! < tasks[lowest]!) lowest = i;
  const cycle = new Int32Array(tasks.length + 1);
  for (let i = 0; i < tasks.length; i++) cycle[i] = tasks[(lowest + i) % tasks.length]!;
  cycle[tasks.length] = cycle[0]!;
  return cycle;
}
