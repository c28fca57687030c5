/**
 * Astral characters, lone surrogates, NFC and priority ties, routed in
 * process and through JS and WASM workers. Needs `npm run build` first.
 */

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Router } from "../../src/engine/router/router.js";
import { parseRuleSet } from "../../src/engine/schema/index.js";
import type { Plan, RouteResult, RuleSet, Task } from "../../src/engine/types.js";
import { createRouter, type RouterClient } from "../../src/worker/client.js";

let clients: [string, RouterClient][];

beforeAll(async () => {
  clients = [
    ["wasm", await createRouter({ engine: "wasm" })],
    ["js", await createRouter({ engine: "js" })],
  ];
});

afterAll(() => {
  for (const [, client] of clients) client.terminate();
});

function task(id: string, type: string, metadata: Task["metadata"] = {}): Task {
  return { id, type, description: "", dependsOn: [], status: "pending", metadata };
}

function plan(tasks: Task[]): Plan {
  return { format: "switchyard/plan", version: 1, tasks };
}

/** Routes in process and on both workers; all three must agree. */
async function routeEverywhere(ruleSet: RuleSet, p: Plan): Promise<RouteResult> {
  const expected = new Router(ruleSet).route(p);
  for (const [name, client] of clients) {
    await client.loadRuleSet(ruleSet);
    const result = JSON.parse(JSON.stringify(await client.route(p))) as RouteResult;
    expect(result, name).toEqual(expected);
  }
  return expected;
}

const agentsAB = [
  { id: "A", taskTypes: ["job"] },
  { id: "B", taskTypes: ["job"] },
  { id: "C", taskTypes: ["job"] },
];

describe("unicode through the worker", () => {
  test("astral values match and a lone surrogate matches nothing", async () => {
    const ruleSet = parseRuleSet({
      format: "switchyard/ruleset",
      version: 1,
      name: "astral",
      agents: agentsAB,
      rules: [
        { id: "owner", priority: 5, when: { metadata: { owner: "𣄃" } }, agent: "A" },
        {
          id: "tag",
          priority: 5,
          when: { field: "metadata.tag", op: "in", value: ["🚀", "x"] },
          agent: "B",
        },
        { id: "fallback", priority: 0, when: { taskType: "job" }, agent: "C" },
      ],
    });
    const result = await routeEverywhere(
      ruleSet,
      plan([
        task("a", "job", { owner: "𣄃" }),
        task("b", "job", { tag: "🚀" }),
        task("c", "job", { owner: "\uD800", tag: "\uD83D" }),
      ]),
    );
    expect(result.assignments.map((x) => [x.task, x.agent])).toEqual([
      ["a", "A"],
      ["b", "B"],
      ["c", "C"],
    ]);
  });

  test("composed and decomposed forms match, compatibility forms do not", async () => {
    const ruleSet = parseRuleSet({
      format: "switchyard/ruleset",
      version: 1,
      name: "nfc",
      agents: agentsAB,
      rules: [
        { id: "team", priority: 5, when: { metadata: { team: "café" } }, agent: "A" },
        {
          id: "city",
          priority: 5,
          when: { field: "metadata.city", op: "in", value: ["Zu\u0308rich"] },
          agent: "B",
        },
        { id: "roman", priority: 5, when: { metadata: { n: "VII" } }, agent: "A" },
        { id: "rest", priority: 0, when: {}, agent: "C" },
      ],
    });
    const result = await routeEverywhere(
      ruleSet,
      plan([
        task("t", "job", { team: "cafe\u0301" }),
        task("z", "job", { city: "Zürich" }),
        task("r", "job", { n: "Ⅶ" }),
      ]),
    );
    expect(result.assignments.map((x) => [x.task, x.agent])).toEqual([
      ["t", "A"],
      ["z", "B"],
      ["r", "C"],
    ]);
  });

  test("equal priorities keep declaration order on 1000 runs", async () => {
    const ruleSet = parseRuleSet({
      format: "switchyard/ruleset",
      version: 1,
      name: "ties",
      agents: [
        { id: "A", taskTypes: ["review"] },
        { id: "B", taskTypes: ["review"] },
        { id: "C", taskTypes: ["review"] },
        { id: "D", taskTypes: ["review"] },
      ],
      rules: [
        { id: "R1", priority: 5, when: { taskType: "review" }, agent: "A" },
        { id: "R2", priority: 5, when: { taskType: "review" }, agent: "B" },
        { id: "R3", priority: 5, when: { taskType: "review" }, agent: "C" },
        { id: "R4", priority: 1, when: { taskType: "review" }, agent: "D" },
      ],
    });
    const plans = Array.from({ length: 1000 }, () => plan([task("x", "review")]));
    for (const [name, client] of clients) {
      await client.loadRuleSet(ruleSet);
      const results = await client.routeBatch(plans);
      const agents = new Set(results.map((r) => r.assignments[0]!.agent));
      expect([...agents], name).toEqual(["A"]);
    }
  });
});
