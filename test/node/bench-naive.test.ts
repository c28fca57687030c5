import { describe, expect, test } from "vitest";
import { sameRoute, routeSignature } from "../../bench/compare.js";
import {
  agentTaskTypes,
  createRandom,
  generatePlan,
  generateRuleSet,
  independentPlan,
} from "../../bench/generate.js";
import { JreRouter } from "../../bench/jre-baseline.js";
import { naiveRoute } from "../../bench/naive-router.js";
import { DEFAULT_RULE_SET } from "../../src/engine/default-ruleset.js";
import { Router } from "../../src/engine/router/index.js";
import { parseRuleSet } from "../../src/engine/schema/index.js";
import type {
  Condition,
  MetadataValue,
  Operator,
  Plan,
  RouteOptions,
  RuleScalar,
  RuleSet,
  Task,
} from "../../src/engine/types.js";

const types = agentTaskTypes(DEFAULT_RULE_SET.agents);

/** Values of every kind, so equality and ordering meet strings, numbers, arrays and objects. */
const MIXED_VALUES: MetadataValue[] = [
  "eu",
  "us",
  "5",
  "",
  "Cafe\u0301",
  "Café",
  5,
  0,
  -2.5,
  true,
  false,
  null,
  ["eu", 5, true],
  [],
  { nested: "eu" },
];
const RULE_VALUES: RuleScalar[] = ["eu", "us", "5", "Café", "C", 5, 0, -2.5, true, false];
const OPERATORS: Operator[] = [
  "eq",
  "ne",
  "in",
  "notIn",
  "lt",
  "lte",
  "gt",
  "gte",
  "between",
  "exists",
  "missing",
  "contains",
  "startsWith",
];

function mixedLeaf(random: () => number): Condition {
  const op = OPERATORS[Math.floor(random() * OPERATORS.length)]!;
  const pickFrom = <T>(values: readonly T[]): T =>
    values[Math.floor(random() * values.length)]!;
  const value = (): RuleScalar => pickFrom(RULE_VALUES);
  const field =
    random() < 0.15 ? "description" : `metadata.${random() < 0.5 ? "a" : "b.c"}`;
  switch (op) {
    case "in":
    case "notIn":
      return { field, op, value: [value(), value()] };
    case "between":
      return { field, op, value: random() < 0.5 ? [0, 5] : ["C", "eu"] };
    case "lt":
    case "lte":
    case "gt":
    case "gte":
      return {
        field,
        op,
        value: pickFrom(RULE_VALUES.filter((v) => typeof v !== "boolean")),
      };
    case "startsWith":
      return {
        field,
        op,
        value: pickFrom(RULE_VALUES.filter((v) => typeof v === "string")),
      };
    case "exists":
    case "missing":
      return { field, op };
    default:
      return { field, op, value: value() };
  }
}

function mixedCondition(random: () => number, depth: number): Condition {
  const shape = random();
  if (depth > 2 || shape < 0.4) return mixedLeaf(random);
  if (shape < 0.6) return { not: mixedCondition(random, depth + 1) };
  const parts = [mixedCondition(random, depth + 1), mixedCondition(random, depth + 1)];
  return shape < 0.8 ? { all: parts } : { any: parts };
}

/** Builds a rule set whose conditions use every operator on fields of every kind. */
function mixedRuleSet(seed: number): RuleSet {
  const random = createRandom(seed);
  const rules = Array.from({ length: 60 }, (_, i) => ({
    id: `mixed_${i}`,
    priority: Math.floor(random() * 5),
    when: {
      ...(random() < 0.8 ? { taskType: types[Math.floor(random() * 6)]! } : {}),
      ...mixedCondition(random, 0),
    },
    agent: DEFAULT_RULE_SET.agents[Math.floor(random() * 15)]!.id,
    explanation: `Mixed rule ${i}`,
  }));
  return parseRuleSet({
    format: "switchyard/ruleset",
    version: 1,
    name: "mixed",
    agents: DEFAULT_RULE_SET.agents.map((agent) => ({ ...agent, maxConcurrent: 4 })),
    rules,
  });
}

