/**
 * Routes generated rule sets and plans through the in-process JS router and
 * through worker_threads workers running the JS and the WASM matcher; every
 * result (or error) must be identical. Needs `npm run build` first.
 */

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Router } from "../../src/engine/router/router.js";
import { parseRuleSet } from "../../src/engine/schema/index.js";
import type { Plan, RouteOptions, RouteResult } from "../../src/engine/types.js";
import { createRouter, type RouterClient } from "../../src/worker/client.js";
import {
  Random,
  generateOptions,
  generatePlan,
  generateRuleSet,
} from "./differential-harness.js";

let wasmWorker: RouterClient;
let jsWorker: RouterClient;

beforeAll(async () => {
  [wasmWorker, jsWorker] = await Promise.all([
    createRouter({ engine: "wasm" }),
    createRouter({ engine: "js" }),
  ]);
});

afterAll(() => {
  wasmWorker.terminate();
  jsWorker.terminate();
});

/** Plain data of a result, read through its lazy accessors. */
function plain(result: RouteResult): RouteResult {
  return JSON.parse(JSON.stringify(result)) as RouteResult;
}

type Outcome = { ok: RouteResult } | { error: string };

function inProcess(router: Router, plan: Plan, options: RouteOptions): Outcome {
  try {
    return { ok: plain(router.route(plan, options)) };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

async function throughWorker(
  client: RouterClient,
  plans: Plan[],
  expected: Outcome[],
  options: RouteOptions,
): Promise<Outcome[]> {
  // Plans that fail in process are routed alone, so one error does not hide the others.
  const good = plans.filter((_, i) => "ok" in expected[i]!);
  const batch = (await client.routeBatch(good, options)).map(plain);
  const outcomes: Outcome[] = [];
  let next = 0;
  for (let i = 0; i < plans.length; i++) {
    if ("ok" in expected[i]!) {
      outcomes.push({ ok: batch[next++]! });
      continue;
    }
    try {
      outcomes.push({ ok: plain(await client.route(plans[i]!, options)) });
    } catch (error) {
      outcomes.push({ error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  return outcomes;
}

describe("worker differential", () => {
  test("JS and WASM workers equal the in-process router", async () => {
    const random = new Random(424242);
    let tasks = 0;
    const vias = new Set<string>();
    for (let round = 0; round < 250; round++) {
      const ruleSet = parseRuleSet(generateRuleSet(random));
      const router = new Router(ruleSet);
      const options = generateOptions(random, ruleSet);
      const plans = Array.from({ length: 8 }, () => generatePlan(random, random.int(30)));
      const expected = plans.map((plan) => inProcess(router, plan, options));

      await Promise.all([wasmWorker.loadRuleSet(ruleSet), jsWorker.loadRuleSet(ruleSet)]);
      const [fromWasm, fromJs] = await Promise.all([
        throughWorker(wasmWorker, plans, expected, options),
        throughWorker(jsWorker, plans, expected, options),
      ]);
      expect(fromWasm, `round ${round} (wasm worker)`).toEqual(expected);
      expect(fromJs, `round ${round} (js worker)`).toEqual(expected);

      for (const outcome of expected) {
        if (!("ok" in outcome)) continue;
        tasks += outcome.ok.order.length;
        for (const a of outcome.ok.assignments) vias.add(a.via);
        for (const u of outcome.ok.unassigned) vias.add(u.reason);
        if (outcome.ok.skipped.length > 0) vias.add("skipped");
      }
    }
    expect(tasks).toBeGreaterThan(20_000);
    expect([...vias].sort()).toEqual(
      [
        "at-capacity",
        "capability",
        "no-capable-agent",
        "rule",
        "skipped",
        "unavailable",
      ].sort(),
    );
  });

  test("rule edits give the same results on every path", async () => {
    const random = new Random(99);
    for (let round = 0; round < 40; round++) {
      const ruleSet = parseRuleSet(generateRuleSet(random));
      const router = new Router(ruleSet);
      await Promise.all([wasmWorker.loadRuleSet(ruleSet), jsWorker.loadRuleSet(ruleSet)]);
      const donor = parseRuleSet(generateRuleSet(random));
      const added = { ...donor.rules[0], id: "added", agent: ruleSet.agents[0]!.id };
      if (donor.rules.length > 0) {
        router.addRule(added as never);
        await wasmWorker.addRule(added as never);
        await jsWorker.addRule(added as never);
      }
      if (ruleSet.rules.length > 1) {
        router.removeRule(ruleSet.rules[0]!.id);
        await wasmWorker.removeRule(ruleSet.rules[0]!.id);
        await jsWorker.removeRule(ruleSet.rules[0]!.id);
        const replaced = { ...ruleSet.rules[1]!, priority: 100 };
        router.replaceRule(replaced);
        await wasmWorker.replaceRule(replaced);
        await jsWorker.replaceRule(replaced);
      }
      const plan = generatePlan(random, 25);
      const expected = inProcess(router, plan, {});
      if (!("ok" in expected)) continue;
      expect(plain(await wasmWorker.route(plan)), `round ${round}`).toEqual(expected.ok);
      expect(plain(await jsWorker.route(plan)), `round ${round}`).toEqual(expected.ok);
    }
  });
});
