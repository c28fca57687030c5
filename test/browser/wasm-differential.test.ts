/**
 * In Chromium, the WASM matcher on the page and in the module worker must
 * give the same results as the JS matcher and the in-process router on
 * generated rule sets and plans.
 */

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { layeredOrder } from "../../src/engine/dag/order.js";
import { compileRuleSet } from "../../src/engine/router/compile.js";
import { assignBatch, createAssignOutput } from "../../src/engine/router/match.js";
import { packTasks } from "../../src/engine/router/pack.js";
import { Router } from "../../src/engine/router/router.js";
import { parseRuleSet } from "../../src/engine/schema/index.js";
import type { Plan, RouteResult } from "../../src/engine/types.js";
import { createRouter, type RouterClient } from "../../src/worker/client.js";
import { WasmMatcher } from "../../src/worker/wasm-matcher.js";
import {
  Random,
  generateOptions,
  generatePlan,
  generateRuleSet,
} from "../node/differential-harness.js";

let worker: RouterClient;
let wasm: WasmMatcher;

beforeAll(async () => {
  worker = await createRouter();
  wasm = await WasmMatcher.create();
});

afterAll(() => worker.terminate());

/** Plan order by index, or plan order when the plan has a cycle. */
function orderOf(plan: Plan): Int32Array {
  const index = new Map(plan.tasks.map((t, i) => [t.id, i]));
  const parent = new Int32Array(plan.tasks.length).fill(-1);
  const offsets = new Int32Array(plan.tasks.length + 1);
  const targets: number[] = [];
  plan.tasks.forEach((task, i) => {
    if (task.parent !== undefined) parent[i] = index.get(task.parent)!;
    for (const dep of task.dependsOn) targets.push(index.get(dep)!);
    offsets[i + 1] = targets.length;
  });
  const sorted = layeredOrder(
    plan.tasks.length,
    parent,
    offsets,
    Int32Array.from(targets),
  );
  return "order" in sorted ? sorted.order : Int32Array.from(plan.tasks.keys());
}

describe("browser WASM differential", () => {
  test("WASM on the page equals assignBatch", () => {
    const random = new Random(31337);
    for (let round = 0; round < 1000; round++) {
      const tables = compileRuleSet(parseRuleSet(generateRuleSet(random)));
      const plan = generatePlan(random, random.int(40));
      const batch = packTasks(tables, plan.tasks, orderOf(plan));
      const available = new Uint8Array(tables.agentIds.length).fill(1);
      if (tables.agentIds.length > 1 && random.chance(0.3)) available[0] = 0;
      const load = Int32Array.from(tables.agentIds, () => random.int(2));
      const jsInput = { load: load.slice(), available };
      const jsOutput = createAssignOutput(batch.taskCount);
      assignBatch(tables, batch, jsInput, jsOutput);
      const wasmInput = { load: load.slice(), available };
      const wasmOutput = createAssignOutput(batch.taskCount);
      wasm.assignBatch(tables, batch, wasmInput, wasmOutput);
      expect(wasmOutput, `round ${round}`).toEqual(jsOutput);
      expect(wasmInput.load, `round ${round}`).toEqual(jsInput.load);
    }
  });

  test("the WASM worker equals the in-process router", async () => {
    const random = new Random(2718);
    for (let round = 0; round < 120; round++) {
      const ruleSet = parseRuleSet(generateRuleSet(random));
      const router = new Router(ruleSet);
      const options = generateOptions(random, ruleSet);
      const plans = Array.from({ length: 6 }, () => generatePlan(random, random.int(30)));
      const routable = plans.filter((plan) => {
        try {
          router.route(plan, options);
          return true;
        } catch {
          return false;
        }
      });
      await worker.loadRuleSet(ruleSet);
      const fromWorker = await worker.routeBatch(routable, options);
      const expected = routable.map((plan) => router.route(plan, options));
      const plain = (r: RouteResult) => JSON.parse(JSON.stringify(r)) as RouteResult;
      expect(fromWorker.map(plain), `round ${round}`).toEqual(expected.map(plain));
    }
    expect((await worker.stats()).engine).toBe("wasm");
  });
});
