import { describe, expect, test } from "vitest";
import { CycleError, RouterError, RuleSetError } from "../../src/engine/errors.js";
import {
  Router,
  compileRuleSet,
  packTasks,
  stringKey,
} from "../../src/engine/router/index.js";
import type {
  Assignment,
  Condition,
  RouteResult,
  Unassigned,
} from "../../src/engine/types.js";
import { agent, plan, rule, ruleSet, task } from "./router-fixtures.js";

function assignmentOf(result: RouteResult, id: string): Assignment | undefined {
  return result.assignments.find((entry) => entry.task === id);
}

function unassignedOf(result: RouteResult, id: string): Unassigned | undefined {
  return result.unassigned.find((entry) => entry.task === id);
}

describe("nulls and types (K06)", () => {
  const router = new Router(
    ruleSet(
      [agent("A", ["job"], 5), agent("B", ["job"], 5), agent("C", ["job"], 5)],
      [
        rule(
          "r1",
          10,
          { taskType: "job", field: "metadata.tags", op: "contains", value: "gpu" },
          "A",
        ),
        rule(
          "r2",
          5,
          { taskType: "job", field: "metadata.size", op: "between", value: [0, 1] },
          "B",
        ),
      ],
    ),
  );
  const jobs = plan([
    task("t1", "job", { metadata: { tags: null, size: null } }),
    task("t2", "job", { metadata: { size: "0" } }),
    task("t3", "job", { metadata: { size: 0 } }),
  ]);

  test("null fields match no rule and fall back", () => {
    const result = router.route(jobs);
    expect(assignmentOf(result, "t1")).toMatchObject({ agent: "A", via: "capability" });
  });

  test("string size does not match a numeric range", () => {
    const result = router.route(jobs);
    expect(assignmentOf(result, "t2")?.via).toBe("capability");
  });

  test("inclusive bounds match zero", () => {
    const result = router.route(jobs);
    expect(assignmentOf(result, "t3")).toMatchObject({
      agent: "B",
      via: "rule",
      rule: "r2",
    });
  });

  test("trace reports tags as null", () => {
    const trace = router.trace(jobs, "t1");
    expect(trace.steps[0]).toEqual({
      rule: "r1",
      agent: "A",
      outcome: "condition-failed",
      at: "when",
      field: "metadata.tags",
      op: "contains",
      expected: "gpu",
      actual: null,
      result: "unknown",
    });
    expect(trace.steps[1]).toMatchObject({ rule: "r2", actual: null, result: "unknown" });
    expect(trace.fallback[0]).toEqual({ agent: "A", outcome: "won", load: 0 });
  });

  test("trace reports the string size as unknown", () => {
    const trace = router.trace(jobs, "t2");
    expect(trace.steps[1]).toMatchObject({ rule: "r2", actual: "0", result: "unknown" });
  });
});

describe("ties and direction (K07)", () => {
  const rules = ruleSet(
    ["A", "B", "C", "D"].map((id) => agent(id, ["review"])),
    [
      rule("R1", 5, { taskType: "review" }, "A"),
      rule("R2", 5, { taskType: "review" }, "B"),
      rule("R3", 5, { taskType: "review" }, "C"),
      rule("R4", 1, { taskType: "review" }, "D"),
    ],
  );
  const review = plan([task("x", "review")]);

  test("first declared rule wins on 1,000 runs", () => {
    const router = new Router(rules);
    for (let run = 0; run < 1000; run++) {
      expect(router.route(review).assignments[0]?.agent).toBe("A");
    }
  });

  test("wins after a JSON round trip", () => {
    const router = new Router(JSON.parse(JSON.stringify(rules)));
    expect(router.route(review).assignments[0]?.agent).toBe("A");
  });

  test("trace lists later matches as not reached", () => {
    const trace = new Router(rules).trace(review, "x");
    expect(trace.steps.map((step) => [step.rule, step.outcome])).toEqual([
      ["R1", "won"],
      ["R2", "not-reached"],
      ["R3", "not-reached"],
      ["R4", "not-reached"],
    ]);
  });
});

