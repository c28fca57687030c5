/**
 * Load through one worker: 1,000 concurrent reserving routes share the live
 * ledger, never push an agent past maxConcurrent, all settle, and release
 * returns every slot. Needs `npm run build` first, because Node runs the
 * worker from `dist/worker/node-entry.js`.
 */

import { afterEach, describe, expect, test } from "vitest";
import { parseRuleSet } from "../../src/engine/schema/index.js";
import type { Plan, RouteResult, Task } from "../../src/engine/types.js";
import { createRouter, type RouterClient } from "../../src/worker/client.js";

const CALLS = 1_000;

const ruleSet = parseRuleSet({
  format: "switchyard/ruleset",
  version: 1,
  name: "load",
  agents: [
    { id: "gpu", taskTypes: ["train"], maxConcurrent: 7 },
    { id: "cpu", taskTypes: ["train", "etl"], maxConcurrent: 50 },
    { id: "spare", taskTypes: ["etl"], maxConcurrent: 3 },
  ],
  rules: [
    {
      id: "big-to-gpu",
      priority: 10,
      when: { taskType: "train", all: [{ field: "metadata.size", op: "gte", value: 5 }] },
      agent: "gpu",
    },
    { id: "etl-to-spare", priority: 5, when: { taskType: "etl" }, agent: "spare" },
  ],
});

const capacity: Record<string, number> = { gpu: 7, cpu: 50, spare: 3 };

function plan(call: number): Plan {
  const tasks: Task[] = [0, 1].map((k) => ({
    id: `c${call}_${k}`,
    type: (call + k) % 3 === 0 ? "etl" : "train",
    description: "",
    dependsOn: [],
    status: "pending",
    metadata: { size: (call * 7 + k) % 10 },
  }));
  return { format: "switchyard/plan", version: 1, tasks };
}

let router: RouterClient | undefined;

afterEach(() => {
  router?.terminate();
  router = undefined;
});

/** Tasks held per agent by a set of reserving route results. */
function held(results: readonly RouteResult[]): Record<string, number> {
  const counts: Record<string, number> = { gpu: 0, cpu: 0, spare: 0 };
  for (const result of results) {
    for (const assignment of result.assignments) counts[assignment.agent]! += 1;
  }
  return counts;
}

describe("worker under load", () => {
  test.each(["wasm", "js"] as const)(
    "1,000 concurrent reserving routes respect capacity (%s)",
    async (engine) => {
      router = await createRouter({ ruleSet, engine });
      const results = await Promise.all(
        Array.from({ length: CALLS }, (_, call) =>
          router!.route(plan(call), { reserve: true }),
        ),
      );
      expect(results).toHaveLength(CALLS);

      // Every slot fills exactly once and no agent goes past its capacity.
      const counts = held(results);
      expect(counts).toEqual(capacity);
      const stats = await router.stats();
      expect(stats.engine).toBe(engine);
      expect(stats.ledger).toEqual([capacity["gpu"], capacity["cpu"], capacity["spare"]]);

      const routed = results.flatMap((r) => [...r.assignments, ...r.unassigned]);
      expect(routed).toHaveLength(2 * CALLS);
      const reasons = new Set(results.flatMap((r) => r.unassigned.map((u) => u.reason)));
      expect([...reasons]).toEqual(["at-capacity"]);

      // Releasing every reserved task frees every slot, and only once.
      const reserved = results.flatMap((r) => r.assignments.map((a) => a.task));
      expect(await router.release(reserved)).toBe(reserved.length);
      expect(await router.release(reserved)).toBe(0);
      expect((await router.stats()).ledger).toEqual([0, 0, 0]);

      // The freed capacity is usable again by the next wave.
      const again = await Promise.all(
        Array.from({ length: 100 }, (_, call) =>
          router!.route(plan(call), { reserve: true }),
        ),
      );
      expect(held(again)).toEqual(capacity);
    },
  );

  test("routes without reserve leave the ledger empty", async () => {
    router = await createRouter({ ruleSet });
    const results = await Promise.all(
      Array.from({ length: CALLS }, (_, call) => router!.route(plan(call))),
    );
    expect(results.every((r) => r.unassigned.length === 0)).toBe(true);
    expect((await router.stats()).ledger).toEqual([0, 0, 0]);
  });
});
