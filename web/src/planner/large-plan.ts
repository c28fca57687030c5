import type { Plan, Task } from "../../../src/engine/index.js";

/** Task types of generated plans, cycled in this order. */
export const GENERATED_TYPES = [
  "design",
  "implement",
  "test",
  "deploy",
  "monitor",
  "security",
  "analytics",
] as const;

const LAYERS = 8;
const REGIONS = ["eu", "us", "ap"] as const;

/**
 * Generates a deterministic plan of `size` tasks in eight layers. Every task
 * after the first layer depends on one or two tasks of the layer before, so
 * the dependency depth stays at seven whatever the size. Each description
 * carries the task number, which keeps the validator's similarity search
 * linear on these plans.
 */
export function generateLargePlan(size: number): Plan {
  const count = Math.max(1, Math.floor(size));
  const tasks: Task[] = new Array<Task>(count);
  let seed = 0x2545f491;
  const random = (limit: number): number => {
    // xorshift32: fast and reproducible, which is all a test plan needs.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % limit;
  };

  for (let i = 0; i < count; i++) {
    const layer = Math.floor((i * LAYERS) / count);
    const layerStart = Math.ceil((layer * count) / LAYERS);
    const previousStart = Math.ceil(((layer - 1) * count) / LAYERS);
    const dependsOn: string[] = [];
    if (layer > 0 && layerStart > previousStart) {
      const width = layerStart - previousStart;
      const first = previousStart + random(width);
      dependsOn.push(taskId(first));
      const second = previousStart + random(width);
      if (second !== first) dependsOn.push(taskId(second));
    }
    const type = GENERATED_TYPES[i % GENERATED_TYPES.length]!;
    tasks[i] = {
      id: taskId(i),
      type,
      description: `${type} step ${i}`,
      dependsOn,
      status: "pending",
      metadata: { region: REGIONS[i % REGIONS.length]!, priority: i % 4 },
    };
  }

  return {
    format: "switchyard/plan",
    version: 1,
    goal: `Generated plan of ${count} tasks`,
    tasks,
  };
}

function taskId(index: number): string {
  return `t${index}`;
}
