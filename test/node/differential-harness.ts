/**
 * Seeded generators of rule sets and plans for the differential suites, which
 * route the same inputs through every matcher and require identical results.
 * The inputs stress operators, priority ties, wildcard rules, capacity
 * pressure, unavailable agents and Unicode (astral characters, combining
 * marks and lone surrogates in task values).
 */

import type {
  Agent,
  Condition,
  JsonScalar,
  Metadata,
  MetadataValue,
  Operator,
  Plan,
  Rule,
  RuleScalar,
  RuleSet,
  Task,
} from "../../src/engine/types.js";
import { OPERATORS } from "../../src/engine/types.js";

/** Small deterministic PRNG (mulberry32). */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

export const TYPES = ["build", "test", "deploy", "𣄃", "café", "review", "x"];
const UNKNOWN_TYPES = ["ghost", "cafe\u0301", "🚀"];
export const STRINGS = [
  "",
  "a",
  "abc",
  "b",
  "café",
  "cafe\u0301",
  "Zürich",
  "Zu\u0308rich",
  "𣄃",
  "🚀",
  "x",
  "gpu",
  "0",
  "Ⅶ",
  "VII",
];
const TASK_ONLY_STRINGS = ["\uD800", "a\uDC00b", "zzz", "ab", "🚀🚀", "gpu-large"];
const NUMBERS = [-1, 0, 0.5, 1, 2, 10, 1e9];
const FIELDS = [
  "type",
  "description",
  "metadata.size",
  "metadata.tags",
  "metadata.owner",
  "metadata.env.region",
  "metadata.flag",
];
const METADATA_KEYS = ["size", "tags", "owner", "flag"];

function ruleScalar(random: Random): RuleScalar {
  const roll = random.int(3);
  if (roll === 0) return random.pick(STRINGS);
  if (roll === 1) return random.pick(NUMBERS);
  return random.chance(0.5);
}

function taskScalar(random: Random): JsonScalar {
  const roll = random.int(10);
  if (roll < 4) return random.pick([...STRINGS, ...TASK_ONLY_STRINGS]);
  if (roll < 7) return random.pick(NUMBERS);
  if (roll < 9) return random.chance(0.5);
  return null;
}

function leaf(random: Random): Condition {
  const op: Operator = random.pick(OPERATORS);
  const field = random.pick(FIELDS);
  switch (op) {
    case "exists":
    case "missing":
      return { field, op };
    case "in":
    case "notIn":
      return {
        field,
        op,
        value: Array.from({ length: 1 + random.int(3) }, () => ruleScalar(random)),
      };
    case "between": {
      const strings = random.chance(0.3);
      const a = strings ? random.pick(STRINGS) : random.pick(NUMBERS);
      const b = strings ? random.pick(STRINGS) : random.pick(NUMBERS);
      return { field, op, value: [a, b] };
    }
    case "startsWith":
      return { field, op, value: random.pick(STRINGS) };
    case "contains":
      return {
        field,
        op,
        value: random.chance(0.8) ? random.pick(STRINGS) : ruleScalar(random),
      };
    case "lt":
    case "lte":
    case "gt":
    case "gte":
      return {
        field,
        op,
        value: random.chance(0.5) ? random.pick(STRINGS) : random.pick(NUMBERS),
      };
    default:
      return { field, op, value: ruleScalar(random) };
  }
}

function condition(random: Random, depth: number): Condition {
  const result: Condition = {};
  const roll = random.int(depth >= 3 ? 2 : 6);
  if (roll === 0) return leaf(random);
  if (roll === 1) return {};
  if (roll === 2)
    result.all = Array.from({ length: random.int(4) }, () =>
      condition(random, depth + 1),
    );
  else if (roll === 3)
    result.any = Array.from({ length: random.int(4) }, () =>
      condition(random, depth + 1),
    );
  else if (roll === 4) result.not = condition(random, depth + 1);
  else {
    result.metadata = { [random.pick(METADATA_KEYS)]: ruleScalar(random) };
  }
  return result;
}

/** Generates a random, schema-valid rule set with 1-6 agents and 0-14 rules. */
export function generateRuleSet(random: Random): RuleSet {
  const agentCount = 1 + random.int(6);
  const agents: Agent[] = [];
  for (let i = 0; i < agentCount; i++) {
    const taskTypes = TYPES.filter(() => random.chance(0.35));
    const agent: Agent = {
      id: `agent_${i}${random.chance(0.2) ? "_𣄃" : ""}`,
      taskTypes,
      skills: [],
      costTier: "medium",
      maxConcurrent: 1 + random.int(4),
    };
    if (random.chance(0.7)) agent.successRate = random.pick([0.5, 0.7, 0.9, 0.9, 1]);
    agents.push(agent);
  }
  const ruleCount = random.int(15);
  const rules: Rule[] = [];
  for (let i = 0; i < ruleCount; i++) {
    const when = condition(random, 1);
    const typeRoll = random.int(3);
    if (typeRoll === 0) when.taskType = random.pick(TYPES);
    else if (typeRoll === 1)
      when.taskType = [random.pick(TYPES), ...TYPES.filter(() => random.chance(0.3))];
    rules.push({
      id: `r${i}`,
      priority: random.pick([0, 1, 1, 5, 5, 10]),
      when,
      agent: random.pick(agents).id,
      explanation: `rule ${i}`,
    });
  }
  return { format: "switchyard/ruleset", version: 1, name: "generated", agents, rules };
}

function metadataValue(random: Random, depth: number): MetadataValue {
  const roll = random.int(10);
  if (roll < 6) return taskScalar(random);
  if (roll < 8) return Array.from({ length: random.int(4) }, () => taskScalar(random));
  if (depth > 2) return taskScalar(random);
  return { region: taskScalar(random), deep: metadataValue(random, depth + 1) };
}

/** Generates a random plan of `taskCount` tasks with acyclic dependencies and some hierarchy. */
export function generatePlan(random: Random, taskCount: number): Plan {
  const tasks: Task[] = [];
  for (let i = 0; i < taskCount; i++) {
    const metadata: Metadata = {};
    for (const key of METADATA_KEYS) {
      if (random.chance(0.6)) metadata[key] = metadataValue(random, 0);
    }
    if (random.chance(0.3)) metadata.env = { region: taskScalar(random) };
    const dependsOn: string[] = [];
    if (i > 0 && random.chance(0.4)) dependsOn.push(`t${random.int(i)}`);
    const task: Task = {
      id: `t${i}`,
      type: random.chance(0.9) ? random.pick(TYPES) : random.pick(UNKNOWN_TYPES),
      description: random.pick([...STRINGS, ...TASK_ONLY_STRINGS]),
      dependsOn,
      status: random.chance(0.1) ? "completed" : "pending",
      metadata,
    };
    if (i > 0 && random.chance(0.15)) task.parent = `t${random.int(i)}`;
    tasks.push(task);
  }
  return { format: "switchyard/plan", version: 1, tasks };
}

/** Generates routing options: a subset of available agents and a starting load. */
export function generateOptions(
  random: Random,
  ruleSet: RuleSet,
): { availableAgents?: string[]; load?: Record<string, number> } {
  const options: { availableAgents?: string[]; load?: Record<string, number> } = {};
  if (random.chance(0.3)) {
    options.availableAgents = ruleSet.agents
      .filter(() => random.chance(0.7))
      .map((a) => a.id);
  }
  if (random.chance(0.4)) {
    options.load = {};
    for (const agent of ruleSet.agents) {
      if (random.chance(0.5)) options.load[agent.id] = random.int(3);
    }
  }
  return options;
}
