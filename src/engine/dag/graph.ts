/**
 * The packed task graph: ids mapped to indices in plan order, the parent of
 * each task and its direct dependencies in CSR form. Ordering, cycle search,
 * depth and generations all read this one structure.
 */
import { checkTaskReferences, planErrorFrom } from "../schema/plan.js";
import { toSchemaProblems } from "../schema/problems.js";
import type { Task } from "../types.js";
import { IdIndex } from "./id-index.js";

export interface TaskGraph {
  /** Task ids in plan order; index i is task i. */
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Parent task index per task, or -1. */
  readonly parentIndex: Int32Array;
  /** Task i depends on `depTargets[depOffsets[i] .. depOffsets[i + 1])`. */
  readonly depOffsets: Int32Array;
  readonly depTargets: Int32Array;
}

/**
 * Builds the graph of a list of tasks. Throws PlanError (`E_PLAN_SCHEMA`)
 * naming the task and the bad id for duplicate ids and unknown `dependsOn` or
 * `parent` ids. Cycles are not checked here.
 */
export function buildGraph(tasks: readonly Task[]): TaskGraph {
  return buildValidGraph(tasks) ?? buildCheckedGraph(tasks);
}

/**
 * Builds the graph in one pass when every task is an object with own string
 * `id`, own array `dependsOn` of known ids and an absent or known own string
 * `parent`, and no id repeats. Returns null for anything else, so that
 * `buildCheckedGraph` reports it exactly as before.
 */
function buildValidGraph(tasks: readonly Task[]): TaskGraph | null {
  const n = tasks.length;
  const ids: string[] = new Array<string>(n);
  let depCount = 0;
  for (let i = 0; i < n; i++) {
    const task = tasks[i];
    if (typeof task !== "object" || task === null || !Object.hasOwn(task, "id")) {
      return null;
    }
    const id: unknown = task.id;
    const dependsOn: unknown = task.dependsOn;
    if (
      typeof id !== "string" ||
      !Array.isArray(dependsOn) ||
      !Object.hasOwn(task, "dependsOn")
    ) {
      return null;
    }
    ids[i] = id;
    depCount += dependsOn.length;
  }
  const index = IdIndex.build(ids);
  if (!(index instanceof IdIndex)) return null;

  // One allocation backs all three arrays, because a typed-array allocation
  // costs more than filling a few hundred entries.
  const buffer = new Int32Array(2 * n + 1 + depCount);
  const parentIndex = buffer.subarray(0, n).fill(-1);
  const depOffsets = buffer.subarray(n, 2 * n + 1);
  const depTargets = buffer.subarray(2 * n + 1);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const task = tasks[i]!;
    if (task.parent !== undefined) {
      const parent = typeof task.parent === "string" ? index.get(task.parent) : undefined;
      if (parent === undefined || !Object.hasOwn(task, "parent")) return null;
      parentIndex[i] = parent;
    }
    const dependsOn = task.dependsOn;
    for (let j = 0; j < dependsOn.length; j++) {
      const dependency: unknown = dependsOn[j];
      const target = typeof dependency === "string" ? index.get(dependency) : undefined;
      if (target === undefined) return null;
      depTargets[k++] = target;
    }
    depOffsets[i + 1] = k;
  }
  return new ValidGraph(ids, parentIndex, depOffsets, depTargets);
}

/** A graph whose id Map is built on first read; the sort and depth never read it. */
class ValidGraph implements TaskGraph {
  #indexOf: Map<string, number> | null = null;

  constructor(
    readonly ids: readonly string[],
    readonly parentIndex: Int32Array,
    readonly depOffsets: Int32Array,
    readonly depTargets: Int32Array,
  ) {}

  get indexOf(): ReadonlyMap<string, number> {
    if (this.#indexOf === null) {
      const indexOf = new Map<string, number>();
      this.ids.forEach((id, i) => indexOf.set(id, i));
      this.#indexOf = indexOf;
    }
    return this.#indexOf;
  }
}

/** Builds the graph after checking references; throws PlanError on a bad reference. */
function buildCheckedGraph(tasks: readonly Task[]): TaskGraph {
  const problems = checkTaskReferences(tasks);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw planErrorFrom(toSchemaProblems(problems), first.path);
  }

  const n = tasks.length;
  const indexOf = new Map<string, number>();
  const ids: string[] = new Array<string>(n);
  tasks.forEach((task, i) => {
    ids[i] = task.id;
    indexOf.set(task.id, i);
  });

  const parentIndex = new Int32Array(n).fill(-1);
  const depOffsets = new Int32Array(n + 1);
  let depCount = 0;
  tasks.forEach((task, i) => {
    if (task.parent !== undefined) parentIndex[i] = indexOf.get(task.parent)!;
    depCount += task.dependsOn.length;
    depOffsets[i + 1] = depCount;
  });

  const depTargets = new Int32Array(depCount);
  let k = 0;
  for (const task of tasks) {
    for (const dependency of task.dependsOn) depTargets[k++] = indexOf.get(dependency)!;
  }
  return { ids, indexOf, parentIndex, depOffsets, depTargets };
}
