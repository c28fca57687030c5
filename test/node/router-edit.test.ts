import { describe, expect, test } from "vitest";
import { RuleSetError } from "../../src/engine/errors.js";
import {
  Router,
  compileRuleSet,
  evaluateCondition,
} from "../../src/engine/router/index.js";
import { TRUE } from "../../src/engine/router/tables.js";
import type {
  Agent,
  Condition,
  Plan,
  RouteOptions,
  RouteResult,
  Rule,
  RuleSet,
  Task,
} from "../../src/engine/types.js";
import { agent, plan, random, rule, ruleSet, task } from "./router-fixtures.js";

const TYPES = ["a", "b", "c", "d"];
const VALUES = ["x", "y", "zz", "é", 1, 2, 3, true];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function randomCondition(next: () => number, depth: number): Condition {
  const roll = next();
  if (depth < 3 && roll < 0.15) {
    return { all: [randomCondition(next, depth + 1), randomCondition(next, depth + 1)] };
  }
  if (depth < 3 && roll < 0.3) {
    return { any: [randomCondition(next, depth + 1), randomCondition(next, depth + 1)] };
  }
  if (depth < 3 && roll < 0.4) {
    return { not: randomCondition(next, depth + 1) };
  }
  if (roll < 0.5) {
    return { metadata: { [pick(next, ["k", "n.m"])]: pick(next, VALUES) } };
  }
  if (roll < 0.55) {
    return { taskType: pick(next, TYPES) };
  }
  const field = pick(next, [
    "metadata.k",
    "metadata.n.m",
    "metadata.list",
    "description",
    "type",
  ]);
  const op = pick(next, [
    "eq",
    "ne",
    "in",
    "notIn",
    "lt",
    "gte",
    "between",
    "exists",
    "missing",
    "contains",
    "startsWith",
  ] as const);
  switch (op) {
    case "in":
    case "notIn":
      return { field, op, value: [pick(next, VALUES), pick(next, VALUES)] };
    case "between":
      return next() < 0.5
        ? { field, op, value: [1, 2] }
        : { field, op, value: ["x", "y"] };
    case "exists":
    case "missing":
      return { field, op };
    default:
      return { field, op, value: pick(next, VALUES) };
  }
}

function randomRule(next: () => number, id: string, agents: readonly Agent[]): Rule {
  const when = randomCondition(next, 0);
  if (next() < 0.7 && when.taskType === undefined) {
    when.taskType =
      next() < 0.5 ? pick(next, TYPES) : [pick(next, TYPES), pick(next, TYPES)];
  }
  return rule(id, Math.floor(next() * 4), when, pick(next, agents).id);
}

function randomRuleSet(next: () => number): RuleSet {
  const agents = ["p", "q", "r", "s"].map((id) =>
    agent(
      id,
      TYPES.filter(() => next() < 0.5),
      1 + Math.floor(next() * 4),
      next() < 0.3 ? undefined : pick(next, [0.7, 0.8, 0.9]),
    ),
  );
  const rules = Array.from({ length: 1 + Math.floor(next() * 8) }, (_, i) =>
    randomRule(next, `r${i}`, agents),
  );
  return ruleSet(agents, rules);
}

function randomValue(next: () => number): unknown {
  const roll = next();
  if (roll < 0.15) {
    return null;
  }
  if (roll < 0.3) {
    return [pick(next, VALUES), pick(next, VALUES)];
  }
  if (roll < 0.35) {
    return { m: pick(next, VALUES) };
  }
  return pick(next, [...VALUES, "xyz", "cafe\u0301", 0]);
}

function randomPlan(next: () => number): Plan {
  const count = 1 + Math.floor(next() * 12);
  const tasks: Task[] = [];
  for (let i = 0; i < count; i++) {
    const metadata: Record<string, unknown> = {};
    for (const key of ["k", "n", "list"]) {
      if (next() < 0.6) {
        metadata[key] = randomValue(next);
      }
    }
    tasks.push(
      task(`t${i}`, pick(next, [...TYPES, "e"]), {
        description: pick(next, ["", "xyz", "zz top"]),
        metadata: metadata as Task["metadata"],
        status: next() < 0.1 ? "completed" : "pending",
        dependsOn: i > 0 && next() < 0.3 ? [`t${Math.floor(next() * i)}`] : [],
      }),
    );
  }
  return plan(tasks);
}