describe("capacity (K08)", () => {
  const router = new Router(
    ruleSet(
      [agent("A", ["t"], 1), agent("B", ["t"], 5)],
      [rule("rA", 1, { taskType: "t" }, "A")],
    ),
  );
  const three = plan([task("t1", "t"), task("t2", "t"), task("t3", "t")]);

  test("one task on A and two on B", () => {
    const result = router.route(three);
    expect(
      result.assignments.map((entry) => [entry.task, entry.agent, entry.via]),
    ).toEqual([
      ["t1", "A", "rule"],
      ["t2", "B", "capability"],
      ["t3", "B", "capability"],
    ]);
    expect(result.load).toEqual({ A: 1, B: 2 });
  });

  test("fallback explanation names A at capacity", () => {
    const result = router.route(three);
    expect(assignmentOf(result, "t2")?.explanation).toBe(
      "Capability match: B supports t (successRate=unknown, load=0). " +
        "Rule rA matched but A is at capacity 1/1.",
    );
  });

  test("trace shows the agent at capacity", () => {
    const trace = router.trace(three, "t3");
    expect(trace.steps).toEqual([
      { rule: "rA", agent: "A", outcome: "agent-at-capacity", load: 1, maxConcurrent: 1 },
    ]);
    expect(trace.fallback).toEqual([
      { agent: "A", outcome: "at-capacity", load: 1 },
      { agent: "B", outcome: "won", load: 1 },
    ]);
    expect(trace.result).toEqual(assignmentOf(router.route(three), "t3"));
  });

  test("load map counts running tasks", () => {
    const result = router.route(three, { load: { A: 1, B: 4 } });
    expect(result.assignments.map((entry) => entry.agent)).toEqual(["B"]);
    expect(unassignedOf(result, "t3")?.reason).toBe("at-capacity");
    expect(result.load).toEqual({ A: 1, B: 5 });
  });
});

describe("unroutable task (K09)", () => {
  const router = new Router(ruleSet([agent("C", ["cpu"], 3)], []));
  const others = ["L1", "L2", "L3"].map((id) => task(id, "cpu"));

  for (let position = 0; position <= others.length; position++) {
    test(`H at position ${position} blocks nothing`, () => {
      const tasks = [...others];
      tasks.splice(position, 0, task("H", "gpu"));
      const result = router.route(plan(tasks));
      expect(result.assignments.map((entry) => [entry.task, entry.agent])).toEqual([
        ["L1", "C"],
        ["L2", "C"],
        ["L3", "C"],
      ]);
      expect(result.unassigned).toEqual([
        {
          task: "H",
          reason: "no-capable-agent",
          explanation: "No rule matched and no agent supports task type gpu.",
        },
      ]);
    });
  }
});

describe("characters beyond the BMP (K18)", () => {
  const router = new Router(
    ruleSet(
      [agent("A", ["job"]), agent("B", ["job"]), agent("Z", ["other"])],
      [
        rule("owner", 5, { field: "metadata.owner", op: "eq", value: "𣄃" }, "A"),
        rule("tag", 5, { field: "metadata.tag", op: "in", value: ["🚀", "x"] }, "B"),
        rule(
          "prefix",
          4,
          { field: "metadata.owner", op: "startsWith", value: "\uD84C" },
          "Z",
        ),
      ],
    ),
  );

  test("astral strings match", () => {
    const result = router.route(
      plan([
        task("a", "job", { metadata: { owner: "𣄃" } }),
        task("b", "job", { metadata: { tag: "🚀" } }),
      ]),
    );
    expect(result.assignments.map((entry) => [entry.agent, entry.via])).toEqual([
      ["A", "rule"],
      ["B", "rule"],
    ]);
  });

  test("lone surrogate matches nothing", () => {
    const result = router.route(
      plan([task("s", "job", { metadata: { owner: "\uD800", tag: "\uD800" } })]),
    );
    expect(result.assignments[0]).toMatchObject({ agent: "A", via: "capability" });
  });

  test("half of a surrogate pair is a prefix", () => {
    const result = router.route(plan([task("p", "job", { metadata: { owner: "𣄃x" } })]));
    expect(result.assignments[0]).toMatchObject({ agent: "Z", rule: "prefix" });
  });
});

describe("Unicode normalisation (K19)", () => {
  const router = new Router(
    ruleSet(
      [agent("A", ["job"]), agent("B", ["job"]), agent("R", ["job"])],
      [
        rule("team", 5, { metadata: { team: "caf\u00e9" } }, "A", "team is café"),
        rule(
          "city",
          5,
          { field: "metadata.city", op: "in", value: ["Zu\u0308rich"] },
          "B",
        ),
        rule("roman", 5, { field: "metadata.n", op: "eq", value: "VII" }, "R"),
      ],
    ),
  );

  test("decomposed task value matches composed rule", () => {
    const result = router.route(
      plan([task("t", "job", { metadata: { team: "cafe\u0301" } })]),
    );
    expect(result.assignments[0]).toMatchObject({
      agent: "A",
      explanation: "Rule team: team is café",
    });
  });

  test("decomposed rule value matches composed task", () => {
    const result = router.route(
      plan([task("t", "job", { metadata: { city: "Z\u00fcrich" } })]),
    );
    expect(result.assignments[0]).toMatchObject({ agent: "B", rule: "city" });
  });

  test("no compatibility folding", () => {
    const result = router.route(plan([task("t", "job", { metadata: { n: "\u2166" } })]));
    expect(result.assignments[0]?.via).toBe("capability");
  });

  test("compiled string values are NFC", () => {
    expect(router.tables.stringValues).toContain("Z\u00fcrich");
  });
});