function mixedPlan(seed: number, count: number): Plan {
  const random = createRandom(seed);
  const pickValue = (): MetadataValue =>
    MIXED_VALUES[Math.floor(random() * MIXED_VALUES.length)]!;
  const tasks: Task[] = Array.from({ length: count }, (_, i) => {
    const metadata: Task["metadata"] = {};
    if (random() < 0.8) metadata["a"] = pickValue();
    if (random() < 0.8) metadata["b"] = random() < 0.8 ? { c: pickValue() } : pickValue();
    return {
      id: `m${i}`,
      type: random() < 0.95 ? types[Math.floor(random() * 6)]! : "unknown_type",
      description: random() < 0.5 ? "Café build" : "eu",
      dependsOn: i > 0 && random() < 0.3 ? [`m${Math.floor(random() * i)}`] : [],
      status: random() < 0.05 ? "completed" : "pending",
      metadata,
    };
  });
  return { format: "switchyard/plan", version: 1, tasks };
}

describe("naive router", () => {
  test("matches Router on the default rule set", () => {
    const plan = independentPlan(
      300,
      DEFAULT_RULE_SET.rules.map((rule) => rule.when.taskType as string),
    );
    const expected = new Router(DEFAULT_RULE_SET).route(plan);
    expect(expected.unassigned.length).toBeGreaterThan(0);
    expect(routeSignature(naiveRoute(plan, DEFAULT_RULE_SET))).toEqual(
      routeSignature(expected),
    );
  });

  test.each([22, 300, 3000])("matches Router with %i generated rules", (rules) => {
    const ruleSet = generateRuleSet(rules, DEFAULT_RULE_SET.agents);
    const plan = generatePlan(400, { types });
    const expected = new Router(ruleSet).route(plan);
    expect(expected.assignments.some((a) => a.via === "rule")).toBe(true);
    expect(routeSignature(naiveRoute(plan, ruleSet))).toEqual(routeSignature(expected));
  });

  test.each([1, 2, 3, 4, 5])(
    "matches Router on mixed-kind conditions, seed %i",
    (seed) => {
      const ruleSet = mixedRuleSet(seed);
      const plan = mixedPlan(seed * 7919, 200);
      const options: RouteOptions = {
        availableAgents: DEFAULT_RULE_SET.agents.slice(1).map((agent) => agent.id),
        load: { builder_agent: 2, qa_agent: 4 },
      };
      const expected = new Router(ruleSet).route(plan, options);
      const actual = naiveRoute(plan, ruleSet, options);
      expect(expected.unassigned.length).toBeGreaterThan(0);
      expect(routeSignature(actual)).toEqual(routeSignature(expected));
    },
  );

  test("generated rule sets pass the rule-set schema", () => {
    for (const rules of [22, 300]) {
      const ruleSet = generateRuleSet(rules, DEFAULT_RULE_SET.agents);
      expect(parseRuleSet(ruleSet).rules).toHaveLength(rules);
    }
  });
});

describe("json-rules-engine baseline", () => {
  test("matches Router on the default rule set", async () => {
    const plan = independentPlan(
      120,
      DEFAULT_RULE_SET.rules.map((rule) => rule.when.taskType as string),
    );
    const expected = new Router(DEFAULT_RULE_SET).route(plan);
    const actual = await new JreRouter(DEFAULT_RULE_SET).route(plan);
    expect(sameRoute(actual, expected)).toBe(true);
  });

  test("matches Router with 300 generated rules", async () => {
    const ruleSet = generateRuleSet(300, DEFAULT_RULE_SET.agents);
    const plan = generatePlan(150, { types });
    const expected = new Router(ruleSet).route(plan);
    const actual = await new JreRouter(ruleSet).route(plan);
    expect(routeSignature(actual)).toEqual(routeSignature(expected));
  });

  test.each([1, 2, 3])(
    "matches Router on mixed-kind conditions, seed %i",
    async (seed) => {
      const ruleSet = mixedRuleSet(seed);
      const plan = mixedPlan(seed * 104729, 150);
      const options: RouteOptions = {
        availableAgents: ["builder_agent", "qa_agent", "spec_agent"],
      };
      const expected = new Router(ruleSet).route(plan, options);
      const actual = await new JreRouter(ruleSet).route(plan, options);
      expect(routeSignature(actual)).toEqual(routeSignature(expected));
    },
  );
});
