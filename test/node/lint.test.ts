import { describe, expect, test } from "vitest";
import { lintRuleSet, type LintFinding } from "../../src/engine/lint/index.js";
import type { Condition, Rule, RuleSet } from "../../src/engine/types.js";
import { agent, ruleSet } from "./validator-helpers.js";
import { DEFAULT_RULE_SET } from "../../src/engine/default-ruleset.js";

function rule(id: string, priority: number, when: Condition, agentId: string): Rule {
  return { id, priority, when, agent: agentId, explanation: "" };
}

const agents = [
  agent("A", ["job", "review"]),
  agent("B", ["job", "review"]),
  agent("C", ["job"]),
];

function lint(rules: Rule[], extra: Partial<RuleSet> = {}): LintFinding[] {
  return lintRuleSet(ruleSet(extra.agents ?? agents, { rules, ...extra }));
}

function summary(findings: LintFinding[]): string[] {
  return findings.map((finding) => `${finding.code} ${finding.severity} ${finding.path}`);
}

describe("clean rule sets", () => {
  test("distinct typed rules give no findings", () => {
    const findings = lint([
      rule("r1", 10, { taskType: "job" }, "A"),
      rule("r2", 10, { taskType: "review" }, "B"),
    ]);
    expect(findings).toEqual([]);
  });
});

describe("ids and agents", () => {
  test("duplicate ids name the second position", () => {
    const findings = lintRuleSet(
      ruleSet([agent("A", ["job"]), agent("A", ["job"])], {
        rules: [
          rule("r", 1, { taskType: "job" }, "A"),
          rule("r", 2, { taskType: "job" }, "A"),
        ],
      }),
    );
    expect(summary(findings)).toContain("duplicate-agent-id error agents[1].id");
    expect(summary(findings)).toContain("duplicate-rule-id error rules[1].id");
    const duplicate = findings.find((finding) => finding.code === "duplicate-rule-id")!;
    expect(duplicate.message).toContain("rules[0]");
  });

  test("unknown agents get a hint", () => {
    const findings = lint([rule("r", 1, { taskType: "job" }, "a")]);
    expect(summary(findings)).toEqual(["unknown-agent error rules[0].agent"]);
    expect(findings[0]!.message).toContain('did you mean "A"');
  });

  test("malformed input does not throw", () => {
    const broken = {
      format: "switchyard/ruleset",
      version: 1,
      name: "x",
      agents: [null, { id: 3 }, { id: "ok" }],
      rules: [null, { id: "", when: 7 }, { id: "r", agent: "ok", when: { all: "no" } }],
    } as unknown as RuleSet;
    const findings = lintRuleSet(broken);
    expect(summary(findings)).toEqual(
      expect.arrayContaining([
        "invalid-id error agents[0].id",
        "invalid-id error agents[1].id",
        "invalid-id error rules[0].id",
        "invalid-id error rules[1].id",
        "unknown-agent error rules[0].agent",
      ]),
    );
  });

  test("deep nesting does not overflow", () => {
    let when: Condition = { field: "metadata.a", op: "exists" };
    for (let i = 0; i < 100_000; i++)
      when = i % 2 === 0 ? { not: when } : { all: [when] };
    expect(() =>
      lint([rule("deep", 1, { taskType: "job", ...when }, "A")]),
    ).not.toThrow();
  });

  test("missing agents and rules arrays are empty", () => {
    const findings = lintRuleSet({
      format: "switchyard/ruleset",
      version: 1,
      name: "x",
    } as RuleSet);
    expect(findings).toEqual([]);
  });
});