describe("priority and wildcards", () => {
  const rules = ruleSet(
    [agent("A", ["job"]), agent("W", ["job"]), agent("L", ["job"])],
    [
      rule("typed", 5, { taskType: ["job", "other"] }, "A"),
      rule("wild", 9, { field: "metadata.urgent", op: "eq", value: true }, "W"),
      rule("late", 5, {}, "L"),
    ],
  );
  const router = new Router(rules);

  test("higher priority wildcard wins", () => {
    const result = router.route(plan([task("t", "job", { metadata: { urgent: true } })]));
    expect(result.assignments[0]?.rule).toBe("wild");
  });

  test("equal priority keeps declaration order", () => {
    const result = router.route(plan([task("t", "job")]));
    expect(result.assignments[0]?.rule).toBe("typed");
  });

  test("wildcards apply to unknown types", () => {
    const result = router.route(plan([task("t", "mystery")]));
    expect(result.assignments[0]).toMatchObject({ agent: "L", rule: "late" });
  });

  test("candidate rows follow priority", () => {
    const tables = router.tables;
    const job = tables.typeNames.indexOf("job");
    const row = tables.candidateRules.subarray(
      tables.candidateOffsets[job],
      tables.candidateOffsets[job + 1],
    );
    expect(Array.from(row, (r) => tables.ruleIds[r])).toEqual(["wild", "typed", "late"]);
    const unknown = tables.typeNames.length;
    const wildcards = tables.candidateRules.subarray(
      tables.candidateOffsets[unknown],
      tables.candidateOffsets[unknown + 1],
    );
    expect(Array.from(wildcards, (r) => tables.ruleIds[r])).toEqual(["wild", "late"]);
  });
});

describe("availability and fallback order", () => {
  const rules = ruleSet(
    [
      agent("low", ["job"], 10, 0.6),
      agent("unknownA", ["job"], 10),
      agent("unknownB", ["job"], 10),
      agent("high", ["job"], 2, 0.9),
    ],
    [rule("toLow", 1, { taskType: "job" }, "low")],
  );
  const router = new Router(rules);
  const jobs = plan(["1", "2", "3", "4", "5"].map((id) => task(id, "job")));

  test("unavailable rule agent falls back by success rate", () => {
    const result = router.route(jobs, {
      availableAgents: ["unknownA", "unknownB", "high"],
    });
    expect(result.assignments.map((entry) => entry.agent)).toEqual([
      "high",
      "high",
      "unknownA",
      "unknownB",
      "unknownA",
    ]);
    expect(result.assignments[0]?.explanation).toBe(
      "Capability match: high supports job (successRate=0.9, load=0). Rule toLow matched but low is unavailable.",
    );
  });

  test("no available agent gives unavailable", () => {
    const result = router.route(plan([task("1", "job")]), { availableAgents: [] });
    expect(result.unassigned[0]?.reason).toBe("unavailable");
  });

  test("full agents outrank unavailable ones", () => {
    const result = router.route(plan([task("1", "job")]), {
      availableAgents: ["high"],
      load: { high: 2 },
    });
    expect(result.unassigned[0]?.reason).toBe("at-capacity");
  });

  test("unknown agent in options is rejected", () => {
    expect(() => router.route(jobs, { availableAgents: ["ghost"] })).toThrow(RouterError);
    expect(() => router.route(jobs, { load: { ghost: 1 } })).toThrow(RouterError);
    expect(() => router.route(jobs, { load: { low: -1 } })).toThrow(RouterError);
  });
});

