/**
 * Template decomposition (HTDAG). The first template with a keyword that the
 * lower-cased goal contains supplies the top-level tasks, else one `generic`
 * task `task_0` does. Non-atomic tasks are then refined level by level until
 * `maxDepth` levels exist or no task changes. Children get ids `<parent id>_<suffix>` and are listed right after
 * their parent, so the plan reads as an outline.
 */
import { LimitError } from "../errors.js";
import type { PlannerConfig, Task } from "../types.js";

/** Returns the tasks of the first matching template, or one generic task. */
export function templateTasks(goal: string, config: PlannerConfig): Task[] {
  const text = goal.toLowerCase();
  const template = config.templates.find((candidate) =>
    candidate.keywords.some((keyword) => text.includes(keyword.toLowerCase())),
  );
  if (template === undefined) {
    return [newTask("task_0", "generic", goal, [])];
  }
  return template.tasks.map((task) =>
    newTask(task.id, task.type, task.description, [...(task.dependsOn ?? [])]),
  );
}

/**
 * Refines top-level tasks by the refinement table. Top-level tasks are level
 * 1; children of level-L tasks are level L + 1, at most `maxDepth`. Throws
 * LimitError when the plan would exceed `maxTasks`.
 */
export function refineTasks(topLevel: Task[], config: PlannerConfig): Task[] {
  const { maxDepth, maxTasks } = config.limits;
  const atomic = new Set(config.atomicTypes);
  const childrenOf = new Map<Task, Task[]>();
  let count = topLevel.length;
  checkTaskCount(count, maxTasks);

  let level = topLevel;
  for (let depth = 1; depth < maxDepth && level.length > 0; depth++) {
    const next: Task[] = [];
    for (const task of level) {
      const refinements = refinementsFor(task.type, config, atomic);
      if (refinements.length === 0) continue;
      count += refinements.length;
      checkTaskCount(count, maxTasks);
      const children = refinements.map((refinement) => ({
        ...newTask(
          `${task.id}_${refinement.suffix}`,
          refinement.type,
          refinement.description,
          [],
        ),
        parent: task.id,
      }));
      childrenOf.set(task, children);
      next.push(...children);
    }
    level = next;
  }
  return flattenOutline(topLevel, childrenOf);
}

function refinementsFor(
  type: string,
  config: PlannerConfig,
  atomic: ReadonlySet<string>,
) {
  if (atomic.has(type) || !Object.hasOwn(config.refinements, type)) return [];
  return config.refinements[type] ?? [];
}

function checkTaskCount(count: number, maxTasks: number): void {
  if (count <= maxTasks) return;
  throw new LimitError(
    `Plan too large: decomposition needs ${count} tasks, the limit maxTasks is ${maxTasks}`,
    { code: "E_LIMIT", details: { limit: "maxTasks", value: count, max: maxTasks } },
  );
}

/** Lists each task followed by its descendants, depth first, without recursion. */
function flattenOutline(topLevel: Task[], childrenOf: Map<Task, Task[]>): Task[] {
  const out: Task[] = [];
  const stack = [...topLevel].reverse();
  while (stack.length > 0) {
    const task = stack.pop()!;
    out.push(task);
    const children = childrenOf.get(task);
    if (children !== undefined) {
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  return out;
}

export function newTask(
  id: string,
  type: string,
  description: string,
  dependsOn: string[],
): Task {
  return { id, type, description, dependsOn, status: "pending", metadata: {} };
}
