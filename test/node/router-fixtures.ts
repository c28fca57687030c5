/** Small builders for router tests: rule sets and plans with every default filled in. */
import type {
  Agent,
  Condition,
  Plan,
  Rule,
  RuleSet,
  Task,
} from "../../src/engine/types.js";

export function agent(
  id: string,
  taskTypes: string[],
  maxConcurrent = 10,
  successRate?: number,
): Agent {
  const built: Agent = { id, taskTypes, skills: [], costTier: "medium", maxConcurrent };
  if (successRate !== undefined) {
    built.successRate = successRate;
  }
  return built;
}

export function rule(
  id: string,
  priority: number,
  when: Condition,
  agentId: string,
  explanation = `${id} applies`,
): Rule {
  return { id, priority, when, agent: agentId, explanation };
}

export function ruleSet(agents: Agent[], rules: Rule[]): RuleSet {
  return { format: "switchyard/ruleset", version: 1, name: "test", agents, rules };
}

export function task(id: string, type: string, extra: Partial<Task> = {}): Task {
  return {
    id,
    type,
    description: "",
    dependsOn: [],
    status: "pending",
    metadata: {},
    ...extra,
  };
}

export function plan(tasks: Task[]): Plan {
  return { format: "switchyard/plan", version: 1, tasks };
}

/**
 * Converts the agent chosen for a task into a truth value. The rule set must
 * route a condition to agent `P` and its negation to agent `N`. Returns "T"
 * for `P`, "F" for `N`, and "U" when neither rule matched.
 */
export function truthValue(agentId: string | undefined): "T" | "F" | "U" {
  if (agentId === "P") return "T";
  if (agentId === "N") return "F";
  return "U";
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