describe("conditions that never hold", () => {
  const table: [string, Condition, string][] = [
    [
      "between min > max",
      {
        taskType: "job",
        all: [{ field: "metadata.size", op: "between", value: [5, 1] }],
      },
      "rules[0].when.all[0]",
    ],
    [
      "between mixed bounds",
      { field: "metadata.size", op: "between", value: [1, "z"] },
      "rules[0].when",
    ],
    [
      "in with empty list",
      { taskType: "job", all: [{ field: "metadata.tag", op: "in", value: [] }] },
      "rules[0].when.all[0]",
    ],
    ["empty taskType", { taskType: [] }, "rules[0].when.taskType"],
    [
      "ordering a boolean",
      { field: "metadata.size", op: "lt", value: true },
      "rules[0].when",
    ],
    ["missing type", { field: "type", op: "missing" }, "rules[0].when"],
    [
      "contradictory eq",
      {
        all: [
          { field: "metadata.env", op: "eq", value: "prod" },
          { field: "metadata.env", op: "eq", value: "dev" },
        ],
      },
      "rules[0].when",
    ],
    [
      "shorthand against eq",
      {
        metadata: { env: "prod" },
        all: [{ field: "metadata.env", op: "eq", value: "dev" }],
      },
      "rules[0].when",
    ],
    [
      "eq and ne",
      {
        all: [
          { field: "metadata.env", op: "eq", value: "prod" },
          { field: "metadata.env", op: "ne", value: "prod" },
        ],
      },
      "rules[0].when",
    ],
    [
      "exists and missing",
      {
        all: [
          { field: "metadata.env", op: "exists" },
          { field: "metadata.env", op: "missing" },
        ],
      },
      "rules[0].when",
    ],
    [
      "eq outside range",
      {
        all: [
          { field: "metadata.n", op: "eq", value: 3 },
          { field: "metadata.n", op: "gt", value: 5 },
        ],
      },
      "rules[0].when",
    ],
    [
      "empty interval",
      {
        all: [
          { field: "metadata.n", op: "gt", value: 5 },
          { field: "metadata.n", op: "lt", value: 5 },
        ],
      },
      "rules[0].when",
    ],
    [
      "number and string order",
      {
        all: [
          { field: "metadata.n", op: "gt", value: 5 },
          { field: "metadata.n", op: "lt", value: "m" },
        ],
      },
      "rules[0].when",
    ],
    [
      "taskType against type eq",
      { taskType: "job", all: [{ field: "type", op: "eq", value: "review" }] },
      "rules[0].when",
    ],
    [
      "every any branch dead",
      {
        any: [
          { field: "metadata.a", op: "in", value: [] },
          { field: "metadata.b", op: "between", value: [2, 1] },
        ],
      },
      "rules[0].when.any[0]",
    ],
    ["empty any", { any: [] }, "rules[0].when.any"],
  ];

  test.each(table)("%s is an error", (_name, when, path) => {
    const findings = lint([rule("r", 1, when, "A")]);
    const never = findings.filter((finding) => finding.code === "condition-never-holds");
    expect(never.length).toBeGreaterThan(0);
    expect(never[0]!.severity).toBe("error");
    expect(never[0]!.path).toBe(path);
    expect(never[0]!.message).toContain('Rule "r" never matches');
  });

  const satisfiable: [string, Condition][] = [
    [
      "eq and in containing it",
      {
        all: [
          { field: "metadata.env", op: "eq", value: "prod" },
          { field: "metadata.env", op: "in", value: ["prod", "dev"] },
        ],
      },
    ],
    [
      "touching closed bounds",
      {
        all: [
          { field: "metadata.n", op: "gte", value: 5 },
          { field: "metadata.n", op: "lte", value: 5 },
        ],
      },
    ],
    [
      "eq on different fields",
      {
        all: [
          { field: "metadata.a", op: "eq", value: 1 },
          { field: "metadata.b", op: "eq", value: 2 },
        ],
      },
    ],
    ["not of empty in", { not: { field: "metadata.a", op: "in", value: [] } }],
    [
      "ne of another type",
      {
        all: [
          { field: "metadata.a", op: "eq", value: 1 },
          { field: "metadata.a", op: "ne", value: "1" },
        ],
      },
    ],
    ["between equal bounds", { field: "metadata.n", op: "between", value: [1, 1] }],
  ];

  test.each(satisfiable)("%s is not reported", (_name, when) => {
    expect(lint([rule("r", 1, { taskType: "job", ...when }, "A")])).toEqual([]);
  });

  test("a dead branch of a live any is a warning", () => {
    const findings = lint([
      rule(
        "r",
        1,
        {
          taskType: "job",
          any: [
            { field: "metadata.a", op: "in", value: [] },
            { field: "metadata.b", op: "exists" },
          ],
        },
        "A",
      ),
    ]);
    expect(summary(findings)).toEqual([
      "branch-never-holds warning rules[0].when.any[0]",
    ]);
  });
});

