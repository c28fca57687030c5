/**
 * Hard cases K06-K19 on every routing path under Node: the in-process
 * `Router` (JS matcher) and the worker_threads router with the WASM and the
 * JS matcher. Cases already covered on one path elsewhere (router.test.ts,
 * worker-unicode.test.ts, worker.test.ts, validator.test.ts) are repeated
 * here only for the paths and expected values those files leave out.
 * Needs `npm run build` first, because the workers run from `dist/`.
 */

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Router } from "../../src/engine/router/index.js";
import { parsePlan, parseRuleSet } from "../../src/engine/schema/index.js";
import type {
  Condition,
  Metadata,
  MetadataValue,
  Operator,
  Plan,
  RouteResult,
  RuleScalar,
  RuleSet,
  Task,
} from "../../src/engine/types.js";
import { exportRuleSet, importRuleSet } from "../../src/store/files.js";
import { createRouter, type RouterClient } from "../../src/worker/client.js";
import { agent, plan, rule, ruleSet, task, truthValue } from "./router-fixtures.js";

let workers: [string, RouterClient][];

beforeAll(async () => {
  workers = [
    ["wasm worker", await createRouter({ engine: "wasm" })],
    ["js worker", await createRouter({ engine: "js" })],
  ];
  const engines = await Promise.all(workers.map(([, client]) => client.stats()));
  expect(engines.map((stats) => stats.engine)).toEqual(["wasm", "js"]);
});

afterAll(() => {
  for (const [, client] of workers) client.terminate();
});

/** Copies a RouteResult through JSON, so lazy results compare like eager ones. */
function plain(result: RouteResult): RouteResult {
  return JSON.parse(JSON.stringify(result)) as RouteResult;
}

/**
 * Routes `p` in process and on both workers and checks that all three
 * results are equal. Returns the in-process result.
 */
async function routeOnEveryPath(rules: RuleSet, p: Plan): Promise<RouteResult> {
  const expected = plain(new Router(rules).route(p));
  for (const [name, client] of workers) {
    await client.loadRuleSet(rules);
    expect(plain(await client.route(p)), name).toEqual(expected);
  }
  return expected;
}

describe("K06 nulls and types", () => {
  const rules = ruleSet(
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
  );
  const jobs = plan([
    task("t1", "job", { metadata: { tags: null, size: null } }),
    task("t2", "job", { metadata: { size: "0" } }),
    task("t3", "job", { metadata: { size: 0 } }),
  ]);

  test("null, string and zero sizes on every path", async () => {
    const result = await routeOnEveryPath(rules, jobs);
    expect(result.assignments.map((a) => [a.task, a.agent, a.via, a.rule])).toEqual([
      ["t1", "A", "capability", undefined],
      ["t2", "B", "capability", undefined],
      ["t3", "B", "rule", "r2"],
    ]);
  });

  test("worker trace reports tags as null", async () => {
    for (const [name, client] of workers) {
      await client.loadRuleSet(rules);
      const trace = await client.trace(jobs, "t1");
      expect(trace.steps[0], name).toMatchObject({
        rule: "r1",
        outcome: "condition-failed",
        field: "metadata.tags",
        actual: null,
        result: "unknown",
      });
      expect(trace.fallback.at(-1), name).toMatchObject({ outcome: "won" });
    }
  });
});

describe("K07 ties and direction", () => {
  const tied = parseRuleSet({
    format: "switchyard/ruleset",
    version: 1,
    name: "ties",
    agents: ["A", "B", "C", "D"].map((id) => ({ id, taskTypes: ["review"] })),
    rules: [
      { id: "R1", priority: 5, when: { taskType: "review" }, agent: "A" },
      { id: "R2", priority: 5, when: { taskType: "review" }, agent: "B" },
      { id: "R3", priority: 5, when: { taskType: "review" }, agent: "C" },
      { id: "R4", priority: 1, when: { taskType: "review" }, agent: "D" },
    ],
  });
  const review = plan([task("x", "review")]);

  test("A after file export and import on every path", async () => {
    const file = await exportRuleSet(tied);
    const imported = await importRuleSet(file.text);
    expect(imported.ruleSet.rules.map((r) => r.id)).toEqual(["R1", "R2", "R3", "R4"]);

    const router = new Router(imported.ruleSet);
    for (let run = 0; run < 1000; run++) {
      expect(router.route(review).assignments[0]?.agent).toBe("A");
    }
    const plans = Array.from({ length: 1000 }, () => review);
    for (const [name, client] of workers) {
      await client.loadRuleSet(imported.ruleSet);
      const agents = (await client.routeBatch(plans)).map((r) => r.assignments[0]?.agent);
      expect(new Set(agents), name).toEqual(new Set(["A"]));
      expect(agents, name).toHaveLength(1000);
    }
  });

  test("worker trace lists R2 and R3 behind R1", async () => {
    for (const [name, client] of workers) {
      await client.loadRuleSet(tied);
      const trace = await client.trace(review, "x");
      expect(
        trace.steps.map((step) => step.rule),
        name,
      ).toEqual(["R1", "R2", "R3", "R4"]);
      expect(trace.steps[0]?.outcome, name).toBe("won");
      expect(trace.result, name).toMatchObject({ agent: "A", rule: "R1" });
    }
  });
});