describe("route result", () => {
  const router = new Router(ruleSet([agent("A", ["job"])], [rule("r", 1, {}, "A", "")]));

  test("completed tasks are skipped", () => {
    const result = router.route(
      plan([task("done", "job", { status: "completed" }), task("open", "job")]),
    );
    expect(result.skipped).toEqual(["done"]);
    expect(result.assignments.map((entry) => entry.task)).toEqual(["open"]);
    expect(result.load).toEqual({ A: 1 });
  });

  test("order follows dependencies", () => {
    const result = router.route(
      plan([task("b", "job", { dependsOn: ["a"] }), task("a", "job")]),
    );
    expect(result.order).toEqual(["a", "b"]);
    expect(result.assignments.map((entry) => entry.task)).toEqual(["a", "b"]);
  });

  test("cycle throws CycleError naming it", () => {
    const cyclic = plan([
      task("a", "job", { dependsOn: ["b"] }),
      task("b", "job", { dependsOn: ["a"] }),
    ]);
    expect(() => router.route(cyclic)).toThrow(CycleError);
    expect(() => router.route(cyclic)).toThrow(/a -> b -> a/);
  });

  test("lazy view builds one outcome", () => {
    const view = router.routeView(plan([task("x", "job"), task("y", "job")]));
    expect(view.size).toBe(2);
    expect(view.outcome(1)).toEqual({
      task: "y",
      agent: "A",
      via: "rule",
      rule: "r",
      explanation: "Rule r: ",
    });
  });

  test("unknown task in trace throws", () => {
    expect(() => router.trace(plan([task("x", "job")]), "nope")).toThrow(RouterError);
  });
});

describe("compiler", () => {
  test("string keys follow the 2k+1 scheme", () => {
    const values = ["b", "d"];
    expect(["a", "b", "c", "d", "e"].map((s) => stringKey(values, s))).toEqual([
      0, 1, 2, 3, 4,
    ]);
  });

  test("prototype segments are rejected", () => {
    for (const field of [
      "metadata.__proto__.polluted",
      "metadata.constructor.prototype.p",
    ]) {
      const rules = ruleSet(
        [agent("A", ["t"])],
        [rule("r", 1, { field, op: "exists" }, "A")],
      );
      expect(() => compileRuleSet(rules)).toThrow(RuleSetError);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("deep nesting is an error, not a stack overflow", () => {
    let when: Condition = { field: "metadata.x", op: "exists" };
    for (let depth = 0; depth < 100_000; depth++) {
      when = { not: when };
    }
    const rules = ruleSet([agent("A", ["t"])], [rule("r", 1, when, "A")]);
    expect(() => compileRuleSet(rules)).toThrow(RuleSetError);
  });

  test("32 nested levels compile", () => {
    let when: Condition = { field: "metadata.x", op: "exists" };
    for (let depth = 1; depth < 32; depth++) {
      when = { all: [when] };
    }
    const tables = compileRuleSet(
      ruleSet([agent("A", ["t"])], [rule("r", 1, when, "A")]),
    );
    expect(tables.code.length).toBe(2 * 32);
    const deeper = ruleSet([agent("A", ["t"])], [rule("r", 1, { all: [when] }, "A")]);
    expect(() => compileRuleSet(deeper)).toThrow(RuleSetError);
  });

  test("condition parts are ANDed in postfix", () => {
    const when: Condition = {
      taskType: "t",
      metadata: { a: 1 },
      any: [{ field: "description", op: "contains", value: "x" }],
      not: { taskType: "u" },
    };
    const tables = compileRuleSet(
      ruleSet([agent("A", ["t"])], [rule("r", 1, when, "A")]),
    );
    expect(Array.from(tables.code)).toEqual([0, 0, 0, 1, 2, 1, 0, 2, 3, 0, 1, 3]);
    expect(tables.slotPaths).toEqual(["type", "description", "metadata.a"]);
    expect(tables.predicateCount).toBe(1);
    expect(tables.stackDepth).toBe(3);
  });

  test("nested taskType reads the type slot", () => {
    const rules = ruleSet(
      [agent("A", ["t", "u"]), agent("B", ["t", "u"])],
      [rule("r", 1, { not: { taskType: ["u"] } }, "B")],
    );
    const result = new Router(rules).route(plan([task("1", "t"), task("2", "u")]));
    expect(result.assignments.map((entry) => [entry.agent, entry.via])).toEqual([
      ["B", "rule"],
      ["A", "capability"],
    ]);
  });

  test("metadata paths read own properties only", () => {
    const tables = compileRuleSet(
      ruleSet(
        [agent("A", ["t"])],
        [rule("r", 1, { field: "metadata.a.b", op: "exists" }, "A")],
      ),
    );
    const inherited = Object.create({ b: 1 }) as Record<string, unknown>;
    const batch = packTasks(
      tables,
      [
        task("own", "t", { metadata: { a: { b: 1 } } }),
        task("inherited", "t", { metadata: { a: inherited as never } }),
        task("array", "t", { metadata: { a: [1] } }),
      ],
      Int32Array.from([0, 1, 2]),
    );
    // Slot 2 (`metadata.a.b`) is the third column of three tasks.
    expect(Array.from(batch.slotKind.subarray(2 * 3, 3 * 3))).toEqual([2, 0, 0]);
  });
});