describe("shadowed rules and ties", () => {
  test("same agent under a weaker earlier rule is shadowed", () => {
    const findings = lint([
      rule("broad", 10, { taskType: ["job", "review"] }, "A"),
      rule("narrow", 5, { taskType: "job", metadata: { env: "prod" } }, "A"),
    ]);
    expect(summary(findings)).toEqual(["shadowed-rule warning rules[1]"]);
    expect(findings[0]!.message).toContain('"broad"');
  });

  test("equal priority declared earlier shadows too", () => {
    const findings = lint([
      rule("first", 5, { taskType: "job", metadata: { env: "prod" } }, "A"),
      rule(
        "second",
        5,
        {
          taskType: "job",
          all: [
            { field: "metadata.env", op: "eq", value: "prod" },
            { field: "metadata.n", op: "gt", value: 1 },
          ],
        },
        "A",
      ),
    ]);
    expect(summary(findings)).toEqual(["shadowed-rule warning rules[1]"]);
  });

  test("declared later at equal priority does not shadow", () => {
    const findings = lint([
      rule("narrow", 5, { taskType: "job", metadata: { env: "prod" } }, "A"),
      rule("broad", 5, { taskType: "job" }, "A"),
    ]);
    expect(findings).toEqual([]);
  });

  test("wildcard rules shadow typed ones", () => {
    const findings = lint([
      rule("all", 10, {}, "A"),
      rule("job", 1, { taskType: "job" }, "A"),
    ]);
    expect(summary(findings)).toEqual(["shadowed-rule warning rules[1]"]);
  });

  test("typed rules never shadow wildcards", () => {
    const findings = lint([
      rule("job", 10, { taskType: "job" }, "A"),
      rule("all", 1, {}, "A"),
    ]);
    expect(summary(findings)).toEqual([]);
  });

  test("a stronger earlier condition does not shadow", () => {
    const findings = lint([
      rule("narrow", 10, { taskType: "job", metadata: { env: "prod" } }, "A"),
      rule("broad", 5, { taskType: "job" }, "A"),
    ]);
    expect(findings).toEqual([]);
  });

  test("ranges and sets prove implication", () => {
    const findings = lint([
      rule(
        "wide",
        10,
        {
          taskType: "job",
          all: [
            { field: "metadata.n", op: "between", value: [0, 100] },
            { field: "metadata.env", op: "in", value: ["a", "b"] },
          ],
        },
        "A",
      ),
      rule(
        "tight",
        5,
        {
          taskType: "job",
          all: [
            { field: "metadata.n", op: "eq", value: 7 },
            { field: "metadata.env", op: "eq", value: "a" },
          ],
        },
        "A",
      ),
      rule(
        "exists",
        20,
        { taskType: "review", all: [{ field: "metadata.x", op: "exists" }] },
        "B",
      ),
      rule(
        "present",
        1,
        {
          taskType: "review",
          all: [{ field: "metadata.x", op: "startsWith", value: "p" }],
        },
        "B",
      ),
    ]);
    expect(summary(findings)).toEqual([
      "shadowed-rule warning rules[1]",
      "shadowed-rule warning rules[3]",
    ]);
  });

  test("any in the earlier rule needs one implied branch", () => {
    const findings = lint([
      rule(
        "either",
        10,
        {
          taskType: "job",
          any: [{ metadata: { env: "prod" } }, { metadata: { env: "dev" } }],
        },
        "A",
      ),
      rule("dev", 5, { taskType: "job", metadata: { env: "dev" } }, "A"),
    ]);
    expect(summary(findings)).toEqual(["shadowed-rule warning rules[1]"]);
  });

  test("any in the later rule needs every branch", () => {
    const findings = lint([
      rule("prod", 10, { taskType: "job", metadata: { env: "prod" } }, "A"),
      rule(
        "either",
        5,
        {
          taskType: "job",
          any: [{ metadata: { env: "prod" } }, { metadata: { env: "dev" } }],
        },
        "A",
      ),
    ]);
    expect(findings).toEqual([]);
  });

  test("another agent makes a rule fallback-only", () => {
    const findings = lint([
      rule("main", 10, { taskType: "job" }, "A"),
      rule("backup", 5, { taskType: "job" }, "B"),
    ]);
    expect(summary(findings)).toEqual(["fallback-only-rule info rules[1]"]);
    expect(findings[0]!.message).toContain("unavailable or at capacity");
  });

  test("K07 equal priorities are ties", () => {
    const findings = lint(
      [
        rule("R1", 5, { taskType: "review" }, "A"),
        rule("R2", 5, { taskType: "review" }, "B"),
        rule("R3", 5, { taskType: "review" }, "C"),
        rule("R4", 1, { taskType: "review" }, "A"),
      ],
      { agents: [...agents.slice(0, 2), agent("C", ["review"]), agent("D", ["review"])] },
    );
    expect(summary(findings)).toEqual([
      "priority-tie warning rules[1].priority",
      "priority-tie warning rules[2].priority",
      "shadowed-rule warning rules[3]",
    ]);
    expect(findings[0]!.message).toContain('"R1"');
  });

  test("overlapping conditions at equal priority tie", () => {
    const findings = lint([
      rule("gpu", 5, { taskType: "job", metadata: { gpu: true } }, "A"),
      rule(
        "big",
        5,
        { taskType: "job", all: [{ field: "metadata.size", op: "gt", value: 10 }] },
        "B",
      ),
    ]);
    expect(summary(findings)).toEqual(["priority-tie warning rules[1].priority"]);
    expect(findings[0]!.message).toContain("declared first");
  });

  test("exclusive conditions at equal priority do not tie", () => {
    const findings = lint([
      rule("prod", 5, { taskType: "job", metadata: { env: "prod" } }, "A"),
      rule("dev", 5, { taskType: "job", metadata: { env: "dev" } }, "B"),
    ]);
    expect(findings).toEqual([]);
  });

  test("dead rules are not compared", () => {
    const findings = lint([
      rule("all", 10, {}, "A"),
      rule("dead", 1, { taskType: [] }, "A"),
    ]);
    expect(summary(findings)).toEqual([
      "condition-never-holds error rules[1].when.taskType",
    ]);
  });
});

