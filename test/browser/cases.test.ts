/**
 * Hard cases through the module worker in Chromium, on the WASM and the JS
 * matcher, where the Node tests cannot reach: rule sets read back from
 * IndexedDB, concurrent calls from a page, and Unicode in the browser realm.
 */

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Router } from "../../src/engine/router/router.js";
import { parseRuleSet } from "../../src/engine/schema/index.js";
import type { Plan, RouteResult, RuleSet, Task } from "../../src/engine/types.js";
import { exportRuleSet, importRuleSet } from "../../src/store/index.js";
import { createRouter, type RouterClient } from "../../src/worker/client.js";
import { openTestStore, tiedRuleSet } from "./store-harness.js";

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

function task(id: string, type: string, metadata: Task["metadata"] = {}): Task {
  return { id, type, description: "", dependsOn: [], status: "pending", metadata };
}

function plan(tasks: Task[]): Plan {
  return { format: "switchyard/plan", version: 1, tasks };
}

/** Copies a RouteResult through JSON, so lazy results compare like eager ones. */
function plain(result: RouteResult): RouteResult {
  return JSON.parse(JSON.stringify(result)) as RouteResult;
}

describe("K07 ties after IndexedDB", () => {
  test("A after save and load on both matchers", async () => {
    const store = await openTestStore();
    await store.save(tiedRuleSet("ties"));
    const loaded = await store.load("ties");
    expect(loaded.ruleSet.rules.map((r) => r.id)).toEqual(["R1", "R2", "R3", "R4"]);

    const review = plan([task("x", "review")]);
    const plans = Array.from({ length: 1000 }, () => review);
    for (const [name, client] of workers) {
      await client.loadRuleSet(loaded.ruleSet);
      const agents = (await client.routeBatch(plans)).map((r) => r.assignments[0]?.agent);
      expect(agents, name).toHaveLength(1000);
      expect(new Set(agents), name).toEqual(new Set(["A"]));
    }
  });

  test("A after export and import on both matchers", async () => {
    const file = await exportRuleSet(tiedRuleSet("ties"));
    const imported = await importRuleSet(new File([file.blob], file.fileName));
    const review = plan([task("x", "review")]);
    for (const [name, client] of workers) {
      await client.loadRuleSet(imported.ruleSet);
      for (let run = 0; run < 100; run++) {
        expect((await client.route(review)).assignments[0]?.agent, name).toBe("A");
      }
    }
  });
});

describe("K08 concurrent calls from the page", () => {
  const capacity = parseRuleSet({
    format: "switchyard/ruleset",
    version: 1,
    name: "capacity",
    agents: [
      { id: "A", taskTypes: ["t"], maxConcurrent: 1 },
      { id: "B", taskTypes: ["t"], maxConcurrent: 5 },
    ],
    rules: [{ id: "r", priority: 1, when: { taskType: "t" }, agent: "A" }],
  });

  test("three reserving routes with a shared load", async () => {
    for (const [name, client] of workers) {
      await client.loadRuleSet(capacity);
      const shared = { A: 0, B: 0 };
      const results = await Promise.all(
        ["t1", "t2", "t3"].map((id) =>
          client.route(plan([task(id, "t")]), { load: shared, reserve: true }),
        ),
      );
      const agents = results.map((r) => r.assignments[0]?.agent);
      expect(
        agents.filter((agent) => agent === "A"),
        name,
      ).toHaveLength(1);
      expect(
        agents.filter((agent) => agent === "B"),
        name,
      ).toHaveLength(2);
      const onB = results.filter((r) => r.assignments[0]?.agent === "B");
      for (const result of onB) {
        expect(result.assignments[0]?.explanation, name).toContain(
          "A is at capacity 1/1",
        );
      }
      expect((await client.stats()).ledger, name).toEqual([1, 2]);
      expect(shared, name).toEqual({ A: 0, B: 0 });
    }
  });
});

describe("K06 nulls and types in the browser", () => {
  const rules: RuleSet = parseRuleSet({
    format: "switchyard/ruleset",
    version: 1,
    name: "nulls",
    agents: ["A", "B", "C"].map((id) => ({ id, taskTypes: ["job"], maxConcurrent: 5 })),
    rules: [
      {
        id: "r1",
        priority: 10,
        when: { taskType: "job", field: "metadata.tags", op: "contains", value: "gpu" },
        agent: "A",
      },
      {
        id: "r2",
        priority: 5,
        when: { taskType: "job", field: "metadata.size", op: "between", value: [0, 1] },
        agent: "B",
      },
    ],
  });
  const jobs = plan([
    task("t1", "job", { tags: null, size: null }),
    task("t2", "job", { size: "0" }),
    task("t3", "job", { size: 0 }),
  ]);

  test("both matchers equal the in-process router", async () => {
    const expected = plain(new Router(rules).route(jobs));
    expect(expected.assignments.map((a) => [a.task, a.agent, a.via])).toEqual([
      ["t1", "A", "capability"],
      ["t2", "B", "capability"],
      ["t3", "B", "rule"],
    ]);
    for (const [name, client] of workers) {
      await client.loadRuleSet(rules);
      expect(plain(await client.route(jobs)), name).toEqual(expected);
      const trace = await client.trace(jobs, "t1");
      expect(trace.steps[0], name).toMatchObject({ actual: null, result: "unknown" });
    }
  });
});

describe("K18 and K19 Unicode in the browser", () => {
  const rules: RuleSet = parseRuleSet({
    format: "switchyard/ruleset",
    version: 1,
    name: "unicode",
    agents: ["A", "B", "R"].map((id) => ({ id, taskTypes: ["job"] })),
    rules: [
      { id: "owner", priority: 5, when: { metadata: { owner: "𣄃" } }, agent: "A" },
      {
        id: "tag",
        priority: 5,
        when: { field: "metadata.tag", op: "in", value: ["🚀", "x"] },
        agent: "B",
      },
      { id: "team", priority: 5, when: { metadata: { team: "caf\u00e9" } }, agent: "A" },
      {
        id: "city",
        priority: 5,
        when: { field: "metadata.city", op: "in", value: ["Zu\u0308rich"] },
        agent: "B",
      },
      { id: "roman", priority: 5, when: { metadata: { n: "VII" } }, agent: "R" },
    ],
  });
  const tasks = plan([
    task("owner", "job", { owner: "𣄃" }),
    task("tag", "job", { tag: "🚀" }),
    task("lone", "job", { owner: "\uD800", tag: "\uDE80" }),
    task("team", "job", { team: "cafe\u0301" }),
    task("city", "job", { city: "Z\u00fcrich" }),
    task("roman", "job", { n: "\u2166" }),
  ]);

  test("both matchers route every variant alike", async () => {
    const expected = plain(new Router(rules).route(tasks));
    expect(expected.assignments.map((a) => [a.task, a.via, a.rule])).toEqual([
      ["owner", "rule", "owner"],
      ["tag", "rule", "tag"],
      ["lone", "capability", undefined],
      ["team", "rule", "team"],
      ["city", "rule", "city"],
      ["roman", "capability", undefined],
    ]);
    for (const [name, client] of workers) {
      await client.loadRuleSet(rules);
      expect(plain(await client.route(tasks)), name).toEqual(expected);
    }
  });
});
