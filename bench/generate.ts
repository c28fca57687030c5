/**
 * Deterministic inputs for the benchmarks: a seeded PRNG, rule sets of any
 * size with metadata conditions, and plans of any size whose tasks carry the
 * metadata those rules test. The same seed gives the same objects in Node
 * and in the browser.
 */
import type {
  Agent,
  Condition,
  Metadata,
  Plan,
  Rule,
  RuleSet,
  Task,
} from "../src/engine/types.js";

/** Returns a mulberry32 generator of floats in [0, 1) for a 32-bit seed. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function integer(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

const REGIONS = ["eu", "us", "ap", "sa", "af"] as const;
const TIERS = ["gold", "silver", "bronze"] as const;
const TAGS = ["urgent", "gpu", "pii", "batch", "nightly", "beta"] as const;
const OWNERS = ["team-alpha", "team-beta", "team-gamma", "ops-core", "ops-edge"] as const;
const OWNER_PREFIXES = ["team-", "ops-", "team-a", "ops-e"] as const;

/**
 * Capacity of generated agents: large enough that no agent fills up at a
 * million tasks, so scale runs measure matching rather than rejection.
 */
export const GENERATED_MAX_CONCURRENT = 1_000_000_000;

/** Agents of a base rule set with capacity raised to GENERATED_MAX_CONCURRENT. */
export function scaleAgents(agents: readonly Agent[]): Agent[] {
  return agents.map((agent) => ({ ...agent, maxConcurrent: GENERATED_MAX_CONCURRENT }));
}

/** Returns the task types that some agent supports, in registry order without repeats. */
export function agentTaskTypes(agents: readonly Agent[]): string[] {
  return [...new Set(agents.flatMap((agent) => agent.taskTypes))];
}

function metadataLeaf(random: () => number): Condition {
  switch (integer(random, 0, 8)) {
    case 0:
      return { field: "metadata.env.region", op: "eq", value: pick(random, REGIONS) };
    case 1:
      return {
        field: "metadata.env.region",
        op: "in",
        value: [pick(random, REGIONS), pick(random, REGIONS)],
      };
    case 2: {
      const low = integer(random, 0, 800);
      return {
        field: "metadata.size",
        op: "between",
        value: [low, low + integer(random, 50, 400)],
      };
    }
    case 3:
      return {
        field: "metadata.size",
        op: pick(random, ["lt", "gte"]),
        value: integer(random, 0, 1000),
      };
    case 4:
      return { field: "metadata.tier", op: "ne", value: pick(random, TIERS) };
    case 5:
      return { field: "metadata.tags", op: "contains", value: pick(random, TAGS) };
    case 6:
      return {
        field: "metadata.owner",
        op: "startsWith",
        value: pick(random, OWNER_PREFIXES),
      };
    case 7:
      return { field: "metadata.flag", op: "eq", value: random() < 0.5 };
    default:
      return { field: "metadata.score", op: random() < 0.5 ? "exists" : "missing" };
  }
}

function metadataCondition(random: () => number): Condition {
  const shape = random();
  if (shape < 0.15) {
    return {
      metadata: { "env.region": pick(random, REGIONS), tier: pick(random, TIERS) },
    };
  }
  if (shape < 0.3) {
    return {
      any: [metadataLeaf(random), metadataLeaf(random)],
      not: metadataLeaf(random),
    };
  }
  const leaves: Condition[] = [];
  const count = integer(random, 1, 3);
  for (let i = 0; i < count; i++) leaves.push(metadataLeaf(random));
  return { all: leaves };
}

/**
 * Generates a rule set of `ruleCount` rules over the given agents. Each rule
 * targets one task type (most rules), two or three types, or every type (2%),
 * has a priority in 0..100 and a metadata condition of one to three tests.
 */
