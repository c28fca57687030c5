import { describe, expect, test } from "vitest";
import {
  estimatePlanCost,
  jaccardSimilarity,
  TIER_COST_UNITS,
  validatePlan,
} from "../../src/engine/validator/index.js";
import type { ValidationResult } from "../../src/engine/types.js";
import { DEFAULT_RULE_SET } from "../../src/engine/default-ruleset.js";
import {
  agent,
  hasNonFiniteNumber,
  plan,
  routeResult,
  ruleSet,
  task,
} from "./validator-helpers.js";

const builder = agent("builder_agent", ["generic", "implement"], {
  successRate: 0.82,
  costTier: "medium",
  skills: ["coding", "debugging"],
});

function codes(result: ValidationResult): string[] {
  return result.issues.map((issue) => issue.code);
}

function warningCodes(result: ValidationResult): string[] {
  return result.warnings.map((issue) => issue.code);
}

describe("quality score", () => {
  test("one generic task on builder scores 0.828", () => {
    const result = validatePlan(
      plan([task("task_0", "generic", { description: "Do a thing" })]),
      { task_0: "builder_agent" },
      ruleSet([builder]),
    );
    expect(result.passed).toBe(true);
    expect(result.qualityScore).toBe(0.828);
    expect(result.scoreParts).toEqual({ success: 0.82, quality: 1, cost: 0.5, time: 0 });
    expect(result.issues).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  test("success is the product over assignments", () => {
    const result = validatePlan(
      plan([task("a", "generic", { description: "one" }), task("b", "implement")]),
      { a: "builder_agent", b: "builder_agent" },
      ruleSet([builder]),
    );
    expect(result.scoreParts.success).toBeCloseTo(0.82 * 0.82, 12);
  });

  test("unknown success rate counts as 0.7", () => {
    const result = validatePlan(
      plan([task("a", "x")]),
      { a: "A" },
      ruleSet([agent("A", ["x"], { costTier: "cheap" })]),
    );
    expect(result.scoreParts.success).toBe(0.7);
    expect(result.scoreParts.cost).toBe(0.2);
    expect(result.qualityScore).toBeCloseTo(0.4 * 0.7 + 0.3 + 0.2 * 0.8 + 0.1, 6);
  });

  test("skill match is the share of required skills", () => {
    const parts = validatePlan(
      plan([task("a", "generic", { metadata: { required_skills: ["coding", "rust"] } })]),
      { a: "builder_agent" },
      ruleSet([builder]),
    ).scoreParts;
    expect(parts.quality).toBeCloseTo(0.7 + 0.3 * 0.5, 12);
  });

  test("time is depth over ten", () => {
    const tasks = [task("a", "generic", { description: "first step" })];
    for (let i = 1; i <= 3; i++) {
      tasks.push(
        task(`t${i}`, "implement", {
          description: `step ${"x".repeat(i)} ${i}`,
          dependsOn: [tasks[i - 1]!.id],
        }),
      );
    }
    const map = Object.fromEntries(tasks.map((t) => [t.id, "builder_agent"]));
    const result = validatePlan(plan(tasks), map, ruleSet([builder]));
    expect(result.scoreParts.time).toBeCloseTo(0.3, 12);
  });

  test("score is null when a check fails", () => {
    const result = validatePlan(plan([task("a", "generic")]), {}, ruleSet([builder]));
    expect(result.passed).toBe(false);
    expect(result.qualityScore).toBeNull();
    expect(result.scoreParts.success).toBe(0.7);
  });
});

describe("K10 bad assignments", () => {
  const agents = [agent("A", ["code"], { maxConcurrent: 2 })];
  const tasks = [
    task("t1", "code"),
    task("t2", "review"),
    task("t3", "code"),
    task("t4", "code"),
  ];

  for (const [shape, route] of [
    ["plain map", { t1: "A", t2: "A", t3: "ghost" }],
    ["route result", routeResult({ t1: "A", t2: "A", t3: "ghost" })],
  ] as const) {
    test(`one issue per faulty task (${shape})`, () => {
      const result = validatePlan(plan(tasks), route, ruleSet(agents));
      expect(result.passed).toBe(false);
      expect(result.issues).toHaveLength(3);
      const t2 = result.issues.find((issue) => issue.task === "t2");
      const t3 = result.issues.find((issue) => issue.task === "t3");
      const t4 = result.issues.find((issue) => issue.task === "t4");
      expect(t2?.code).toBe("unsupported-type");
      expect(t2?.message).toContain("review");
      expect(t3?.code).toBe("unknown-agent");
      expect(t3?.agent).toBe("ghost");
      expect(t3?.message).toContain("ghost");
      expect(t4?.code).toBe("unassigned-task");
      expect(result.checks.solvability).toBe(false);
      expect(result.checks.completeness).toBe(false);
      expect(result.checks.nonRedundancy).toBe(true);
      expect(result.checks.structure).toBe(true);
      expect(result.checks.budget).toBeNull();
      expect(result.qualityScore).toBeNull();
    });
  }

  test("route result paths point at the assignment", () => {
    const result = validatePlan(
      plan(tasks),
      routeResult({ t1: "A", t2: "A", t3: "ghost" }),
      ruleSet(agents),
    );
    expect(result.issues.find((issue) => issue.task === "t3")?.path).toBe(
      "assignments[2]",
    );
    expect(result.issues.find((issue) => issue.task === "t4")?.path).toBe("tasks[3]");
  });
});

describe("K11 empty plans", () => {
  test("empty plan passes with finite numbers", () => {
    const result = validatePlan(plan([]), {}, ruleSet([builder]));
    expect(result.passed).toBe(true);
    expect(result.qualityScore).toBe(0.63);
    expect(result.scoreParts).toEqual({ success: 0.7, quality: 0.5, cost: 0.5, time: 0 });
    expect(warningCodes(result)).toEqual(["empty-plan"]);
    expect(hasNonFiniteNumber(result)).toBe(false);
    const roundTrip: unknown = JSON.parse(JSON.stringify(result));
    expect(roundTrip).toEqual(result);
  });

  test("empty plan with empty route result passes", () => {
    const result = validatePlan(plan([]), routeResult({}), ruleSet([]), { budget: 0 });
    expect(result.passed).toBe(true);
    expect(result.checks.budget).toBe(true);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  test("plan emptied by rollback fails on stale route", () => {
    const stale = routeResult(
      { a: "builder_agent" },
      {
        unassigned: [{ task: "b", reason: "no-capable-agent", explanation: "none" }],
      },
    );
    const result = validatePlan(plan([]), stale, ruleSet([builder]));
    expect(result.passed).toBe(false);
    expect(codes(result)).toEqual(["unknown-task", "unknown-task"]);
    expect(result.issues.map((issue) => issue.task)).toEqual(["a", "b"]);
    expect(result.qualityScore).toBeNull();
    expect(result.scoreParts).toEqual({ success: 0.7, quality: 0.5, cost: 0.5, time: 0 });
    expect(hasNonFiniteNumber(JSON.parse(JSON.stringify(result)))).toBe(false);
  });

  test("bad success rates never leak NaN", () => {
    const odd = agent("A", ["x"], { successRate: Number.NaN });
    const result = validatePlan(plan([task("a", "x")]), { a: "A" }, ruleSet([odd]));
    expect(result.scoreParts.success).toBe(0.7);
    expect(hasNonFiniteNumber(result)).toBe(false);
  });
});

describe("solvability", () => {
  test("missing skills name task, agent and skill", () => {
    const result = validatePlan(
      plan([task("a", "generic", { metadata: { required_skills: ["coding", "rust"] } })]),
      { a: "builder_agent" },
      ruleSet([builder]),
    );
    expect(codes(result)).toEqual(["missing-skills"]);
    expect(result.issues[0]).toMatchObject({ task: "a", agent: "builder_agent" });
    expect(result.issues[0]!.message).toContain('"rust"');
    expect(result.issues[0]!.message).not.toContain('"coding"');
    expect(result.issues[0]!.path).toBe("tasks[0].metadata.required_skills");
  });

  test("a single required skill string is read", () => {
    const result = validatePlan(
      plan([task("a", "generic", { metadata: { required_skills: "rust" } })]),
      { a: "builder_agent" },
      ruleSet([builder]),
    );
    expect(codes(result)).toEqual(["missing-skills"]);
  });

  test("unreadable required skills warn", () => {
    const result = validatePlan(
      plan([task("a", "generic", { metadata: { required_skills: 3 } })]),
      { a: "builder_agent" },
      ruleSet([builder]),
    );
    expect(result.passed).toBe(true);
    expect(warningCodes(result)).toEqual(["invalid-required-skills"]);
  });

  test("inherited names are not agents", () => {
    const result = validatePlan(
      plan([task("a", "x")]),
      { a: "constructor" },
      ruleSet([]),
    );
    expect(codes(result)).toEqual(["unknown-agent"]);
  });
});

describe("completeness", () => {
  test("completed tasks need no assignment", () => {
    const result = validatePlan(
      plan([task("a", "generic", { status: "completed" }), task("b", "generic")]),
      { b: "builder_agent" },
      ruleSet([builder]),
    );
    expect(result.passed).toBe(true);
  });

  test("unassigned list entries fail once per task", () => {
    const route = routeResult(
      {},
      {
        unassigned: [
          { task: "a", reason: "at-capacity", explanation: "A is at capacity 1/1" },
        ],
      },
    );
    const result = validatePlan(plan([task("a", "generic")]), route, ruleSet([builder]));
    expect(codes(result)).toEqual(["unassigned-task"]);
    expect(result.issues[0]!.message).toContain("at-capacity");
    expect(result.issues[0]!.path).toBe("unassigned[0]");
  });

  test("a task assigned twice is an error", () => {
    const route = routeResult({ a: "builder_agent" });
    route.assignments.push({ ...route.assignments[0]! });
    const result = validatePlan(plan([task("a", "generic")]), route, ruleSet([builder]));
    expect(codes(result)).toEqual(["duplicate-assignment"]);
    expect(result.issues[0]!.path).toBe("assignments[1]");
  });

  test("non-string map values are invalid assignments", () => {
    const route = { a: 5 } as unknown as Record<string, string>;
    const result = validatePlan(plan([task("a", "generic")]), route, ruleSet([builder]));
    expect(codes(result)).toEqual(["invalid-assignment", "unassigned-task"]);
    expect(result.issues[0]!.path).toBe("a");
  });
});

describe("non-redundancy", () => {
  const worker = agent("W", ["build"], { successRate: 0.9 });

  function check(descriptions: string[], extra: Partial<ReturnType<typeof task>>[] = []) {
    const tasks = descriptions.map((description, i) =>
      task(`t${i}`, "build", { description, ...(extra[i] ?? {}) }),
    );
    const map = Object.fromEntries(tasks.map((t) => [t.id, "W"]));
    return validatePlan(plan(tasks), map, ruleSet([worker]));
  }

  test("identical descriptions are redundant", () => {
    const result = check(["Compile the app", "Compile the app"]);
    expect(codes(result)).toEqual(["redundant-task"]);
    expect(result.issues[0]).toMatchObject({ task: "t1", agent: "W" });
    expect(result.issues[0]!.message).toContain('"t0"');
    expect(result.checks.nonRedundancy).toBe(false);
  });

  test("similar word sets are redundant", () => {
    const a = "write unit tests for parser module";
    const b = "Write unit tests for the parser module!";
    expect(jaccardSimilarity(a, b)).toBeCloseTo(6 / 7, 12);
    const result = check([
      "write unit tests for module one",
      "write unit tests for module two",
    ]);
    expect(
      jaccardSimilarity(
        "write unit tests for module one",
        "write unit tests for module two",
      ),
    ).toBeCloseTo(5 / 7, 12);
    expect(codes(result)).toEqual(["redundant-task"]);
  });

  test("similarity of exactly 0.7 is not redundant", () => {
    // 7 shared words, union 10.
    const left = "w1 w2 w3 w4 w5 w6 w7 a1 a2 a3";
    const right = "w1 w2 w3 w4 w5 w6 w7";
    expect(jaccardSimilarity(left, right)).toBeCloseTo(0.7, 12);
    expect(check([left, right]).issues).toEqual([]);
  });

  test("same metadata and dependencies are redundant", () => {
    const result = check(
      ["Build the api", "Assemble service"],
      [{ metadata: { module: "api" } }, { metadata: { module: "api" } }],
    );
    expect(codes(result)).toEqual(["redundant-task"]);
    expect(result.issues[0]!.message).toContain("metadata");
  });

  test("same metadata but other dependencies is fine", () => {
    const tasks = [
      task("root", "build", { description: "Prepare" }),
      task("a", "build", { description: "Build the api", metadata: { m: 1 } }),
      task("b", "build", {
        description: "Ship service",
        metadata: { m: 1 },
        dependsOn: ["root"],
      }),
    ];
    const result = validatePlan(
      plan(tasks),
      { root: "W", a: "W", b: "W" },
      ruleSet([worker]),
    );
    expect(result.issues).toEqual([]);
  });

  test("blank descriptions are not evidence", () => {
    const result = check(["", "  "]);
    expect(result.issues).toEqual([]);
    expect(warningCodes(result)).toEqual(["shared-agent-type"]);
  });

  test("same agent and type alone warns once per group", () => {
    const result = check([
      "Compile the app",
      "Package the installer",
      "Sign the binaries",
    ]);
    expect(result.passed).toBe(true);
    expect(warningCodes(result)).toEqual(["shared-agent-type"]);
    expect(result.warnings[0]!.message).toContain("t0, t1, t2");
  });

  test("different agents are never redundant", () => {
    const tasks = [
      task("a", "build", { description: "Same" }),
      task("b", "build", { description: "Same" }),
    ];
    const other = agent("V", ["build"]);
    const result = validatePlan(
      plan(tasks),
      { a: "W", b: "V" },
      ruleSet([worker, other]),
    );
    expect(result.issues).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  test("each repeat is reported once", () => {
    const result = check(["Same work", "Same work", "Same work"]);
    expect(result.issues.map((issue) => issue.task)).toEqual(["t1", "t2"]);
  });

  test("many similar tasks stay fast", () => {
    const descriptions = Array.from(
      { length: 5000 },
      (_, i) => `task number ${i} of the batch`,
    );
    const started = performance.now();
    const result = check(descriptions);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.issues.length).toBeGreaterThan(0);
  });
});

describe("structure", () => {
  const worker = agent("W", ["s"]);

  function chain(length: number) {
    const tasks = Array.from({ length }, (_, i) =>
      task(`c${i}`, "s", {
        description: `step ${i}`,
        dependsOn: i === 0 ? [] : [`c${i - 1}`],
      }),
    );
    return { tasks, map: Object.fromEntries(tasks.map((t) => [t.id, "W"])) };
  }

  test("a cycle is one error naming it", () => {
    const tasks = [
      task("a", "s", { description: "one", dependsOn: ["b"] }),
      task("b", "s", { description: "two", dependsOn: ["a"] }),
    ];
    const result = validatePlan(plan(tasks), { a: "W", b: "W" }, ruleSet([worker]));
    expect(codes(result)).toEqual(["cycle"]);
    expect(result.issues[0]!.message).toMatch(/a -> b -> a|b -> a -> b/);
    expect(result.checks.structure).toBe(false);
    expect(result.scoreParts.time).toBe(1);
  });

  test("unknown dependencies are invalid graphs", () => {
    const tasks = [task("a", "s", { dependsOn: ["nope"] })];
    const result = validatePlan(plan(tasks), { a: "W" }, ruleSet([worker]));
    expect(codes(result)).toEqual(["invalid-graph"]);
    expect(result.issues[0]!.message).toContain("nope");
  });

  test.each([
    [6, [], []],
    [7, [], ["deep-plan"]],
    [11, [], ["deep-plan"]],
    [12, ["depth-exceeded"], []],
  ])("chain of %i tasks", (length, errors, warnings) => {
    const { tasks, map } = chain(length);
    const result = validatePlan(plan(tasks), map, ruleSet([worker]));
    expect(codes(result)).toEqual(errors);
    expect(warningCodes(result).filter((code) => code !== "shared-agent-type")).toEqual(
      warnings,
    );
  });

  test.each([
    [5, [], []],
    [6, [], ["many-tasks"]],
    [10, [], ["many-tasks"]],
    [11, ["too-many-tasks"], []],
  ])("%i tasks against a limit of 10", (count, errors, warnings) => {
    const tasks = Array.from({ length: count }, (_, i) =>
      task(`t${i}`, "s", { description: `unique ${"z".repeat(i)}` }),
    );
    const map = Object.fromEntries(tasks.map((t) => [t.id, "W"]));
    const result = validatePlan(plan(tasks), map, ruleSet([worker]), { maxTasks: 10 });
    expect(codes(result)).toEqual(errors);
    expect(warningCodes(result).filter((code) => code !== "shared-agent-type")).toEqual(
      warnings,
    );
  });

  test("maxTasks defaults to the planner limit", () => {
    const tasks = [
      task("a", "s", { description: "one" }),
      task("b", "s", { description: "two" }),
    ];
    const limits = {
      maxDepth: 5,
      maxTasks: 1,
      maxGoalLength: 10,
      maxSubtasksPerUpdate: 1,
      maxUpdatesPerPlan: 1,
    };
    const rules = ruleSet([worker], {
      planner: { templates: [], refinements: {}, atomicTypes: [], limits },
    });
    const result = validatePlan(plan(tasks), { a: "W", b: "W" }, rules);
    expect(codes(result)).toEqual(["too-many-tasks"]);
  });
});

describe("budget", () => {
  const agents = [
    agent("C", ["x"], { costTier: "cheap" }),
    agent("E", ["y"], { costTier: "expensive" }),
  ];
  const tasks = [
    task("a", "x", { description: "one" }),
    task("b", "y", { description: "two" }),
    task("done", "y", { description: "three", status: "completed" }),
  ];
  const map = { a: "C", b: "E", done: "E" };

  test("cost sums tier units of open tasks", () => {
    expect(estimatePlanCost(plan(tasks), map, ruleSet(agents))).toBe(
      TIER_COST_UNITS.cheap + TIER_COST_UNITS.expensive,
    );
  });

  test("a budget at the cost passes", () => {
    const result = validatePlan(plan(tasks), map, ruleSet(agents), { budget: 11 });
    expect(result.checks.budget).toBe(true);
    expect(result.passed).toBe(true);
  });

  test("a budget below the cost fails", () => {
    const result = validatePlan(plan(tasks), map, ruleSet(agents), { budget: 10 });
    expect(result.checks.budget).toBe(false);
    expect(codes(result)).toEqual(["over-budget"]);
    expect(result.issues[0]!.message).toContain("11");
    expect(result.qualityScore).toBeNull();
  });

  test("invalid budgets throw", () => {
    expect(() => validatePlan(plan([]), {}, ruleSet([]), { budget: Number.NaN })).toThrow(
      RangeError,
    );
    expect(() => validatePlan(plan([]), {}, ruleSet([]), { budget: -1 })).toThrow(
      /budget/,
    );
  });
});

describe("every check reports", () => {
  test("faults in all checks come together", () => {
    const tasks = [
      task("a", "s", { description: "Same", dependsOn: ["b"] }),
      task("b", "s", { description: "Same", dependsOn: ["a"] }),
      task("c", "s"),
    ];
    const rules = ruleSet([agent("W", ["s"], { costTier: "expensive" })]);
    const result = validatePlan(plan(tasks), { a: "W", b: "W", c: "ghost" }, rules, {
      budget: 1,
    });
    expect(result.checks).toEqual({
      solvability: false,
      completeness: true,
      nonRedundancy: false,
      structure: false,
      budget: false,
    });
    expect(codes(result)).toEqual([
      "unknown-agent",
      "redundant-task",
      "cycle",
      "over-budget",
    ]);
    expect(warningCodes(result)).toEqual(["shared-agent-type"]);
  });
});

describe("built-in rule set", () => {
  test("generic task on default builder scores 0.828", () => {
    const result = validatePlan(
      plan([task("task_0", "generic", { description: "Make tea" })]),
      { task_0: "builder_agent" },
      DEFAULT_RULE_SET,
    );
    expect(result.passed).toBe(true);
    expect(result.qualityScore).toBe(0.828);
  });
});
