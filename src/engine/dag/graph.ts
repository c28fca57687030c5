/**
 * The packed task graph: ids mapped to indices in plan order, the parent of
 * each task and its direct dependencies in CSR form. Ordering, cycle search,
 * depth and generations all read this one structure.
 */
import { checkTaskReferences, planErrorFrom } from "../schema/plan.js";
import { toSchemaProblems } from "../schema/problems.js";
import type { Task } from "../types.js";

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