export function generateRuleSet(
  ruleCount: number,
  agents: readonly Agent[],
  seed = 0x5eed,
): RuleSet {
  const random = createRandom(seed ^ ruleCount);
  const types = agentTaskTypes(agents);
  const rules: Rule[] = [];
  for (let i = 0; i < ruleCount; i++) {
    const when = metadataCondition(random);
    const spread = random();
    if (spread < 0.85) {
      when.taskType = pick(random, types);
    } else if (spread < 0.98) {
      when.taskType = [
        ...new Set([pick(random, types), pick(random, types), pick(random, types)]),
      ];
    }
    rules.push({
      id: `gen_${i}`,
      priority: integer(random, 0, 100),
      when,
      agent: pick(random, agents).id,
      explanation: `Generated rule ${i}`,
    });
  }
  return {
    format: "switchyard/ruleset",
    version: 1,
    name: `generated-${ruleCount}`,
    agents: scaleAgents(agents),
    rules,
  };
}

function taskMetadata(random: () => number): Metadata {
  const metadata: Metadata = {
    env: random() < 0.05 ? {} : { region: pick(random, REGIONS) },
    size: random() < 0.05 ? null : integer(random, 0, 1000),
    tier: pick(random, TIERS),
    tags: TAGS.filter(() => random() < 0.25),
    owner: pick(random, OWNERS),
    flag: random() < 0.5,
  };
  if (random() < 0.3) metadata["score"] = Math.round(random() * 100) / 100;
  return metadata;
}

export interface PlanShape {
  /** Task types to draw from. */
  types: readonly string[];
  /** Share of tasks that depend on one or two recent tasks (0..1). */
  dependencyShare?: number;
  /** Share of tasks already completed (0..1). */
  completedShare?: number;
}

/**
 * Generates a plan of `taskCount` tasks with random types and metadata. A
 * task depends on at most two of the 50 tasks before it, so the graph is a
 * DAG with many short chains.
 */
export function generatePlan(taskCount: number, shape: PlanShape, seed = 0xbe7c4): Plan {
  const random = createRandom(seed ^ taskCount);
  const dependencyShare = shape.dependencyShare ?? 0.5;
  const completedShare = shape.completedShare ?? 0.01;
  const tasks: Task[] = new Array<Task>(taskCount);
  for (let i = 0; i < taskCount; i++) {
    const dependsOn: string[] = [];
    if (i > 0 && random() < dependencyShare) {
      dependsOn.push(`t${Math.max(0, i - integer(random, 1, 50))}`);
      if (random() < 0.2) {
        const second = `t${Math.max(0, i - integer(random, 1, 50))}`;
        if (second !== dependsOn[0]) dependsOn.push(second);
      }
    }
    tasks[i] = {
      id: `t${i}`,
      type: pick(random, shape.types),
      description: "",
      dependsOn,
      status: random() < completedShare ? "completed" : "pending",
      metadata: taskMetadata(random),
    };
  }
  return { format: "switchyard/plan", version: 1, tasks };
}

/** The reference profiler's task types, in its cyclic order. */
export const REFERENCE_TYPES = [
  "design",
  "implement",
  "test",
  "deploy",
  "monitor",
  "security",
  "analytics",
] as const;

/** The reference profiler's agents for task i of a validated plan: i mod 7. */
export const REFERENCE_AGENTS = [
  "spec_agent",
  "builder_agent",
  "qa_agent",
  "deploy_agent",
  "monitoring_agent",
  "security_agent",
  "analytics_agent",
] as const;

/** Builds `count` independent tasks typed cyclically from `types`, with no metadata. */
export function independentPlan(
  count: number,
  types: readonly string[] = REFERENCE_TYPES,
): Plan {
  const tasks: Task[] = [];
  for (let i = 0; i < count; i++) {
    tasks.push({
      id: `task_${i}`,
      type: types[i % types.length] as string,
      description: `Task ${i} of type ${types[i % types.length]}`,
      dependsOn: [],
      status: "pending",
      metadata: {},
    });
  }
  return { format: "switchyard/plan", version: 1, tasks };
}

/** Builds a chain of `count` tasks where each depends on the one before. */
export function chainPlan(count: number): Plan {
  const tasks: Task[] = [];
  for (let i = 0; i < count; i++) {
    tasks.push({
      id: `step_${i}`,
      type: "implement",
      description: `Step ${i}`,
      dependsOn: i === 0 ? [] : [`step_${i - 1}`],
      status: "pending",
      metadata: {},
    });
  }
  return { format: "switchyard/plan", version: 1, tasks };
}