describe("K09 unroutable task", () => {
  const rules = ruleSet([agent("C", ["cpu"], 3)], []);
  const others = ["L1", "L2", "L3"].map((id) => task(id, "cpu"));

  for (let position = 0; position <= others.length; position++) {
    test(`H at position ${position} on every path`, async () => {
      const tasks = [...others];
      tasks.splice(position, 0, task("H", "gpu"));
      const result = await routeOnEveryPath(rules, plan(tasks));
      expect(result.assignments.map((a) => [a.task, a.agent])).toEqual([
        ["L1", "C"],
        ["L2", "C"],
        ["L3", "C"],
      ]);
      expect(result.unassigned.map((u) => [u.task, u.reason])).toEqual([
        ["H", "no-capable-agent"],
      ]);
    });
  }
});

describe("K18 characters beyond the BMP", () => {
  const rules = parseRuleSet({
    format: "switchyard/ruleset",
    version: 1,
    name: "astral",
    agents: [
      { id: "A", taskTypes: ["job"] },
      { id: "B", taskTypes: ["job"] },
    ],
    rules: [
      {
        id: "owner",
        priority: 5,
        when: { field: "metadata.owner", op: "eq", value: "𣄃" },
        agent: "A",
        explanation: "owner is 𣄃",
      },
      {
        id: "tag",
        priority: 5,
        when: { field: "metadata.tag", op: "in", value: ["🚀", "x"] },
        agent: "B",
        explanation: "tag is 🚀 or x",
      },
    ],
  });

  test("astral rules win and explain on every path", async () => {
    const result = await routeOnEveryPath(
      rules,
      plan([
        task("a", "job", { metadata: { owner: "𣄃" } }),
        task("b", "job", { metadata: { tag: "🚀" } }),
        task("s", "job", { metadata: { owner: "\uD800", tag: "\uD800" } }),
      ]),
    );
    expect(result.assignments.map((a) => [a.task, a.agent, a.via])).toEqual([
      ["a", "A", "rule"],
      ["b", "B", "rule"],
      ["s", "A", "capability"],
    ]);
    expect(result.assignments[0]?.explanation).toBe("Rule owner: owner is 𣄃");
    expect(result.assignments[1]?.explanation).toBe("Rule tag: tag is 🚀 or x");
  });

  test("lone surrogate trace on the workers", async () => {
    const p = plan([task("s", "job", { metadata: { owner: "\uD800" } })]);
    for (const [name, client] of workers) {
      await client.loadRuleSet(rules);
      const trace = await client.trace(p, "s");
      expect(trace.steps[0], name).toMatchObject({
        rule: "owner",
        outcome: "condition-failed",
        expected: "𣄃",
        actual: "\uD800",
        result: "false",
      });
    }
  });
});

describe("K19 Unicode normalization", () => {
  const rules = parseRuleSet({
    format: "switchyard/ruleset",
    version: 1,
    name: "nfc",
    agents: [
      { id: "A", taskTypes: ["job"] },
      { id: "B", taskTypes: ["job"] },
      { id: "R", taskTypes: ["job"] },
    ],
    rules: [
      {
        id: "team",
        priority: 5,
        when: { field: "metadata.team", op: "eq", value: "caf\u00e9" },
        agent: "A",
        explanation: "team is caf\u00e9",
      },
      {
        id: "city",
        priority: 5,
        when: { field: "metadata.city", op: "in", value: ["Zu\u0308rich"] },
        agent: "B",
        explanation: "city is Z\u00fcrich",
      },
      { id: "roman", priority: 5, when: { metadata: { n: "VII" } }, agent: "R" },
    ],
  });

  test("both variants match on every path", async () => {
    const result = await routeOnEveryPath(
      rules,
      plan([
        task("t", "job", { metadata: { team: "cafe\u0301" } }),
        task("z", "job", { metadata: { city: "Z\u00fcrich" } }),
      ]),
    );
    expect(result.assignments.map((a) => [a.task, a.agent, a.rule])).toEqual([
      ["t", "A", "team"],
      ["z", "B", "city"],
    ]);
  });

  test("trace shows composed rule values", async () => {
    const p = plan([task("o", "job", { metadata: { team: "other", city: "Bern" } })]);
    const inProcess = new Router(rules).trace(p, "o");
    for (const [name, client] of workers) {
      await client.loadRuleSet(rules);
      const trace = await client.trace(p, "o");
      expect(trace, name).toEqual(inProcess);
    }
    expect(inProcess.steps[0]).toMatchObject({ rule: "team", expected: "caf\u00e9" });
    expect(inProcess.steps[1]).toMatchObject({ rule: "city", expected: ["Z\u00fcrich"] });
  });

  test("no compatibility folding on every path", async () => {
    const result = await routeOnEveryPath(
      rules,
      plan([
        task("r", "job", { metadata: { n: "\u2166" } }),
        task("f", "job", { metadata: { team: "caf\u00e9".normalize("NFKD") } }),
        task("l", "job", { metadata: { n: "\uff36II" } }),
      ]),
    );
    expect(result.assignments.map((a) => [a.task, a.via, a.rule])).toEqual([
      ["r", "capability", undefined],
      ["f", "rule", "team"],
      ["l", "capability", undefined],
    ]);
  });
});

