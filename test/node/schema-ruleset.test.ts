import { describe, expect, test } from "vitest";
import {
  DEFAULT_PLANNER_LIMITS,
  formatProblems,
  OPERATORS,
  parseRuleSet,
  RuleSetError,
  safeParseRuleSet,
  type SchemaProblem,
} from "../../src/engine/index.js";

function ruleSet(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: "switchyard/ruleset",
    version: 1,
    name: "test",
    agents: [{ id: "A", taskTypes: ["job"] }],
    rules: [],
    ...extra,
  };
}

function withWhen(when: unknown): Record<string, unknown> {
  return ruleSet({ rules: [{ id: "r1", priority: 1, when, agent: "A" }] });
}

function problemsOf(input: unknown): SchemaProblem[] {
  const result = safeParseRuleSet(input);
  if (result.ok) throw new Error("expected the rule set to be rejected");
  return result.problems;
}

function prototypeKeys(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

describe("parseRuleSet", () => {
  test("applies agent and rule defaults", () => {
    const parsed = parseRuleSet(withWhen({ taskType: "job" }));
    expect(parsed.agents[0]).toEqual({
      id: "A",
      taskTypes: ["job"],
      skills: [],
      costTier: "medium",
      maxConcurrent: 10,
    });
    expect(parsed.rules[0]!.explanation).toBe("");
    expect(parsed.planner).toBeUndefined();
  });

  test("applies planner limit defaults", () => {
    const parsed = parseRuleSet(ruleSet({ planner: { limits: { maxTasks: 50 } } }));
    expect(parsed.planner!.limits).toEqual({ ...DEFAULT_PLANNER_LIMITS, maxTasks: 50 });
    expect(parseRuleSet(ruleSet({ planner: {} })).planner).toEqual({
      templates: [],
      refinements: {},
      atomicTypes: [],
      limits: DEFAULT_PLANNER_LIMITS,
    });
  });

  test("throws RuleSetError with code and path", () => {
    let caught: unknown;
    try {
      parseRuleSet(
        ruleSet({ agents: [{ id: "A", taskTypes: ["job"], maxConcurrent: 0 }] }),
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RuleSetError);
    expect((caught as RuleSetError).code).toBe("E_SCHEMA");
    expect((caught as RuleSetError).path).toEqual(["agents", 0, "maxConcurrent"]);
  });

  test("bad operator names path, value and operators", () => {
    const problems = problemsOf(
      withWhen({ all: [{ field: "metadata.size", op: "around", value: [1, 2] }] }),
    );
    expect(problems[0]!.path).toBe("rules[0].when.all[0].op");
    expect(problems[0]!.received).toBe("around");
    for (const op of OPERATORS) expect(problems[0]!.message).toContain(`"${op}"`);
    expect(formatProblems(problems)).toContain('(received "around")');
  });

  test("maxConcurrent string says expected integer", () => {
    const input = ruleSet({
      agents: [{ id: "constructor", taskTypes: [], maxConcurrent: "two" }],
    });
    const problems = problemsOf(input);
    const problem = problems.find((p) => p.path === "agents[0].maxConcurrent");
    expect(problem?.message).toContain("expected integer");
    expect(problems.some((p) => p.path === "agents[0].id")).toBe(true);
    expect(() => formatProblems(problems)).not.toThrow();
  });

  test("prototype keys are rejected and nothing leaks", () => {
    const before = prototypeKeys();
    const text = `{"format":"switchyard/ruleset","version":1,"name":"x",
      "agents":[{"id":"__proto__","taskTypes":["job"]},{"id":"A","taskTypes":["job"]}],
      "rules":[
        {"id":"r1","priority":1,"agent":"A","when":{"field":"metadata.__proto__.polluted","op":"eq","value":"yes"}},
        {"id":"r2","priority":1,"agent":"A","when":{"field":"metadata.constructor.prototype.p","op":"exists"}},
        {"id":"r3","priority":1,"agent":"A","when":{"metadata":{"a.__proto__":"x"}}},
        {"id":"prototype","priority":1,"agent":"A","when":{}}
      ]}`;
    const problems = problemsOf(JSON.parse(text));
    const paths = problems.map((p) => p.path);
    expect(paths).toContain("agents[0].id");
    expect(paths).toContain("rules[0].when.field");
    expect(paths).toContain("rules[1].when.field");
    expect(paths).toContain('rules[2].when.metadata["a.__proto__"]');
    expect(paths).toContain("rules[3].id");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["p"]).toBeUndefined();
    expect(prototypeKeys()).toEqual(before);
  });

  test("lone surrogate is rejected", () => {
    const problems = problemsOf(
      withWhen({ field: "metadata.tag", op: "eq", value: "\uD800" }),
    );
    expect(problems[0]!.path).toBe("rules[0].when.value");
    expect(problems[0]!.message).toContain("lone UTF-16 surrogate");
  });

  test("characters beyond the BMP are accepted", () => {
    const parsed = parseRuleSet(
      withWhen({ field: "metadata.tag", op: "in", value: ["🚀", "𣄃"] }),
    );
    expect(parsed.rules[0]!.when.value).toEqual(["🚀", "𣄃"]);
  });

  test("NFC-normalises rule strings at import", () => {
    const parsed = parseRuleSet(
      withWhen({
        taskType: ["re\u0301sume\u0301"],
        metadata: { "cafe\u0301": "cafe\u0301" },
        all: [{ field: "metadata.city", op: "in", value: ["Zu\u0308rich"] }],
        not: { field: "metadata.team", op: "eq", value: "cafe\u0301" },
      }),
    );
    const when = parsed.rules[0]!.when;
    expect(when.taskType).toEqual(["résumé"]);
    expect(when.metadata).toEqual({ café: "café" });
    expect(when.all![0]!.value).toEqual(["Zürich"]);
    expect(when.not!.value).toBe("café");
  });

  test("no compatibility folding", () => {
    const parsed = parseRuleSet(withWhen({ field: "metadata.n", op: "eq", value: "Ⅶ" }));
    expect(parsed.rules[0]!.when.value).toBe("Ⅶ");
  });

  test("condition nesting of 32 is accepted", () => {
    let when: Record<string, unknown> = { taskType: "job" };
    for (let i = 1; i < 32; i++) when = { not: when };
    expect(safeParseRuleSet(withWhen(when)).ok).toBe(true);
  });

  test("condition nesting of 33 is rejected", () => {
    let when: Record<string, unknown> = { taskType: "job" };
    for (let i = 1; i < 33; i++) when = { all: [when] };
    const problems = problemsOf(withWhen(when));
    expect(problems[0]!.message).toContain("deeper than 32");
  });

  test("100,000-deep condition is an error, not a crash", () => {
    let when: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) when = { any: [when] };
    const problems = problemsOf(withWhen(when));
    expect(problems.some((p) => p.message.includes("deeper than 32"))).toBe(true);
  });

  test("unknown agent gets a hint", () => {
    const input = ruleSet({
      agents: [{ id: "builder_agent", taskTypes: ["job"] }],
      rules: [{ id: "r1", priority: 1, when: {}, agent: "buidler_agent" }],
    });
    const problems = problemsOf(input);
    expect(problems[0]!.path).toBe("rules[0].agent");
    expect(problems[0]!.message).toContain('did you mean "builder_agent"');
  });

  test("duplicate agent ids name both positions", () => {
    const problems = problemsOf(
      ruleSet({
        agents: [
          { id: "A", taskTypes: [] },
          { id: "A", taskTypes: [] },
        ],
      }),
    );
    expect(problems[0]!.path).toBe("agents[1].id");
    expect(problems[0]!.message).toContain("agents[0] and agents[1]");
  });

  test("duplicate rule ids name both positions", () => {
    const rule = { id: "r", priority: 1, when: {}, agent: "A" };
    const problems = problemsOf(ruleSet({ rules: [rule, rule] }));
    expect(problems[0]!.message).toContain("rules[0] and rules[1]");
  });

  test("template dependencies must exist", () => {
    const planner = {
      templates: [
        {
          id: "t",
          keywords: ["x"],
          tasks: [{ id: "a", type: "y", description: "", dependsOn: ["b"] }],
        },
      ],
    };
    const problems = problemsOf(ruleSet({ planner }));
    expect(problems[0]!.path).toBe("planner.templates[0].tasks[0].dependsOn[0]");
  });

  const validLeaves: [string, unknown][] = [
    ["eq string", { field: "type", op: "eq", value: "job" }],
    ["eq number", { field: "metadata.n", op: "eq", value: 0 }],
    ["eq boolean", { field: "metadata.b", op: "eq", value: false }],
    ["ne", { field: "description", op: "ne", value: "x" }],
    ["in", { field: "metadata.n", op: "in", value: [1, "a", true] }],
    ["empty in", { field: "metadata.n", op: "in", value: [] }],
    ["notIn", { field: "metadata.n", op: "notIn", value: ["a"] }],
    ["lt number", { field: "metadata.n", op: "lt", value: 3 }],
    ["gte string", { field: "metadata.s", op: "gte", value: "m" }],
    ["between numbers", { field: "metadata.n", op: "between", value: [0, 1] }],
    ["between strings", { field: "metadata.s", op: "between", value: ["a", "m"] }],
    ["exists", { field: "metadata.n", op: "exists" }],
    ["missing", { field: "metadata.n", op: "missing" }],
    ["contains", { field: "metadata.tags", op: "contains", value: "gpu" }],
    ["startsWith", { field: "description", op: "startsWith", value: "Build" }],
    ["dotted path", { field: "metadata.env.region", op: "eq", value: "eu" }],
    ["empty condition", {}],
    ["taskType array", { taskType: ["a", "b"] }],
  ];
  test.each(validLeaves)("accepts %s", (_name, when) => {
    const result = safeParseRuleSet(withWhen(when));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  const badLeaves: [string, unknown, string, string][] = [
    [
      "null value",
      { field: "metadata.n", op: "eq", value: null },
      "rules[0].when.value",
      'use op "missing"',
    ],
    [
      "array for eq",
      { field: "metadata.n", op: "eq", value: [1] },
      "rules[0].when.value",
      "string, finite number or boolean",
    ],
    [
      "value for exists",
      { field: "metadata.n", op: "exists", value: 1 },
      "rules[0].when.value",
      "takes no value",
    ],
    [
      "value for missing",
      { field: "metadata.n", op: "missing", value: null },
      "rules[0].when.value",
      "takes no value",
    ],
    [
      "scalar for in",
      { field: "metadata.n", op: "in", value: "a" },
      "rules[0].when.value",
      "an array",
    ],
    [
      "object in notIn",
      { field: "metadata.n", op: "notIn", value: [{}] },
      "rules[0].when.value",
      "an array",
    ],
    [
      "null in in",
      { field: "metadata.n", op: "in", value: [null] },
      "rules[0].when.value",
      "an array",
    ],
    [
      "between mixed",
      { field: "metadata.n", op: "between", value: [0, "9"] },
      "rules[0].when.value",
      "[min, max]",
    ],
    [
      "between one",
      { field: "metadata.n", op: "between", value: [0] },
      "rules[0].when.value",
      "[min, max]",
    ],
    [
      "between scalar",
      { field: "metadata.n", op: "between", value: 3 },
      "rules[0].when.value",
      "[min, max]",
    ],
    [
      "lt boolean",
      { field: "metadata.n", op: "lt", value: true },
      "rules[0].when.value",
      "finite number or a string",
    ],
    [
      "startsWith number",
      { field: "description", op: "startsWith", value: 1 },
      "rules[0].when.value",
      "a string",
    ],
    [
      "missing value",
      { field: "metadata.n", op: "gt" },
      "rules[0].when.value",
      "needs a value",
    ],
    [
      "infinite value",
      { field: "metadata.n", op: "eq", value: Infinity },
      "rules[0].when.value",
      "finite",
    ],
    ["missing op", { field: "metadata.n", value: 1 }, "rules[0].when.op", 'needs "op"'],
    ["missing field", { op: "eq", value: 1 }, "rules[0].when.field", 'needs "field"'],
    [
      "bad field",
      { field: "owner", op: "eq", value: 1 },
      "rules[0].when.field",
      "metadata.<path>",
    ],
    [
      "empty segment",
      { field: "metadata.a..b", op: "eq", value: 1 },
      "rules[0].when.field",
      "non-empty names",
    ],
    [
      "unknown key",
      { field: "type", op: "eq", value: "x", weight: 2 },
      "rules[0].when.weight",
      "unknown key",
    ],
    ["empty taskType", { taskType: [] }, "rules[0].when.taskType", "non-empty"],
    [
      "numeric taskType",
      { taskType: [1] },
      "rules[0].when.taskType[0]",
      "non-empty task type",
    ],
    [
      "null shorthand",
      { metadata: { a: null } },
      "rules[0].when.metadata.a",
      'use op "missing"',
    ],
    ["not array", { not: [] }, "rules[0].when.not", "expected object"],
  ];
  test.each(badLeaves)("rejects %s", (_name, when, path, message) => {
    const problems = problemsOf(withWhen(when));
    const problem = problems.find((p) => p.path === path);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem!.message).toContain(message);
  });

  const badFiles: [string, Record<string, unknown>, string][] = [
    ["wrong format", ruleSet({ format: "switchyard/plan" }), "format"],
    ["wrong version", ruleSet({ version: 2 }), "version"],
    ["empty name", ruleSet({ name: "" }), "name"],
    ["unknown key", ruleSet({ owner: "me" }), "owner"],
    [
      "bad cost tier",
      ruleSet({ agents: [{ id: "A", taskTypes: [], costTier: "free" }] }),
      "agents[0].costTier",
    ],
    [
      "success above 1",
      ruleSet({ agents: [{ id: "A", taskTypes: [], successRate: 1.5 }] }),
      "agents[0].successRate",
    ],
    [
      "fractional maxConcurrent",
      ruleSet({ agents: [{ id: "A", taskTypes: [], maxConcurrent: 1.5 }] }),
      "agents[0].maxConcurrent",
    ],
    [
      "fractional priority",
      ruleSet({ rules: [{ id: "r", priority: 1.5, when: {}, agent: "A" }] }),
      "rules[0].priority",
    ],
    [
      "missing when",
      ruleSet({ rules: [{ id: "r", priority: 1, agent: "A" }] }),
      "rules[0].when",
    ],
    [
      "zero limit",
      ruleSet({ planner: { limits: { maxDepth: 0 } } }),
      "planner.limits.maxDepth",
    ],
    [
      "unknown limit",
      ruleSet({ planner: { limits: { maxFoo: 1 } } }),
      "planner.limits.maxFoo",
    ],
    [
      "template without keyword",
      ruleSet({
        planner: {
          templates: [
            { id: "t", keywords: [], tasks: [{ id: "a", type: "b", description: "" }] },
          ],
        },
      }),
      "planner.templates[0].keywords",
    ],
    [
      "prototype refinement key",
      JSON.parse(
        '{"format":"switchyard/ruleset","version":1,"name":"n","agents":[],"rules":[],"planner":{"refinements":{"constructor":[]}}}',
      ) as Record<string, unknown>,
      "planner.refinements.constructor",
    ],
  ];
  test.each(badFiles)("rejects %s", (_name, input, path) => {
    expect(problemsOf(input).map((p) => p.path)).toContain(path);
  });
});

describe("prototype keys as object keys", () => {
  test("shorthand key __proto__ is rejected", () => {
    const input = JSON.parse(
      '{"format":"switchyard/ruleset","version":1,"name":"n","agents":[{"id":"A","taskTypes":[]}],"rules":[{"id":"r","priority":1,"agent":"A","when":{"metadata":{"__proto__":"x"}}}]}',
    ) as unknown;
    const problems = problemsOf(input);
    expect(problems[0]!.path).toBe("rules[0].when.metadata.__proto__");
  });

  test("top-level __proto__ key is rejected", () => {
    const input = JSON.parse(
      '{"format":"switchyard/ruleset","version":1,"name":"n","agents":[],"rules":[],"__proto__":{"polluted":1}}',
    ) as unknown;
    expect(problemsOf(input).length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