/**
 * Routes by reading the rule set and the task objects directly: candidate
 * rules re-sorted per task, every agent scanned, conditions evaluated by the
 * trace evaluator. Tasks are taken in plan order, so plans here must already
 * list dependencies first.
 */
function straightforwardRoute(
  rules: RuleSet,
  tasks: readonly Task[],
  options: RouteOptions,
) {
  const load = new Map(rules.agents.map((a) => [a.id, options.load?.[a.id] ?? 0]));
  const isAvailable = (id: string) => options.availableAgents?.includes(id) ?? true;
  const outcome: [string, string | null, string | null][] = [];
  for (const current of tasks) {
    if (current.status === "completed") {
      continue;
    }
    const candidates = rules.rules
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => {
        const types = r.when.taskType;
        return types === undefined || [types].flat().includes(current.type);
      })
      .sort((x, y) => y.r.priority - x.r.priority || x.i - y.i);
    const byId = new Map(rules.agents.map((a) => [a.id, a]));
    const winner = candidates.find(({ r }) => {
      const target = byId.get(r.agent)!;
      return (
        evaluateCondition(r.when, current) === TRUE &&
        isAvailable(r.agent) &&
        load.get(r.agent)! < target.maxConcurrent
      );
    });
    let chosen: string | null = winner?.r.agent ?? null;
    if (chosen === null) {
      let bestRate = -1;
      for (const a of rules.agents) {
        const rate = a.successRate ?? 0.7;
        const ok =
          a.taskTypes.includes(current.type) &&
          isAvailable(a.id) &&
          load.get(a.id)! < a.maxConcurrent;
        if (
          ok &&
          (rate > bestRate || (rate === bestRate && load.get(a.id)! < load.get(chosen!)!))
        ) {
          chosen = a.id;
          bestRate = rate;
        }
      }
    }
    if (chosen !== null) {
      load.set(chosen, load.get(chosen)! + 1);
    }
    outcome.push([current.id, chosen, winner?.r.id ?? null]);
  }
  return outcome;
}

function summary(result: RouteResult): [string, string | null, string | null][] {
  const byTask = new Map<string, [string, string | null, string | null]>();
  for (const entry of result.assignments) {
    byTask.set(entry.task, [entry.task, entry.agent, entry.rule ?? null]);
  }
  for (const entry of result.unassigned) {
    byTask.set(entry.task, [entry.task, null, null]);
  }
  return result.order.filter((id) => byTask.has(id)).map((id) => byTask.get(id)!);
}

describe("matcher against direct evaluation", () => {
  test("agrees on 400 generated plans", () => {
    const next = random(7);
    for (let run = 0; run < 400; run++) {
      const rules = randomRuleSet(next);
      const router = new Router(rules);
      const generated = randomPlan(next);
      const options: RouteOptions =
        next() < 0.3 ? { availableAgents: ["p", "q", "s"], load: { q: 1 } } : {};
      const result = router.route(generated, options);
      // Routing order may differ from plan order, so route the expected side in that order.
      const inOrder = result.order.map((id) => generated.tasks.find((t) => t.id === id)!);
      expect(summary(result), `run ${run}`).toEqual(
        straightforwardRoute(rules, inOrder, options),
      );
    }
  });

  test("trace results equal route results", () => {
    const next = random(11);
    for (let run = 0; run < 100; run++) {
      const rules = randomRuleSet(next);
      const router = new Router(rules);
      const generated = randomPlan(next);
      const result = router.route(generated);
      for (const id of result.order) {
        const traced = router.trace(generated, id).result;
        const routed = result.assignments.find((entry) => entry.task === id) ??
          result.unassigned.find((entry) => entry.task === id) ?? {
            task: id,
            skipped: true,
          };
        expect(traced, `run ${run} task ${id}`).toEqual(routed);
      }
    }
  });
});