/**
 * The whole kind of fault behind K06: for every operator and every place a
 * field can come from, absent, null and mistyped values give the same
 * three-valued result on the in-process JS matcher and on both workers.
 * Each leaf gets a rule `pos` (the leaf, to P) and a rule `neg` (its
 * negation, to N). TRUE routes to P, FALSE to N and UNKNOWN to neither,
 * because P and N support no task type. Their capacity exceeds any plan here.
 */
describe("K06 operator and field table", () => {
  type Leaf = [Operator, RuleScalar | RuleScalar[] | undefined];

  /** Every operator with values of each type it accepts. */
  const LEAVES: Leaf[] = [
    ["eq", "abc"],
    ["eq", 5],
    ["eq", true],
    ["ne", "abc"],
    ["ne", 5],
    ["in", ["abc", 5]],
    ["notIn", ["abc", 5]],
    ["lt", 10],
    ["lt", "b"],
    ["lte", 5],
    ["lte", "abc"],
    ["gt", 4],
    ["gt", "abb"],
    ["gte", 5],
    ["gte", "abc"],
    ["between", [1, 5]],
    ["between", ["a", "b"]],
    ["exists", undefined],
    ["missing", undefined],
    ["contains", "b"],
    ["contains", "abc"],
    ["contains", 5],
    ["contains", true],
    ["startsWith", "ab"],
    ["startsWith", "b"],
  ];

  /** Task values by kind; `undefined` leaves the field out. */
  const KINDS: [string, MetadataValue | undefined][] = [
    ["missing", undefined],
    ["null", null],
    ["string", "abc"],
    ["numeric string", "5"],
    ["empty string", ""],
    ["number", 5],
    ["bool", true],
    ["array", ["abc", 5]],
    ["array with null", [null, "abc"]],
    ["array of mistyped", ["5", "true"]],
    ["array of null", [null]],
    ["empty array", []],
    ["object", { a: 1 }],
  ];

  /** How a field source places a value in a task. */
  interface Source {
    field: string;
    place(value: MetadataValue | undefined): Pick<Task, "type" | "description"> & {
      metadata: Metadata;
    };
    /**
     * Kinds of value this source can place. `type` and `description` are
     * always strings.
     */
    kinds: string[];
  }

  const stringKinds = ["string", "numeric string", "empty string"];
  const SOURCES: Source[] = [
    {
      field: "type",
      place: (value) => ({
        type: value === "" ? "job" : String(value),
        description: "",
        metadata: {},
      }),
      kinds: ["string", "numeric string"],
    },
    {
      field: "description",
      place: (value) => ({ type: "job", description: String(value), metadata: {} }),
      kinds: stringKinds,
    },
    {
      field: "metadata.x",
      place: (value) => ({
        type: "job",
        description: "",
        metadata: value === undefined ? {} : { x: value },
      }),
      kinds: KINDS.map(([kind]) => kind),
    },
    {
      field: "metadata.a.b",
      place: (value) => ({
        type: "job",
        description: "",
        metadata: value === undefined ? { a: {} } : { a: { b: value } },
      }),
      kinds: KINDS.map(([kind]) => kind),
    },
  ];

  /** Parents that are not objects: the nested path must read as absent. */
  const BAD_PARENTS: [string, Metadata][] = [
    ["no parent", {}],
    ["null parent", { a: null }],
    ["string parent", { a: "b" }],
    ["array parent", { a: ["b"] }],
    ["number parent", { a: 5 }],
  ];

  function leafRules(field: string, [op, value]: Leaf): RuleSet {
    const leaf: Condition = { field, op };
    if (value !== undefined) leaf.value = value;
    return parseRuleSet({
      format: "switchyard/ruleset",
      version: 1,
      name: "leaf",
      agents: [
        { id: "P", taskTypes: [], maxConcurrent: 1000 },
        { id: "N", taskTypes: [], maxConcurrent: 1000 },
      ],
      rules: [
        { id: "pos", priority: 2, when: leaf, agent: "P" },
        { id: "neg", priority: 1, when: { not: leaf }, agent: "N" },
      ],
    });
  }

  /** T, F or U per task, in plan order. */
  function outcomes(result: RouteResult, p: Plan): string {
    const byTask = new Map(result.assignments.map((a) => [a.task, a.agent]));
    return p.tasks.map((t) => truthValue(byTask.get(t.id))).join("");
  }

  function sourcePlan(source: Source): Plan {
    const tasks = KINDS.filter(([kind]) => source.kinds.includes(kind)).map(
      ([kind, value]) => task(kind.replace(/ /g, "-"), "job", source.place(value)),
    );
    if (source.field === "metadata.a.b") {
      for (const [name, metadata] of BAD_PARENTS) {
        tasks.push(task(name.replace(/ /g, "-"), "job", { metadata }));
      }
    }
    return plan(tasks);
  }

  /** Expected results that follow from the matching rules alone, per kind. */
  function expectedFor([op, value]: Leaf, actual: MetadataValue | undefined): string {
    if (op === "exists") return actual === undefined || actual === null ? "F" : "T";
    if (op === "missing") return actual === undefined || actual === null ? "T" : "F";
    if (actual === undefined || actual === null) return "U";
    if (op === "eq" || op === "ne") {
      const same = typeof actual === typeof value && actual === value;
      if (typeof actual === "object") return op === "eq" ? "F" : "T";
      return (op === "eq") === same ? "T" : "F";
    }
    return "?";
  }

  for (const source of SOURCES) {
    test(`${source.field} agrees on every path`, async () => {
      const p = sourcePlan(source);
      for (const leaf of LEAVES) {
        const rules = leafRules(source.field, leaf);
        const label = `${source.field} ${leaf[0]} ${JSON.stringify(leaf[1])}`;
        const inProcess = plain(new Router(rules).route(p));
        const results = outcomes(inProcess, p);

        p.tasks.forEach((t, i) => {
          const kind = KINDS.find(([name]) => name.replace(/ /g, "-") === t.id);
          const actual =
            kind === undefined
              ? undefined
              : source.field.startsWith("metadata")
                ? kind[1]
                : String(kind[1]);
          const expected = expectedFor(leaf, actual);
          if (expected !== "?") {
            expect(results[i], `${label} on ${t.id}`).toBe(expected);
          }
        });

        for (const [name, client] of workers) {
          await client.loadRuleSet(rules);
          const routed = plain(await client.route(p));
          expect(outcomes(routed, p), `${label} on the ${name}`).toBe(results);
          expect(routed, `${label} on the ${name}`).toEqual(inProcess);
        }
      }
    });
  }

  test("array elements are compared without coercion", async () => {
    const cases: [Leaf, MetadataValue, string][] = [
      [["contains", 5], ["5", null], "F"],
      [["contains", "5"], [5, null], "F"],
      [["contains", true], ["true"], "F"],
      [["contains", "abc"], [null, "abc"], "T"],
      [["contains", "abc"], ["cafe", "ab"], "F"],
      [["eq", "abc"], ["abc"], "F"],
      [["in", ["abc", 5]], ["abc"], "F"],
    ];
    for (const [leaf, value, want] of cases) {
      const rules = leafRules("metadata.x", leaf);
      const p = plan([task("t", "job", { metadata: { x: value } })]);
      const label = `${leaf[0]} ${JSON.stringify(leaf[1])} on ${JSON.stringify(value)}`;
      expect(outcomes(new Router(rules).route(p), p), label).toBe(want);
      for (const [name, client] of workers) {
        await client.loadRuleSet(rules);
        expect(outcomes(await client.route(p), p), `${label} on the ${name}`).toBe(want);
      }
    }
  });
});

describe("K19 explanations", () => {
  test("rule explanations are shown composed", () => {
    const ruleSet = parseRuleSet({
      format: "switchyard/ruleset",
      version: 1,
      name: "k19-explanation",
      agents: [{ id: "A", taskTypes: ["job"] }],
      rules: [
        {
          id: "team",
          priority: 1,
          when: { taskType: "job" },
          agent: "A",
          explanation: "team is cafe\u0301",
        },
      ],
    });
    const route = new Router(ruleSet).route(
      parsePlan({
        format: "switchyard/plan",
        version: 1,
        tasks: [{ id: "t", type: "job", description: "" }],
      }),
    );
    expect(route.assignments[0]?.explanation).toBe("Rule team: team is caf\u00e9");
  });
});