describe("task types and agents", () => {
  test("rule type no agent supports warns", () => {
    const findings = lint([rule("r", 1, { taskType: "gpu" }, "A")]);
    expect(summary(findings)).toEqual([
      "unsupported-task-type warning rules[0].when.taskType",
    ]);
    expect(findings[0]!.message).toContain('"gpu"');
  });

  test("rule agent lacking a type warns", () => {
    const findings = lint([rule("r", 1, { taskType: "review" }, "C")]);
    expect(summary(findings)).toEqual([
      "rule-agent-lacks-type warning rules[0].when.taskType",
    ]);
  });

  test("wildcard rule on a narrow agent is info", () => {
    const findings = lint([rule("r", 1, {}, "C")]);
    expect(summary(findings)).toEqual(["wildcard-rule info rules[0].when"]);
    expect(findings[0]!.message).toContain('"review"');
  });

  test("planner types no agent supports are errors", () => {
    const limits = {
      maxDepth: 5,
      maxTasks: 10,
      maxGoalLength: 10,
      maxSubtasksPerUpdate: 1,
      maxUpdatesPerPlan: 1,
    };
    const findings = lint([], {
      planner: {
        templates: [
          {
            id: "t",
            keywords: ["x"],
            tasks: [
              { id: "a", type: "job", description: "" },
              { id: "b", type: "paint", description: "" },
            ],
          },
        ],
        refinements: { job: [{ suffix: "s", type: "sculpt", description: "" }] },
        atomicTypes: [],
        limits,
      },
    });
    expect(summary(findings)).toEqual([
      "unsupported-task-type error planner.templates[0].tasks[1].type",
      'unsupported-task-type error planner.refinements["job"][0].type',
    ]);
  });

  test("agent with no types and no rule is unreachable", () => {
    const findings = lintRuleSet(
      ruleSet([agent("A", ["job"]), agent("idle", [])], {
        rules: [rule("dead", 1, { taskType: [] }, "idle")],
      }),
    );
    expect(summary(findings)).toContain("unreachable-agent warning agents[1]");
  });

  test("a rule reaches a typeless agent", () => {
    const findings = lintRuleSet(
      ruleSet([agent("A", ["job"]), agent("idle", [])], {
        rules: [rule("r", 1, { taskType: "job", metadata: { special: true } }, "idle")],
      }),
    );
    expect(summary(findings)).toEqual([
      "rule-agent-lacks-type warning rules[0].when.taskType",
    ]);
  });
});

describe("findings are complete", () => {
  test("every finding has code, severity, path and message", () => {
    const findings = lint([
      rule(
        "x",
        1,
        { taskType: "gpu", all: [{ field: "metadata.a", op: "in", value: [] }] },
        "ghost",
      ),
      rule("x", 1, {}, "A"),
    ]);
    expect(findings.length).toBeGreaterThan(2);
    for (const finding of findings) {
      expect(Object.keys(finding).sort()).toEqual([
        "code",
        "message",
        "path",
        "severity",
      ]);
      expect(finding.message.length).toBeGreaterThan(20);
    }
  });
});

describe("built-in rule set", () => {
  test("default rule set has no findings", () => {
    expect(lintRuleSet(DEFAULT_RULE_SET)).toEqual([]);
  });
});