describe("incremental rule edits", () => {
  const base = ruleSet(
    [agent("A", ["job", "ops"]), agent("B", ["job"])],
    [
      rule("r1", 5, { taskType: "job", metadata: { env: "prod" } }, "A"),
      rule(
        "r2",
        3,
        { taskType: "ops", field: "description", op: "contains", value: "disk" },
        "B",
      ),
      rule("r3", 1, { field: "metadata.tags", op: "in", value: ["x", "prod"] }, "B"),
    ],
  );

  test("adding a rule for a known type rebuilds one row", () => {
    const router = new Router(base);
    router.addRule(rule("r4", 9, { taskType: "ops", metadata: { env: "prod" } }, "A"));
    expect(router.lastRebuild).toEqual({
      typeRows: ["ops"],
      types: false,
      slots: false,
      strings: false,
      leavesRemoved: 0,
      leavesAdded: 1,
    });
    expect(router.tables).toEqual(compileRuleSet(router.ruleSet));
  });

  test("a new string value re-derives keys", () => {
    const router = new Router(base);
    router.replaceRule(rule("r1", 5, { taskType: "job", metadata: { env: "dev" } }, "A"));
    expect(router.lastRebuild?.strings).toBe(true);
    expect(router.lastRebuild?.typeRows).toEqual(["job"]);
    expect(router.tables).toEqual(compileRuleSet(router.ruleSet));
  });

  test("removing a wildcard rebuilds every row", () => {
    const router = new Router(base);
    router.removeRule("r3");
    expect(router.lastRebuild?.typeRows).toEqual(["job", "ops", "*"]);
    expect(router.lastRebuild?.slots).toBe(true);
    expect(router.tables).toEqual(compileRuleSet(router.ruleSet));
  });

  test("removing a middle rule splices leaves", () => {
    const router = new Router(base);
    router.removeRule("r2");
    expect(router.lastRebuild).toMatchObject({ typeRows: ["ops"], leavesRemoved: 1 });
    expect(router.tables).toEqual(compileRuleSet(router.ruleSet));
    const result = router.route(plan([task("t", "ops", { metadata: { tags: "prod" } })]));
    expect(result.assignments[0]).toMatchObject({ agent: "B", rule: "r3" });
  });

  test("random edit sequences equal a fresh compile", () => {
    const next = random(3);
    for (let run = 0; run < 60; run++) {
      const rules = randomRuleSet(next);
      const router = new Router(rules);
      for (let step = 0; step < 8; step++) {
        const current = router.ruleSet.rules;
        const roll = next();
        if (roll < 0.4 || current.length === 0) {
          router.addRule(randomRule(next, `n${run}_${step}`, rules.agents));
        } else if (roll < 0.7) {
          router.removeRule(pick(next, current).id);
        } else {
          router.replaceRule(randomRule(next, pick(next, current).id, rules.agents));
        }
        expect(router.tables, `run ${run} step ${step}`).toEqual(
          compileRuleSet(router.ruleSet),
        );
      }
    }
  });

  test.each([
    ["unknown agent", rule("r9", 1, {}, "ghost")],
    ["duplicate id", rule("r1", 1, {}, "A")],
    [
      "prototype path",
      rule("r9", 1, { field: "metadata.__proto__.x", op: "exists" }, "A"),
    ],
    [
      "shorthand prototype path",
      rule("r9", 1, { metadata: { "a.constructor": 1 } }, "A"),
    ],
    ["bad operator", rule("r9", 1, { field: "metadata.x", op: "around" as never }, "A")],
  ])("%s is rejected and changes nothing", (_name, bad) => {
    const router = new Router(base);
    const before = router.tables;
    expect(() => router.addRule(bad)).toThrow(RuleSetError);
    expect(router.tables).toBe(before);
    expect(router.ruleSet.rules.map((r) => r.id)).toEqual(["r1", "r2", "r3"]);
  });

  test("removing an unknown id is rejected", () => {
    const router = new Router(base);
    expect(() => router.removeRule("nope")).toThrow(RuleSetError);
  });

  test("replacing an unknown id is rejected", () => {
    const router = new Router(base);
    expect(() => router.replaceRule(rule("nope", 1, {}, "A"))).toThrow(RuleSetError);
    expect(router.lastRebuild).toBeNull();
  });
});
