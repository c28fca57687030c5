/**
 * Worker death that the browser does not report, in real Chromium: a page
 * that terminates the worker handed to `onWorkerStart`, and a worker stopped
 * without that handle, found by the ping after a timed-out call.
 */

import { afterEach, describe, expect, test } from "vitest";
import { RouterError } from "../../src/engine/errors.js";
import type { RuleSet } from "../../src/engine/types.js";
import type { RawWorker, RouterClient } from "../../src/worker/client.js";
import { capacityRuleSet, plan, task, trackRouters } from "../worker-fixtures.js";

const { startRouter, terminateRouters } = trackRouters();

afterEach(() => {
  terminateRouters();
});

const rules: RuleSet = capacityRuleSet("lifecycle");

const laneB = plan([task("x", "t", { metadata: { lane: "b" } }), task("y", "t")]);

/** Starts a router with one rule edit, recording every worker it starts. */
async function editedRouter(): Promise<{ router: RouterClient; workers: RawWorker[] }> {
  const workers: RawWorker[] = [];
  const router = await startRouter({
    ruleSet: rules,
    onWorkerStart: (worker) => workers.push(worker),
  });
  await router.addRule({
    id: "lane-b",
    priority: 5,
    when: { taskType: "t", metadata: { lane: "b" } },
    agent: "B",
    explanation: "lane b",
  });
  return { router, workers };
}

/** Checks that a new worker routes with the rule set and its edit. */
async function expectRestartedWithEdit(
  router: RouterClient,
  workers: RawWorker[],
): Promise<void> {
  const result = await router.route(laneB, { timeoutMs: 10_000 });
  expect(result.assignments.map((a) => [a.task, a.agent, a.rule])).toEqual([
    ["x", "B", "lane-b"],
    ["y", "A", "r"],
  ]);
  expect(workers).toHaveLength(2);
  expect((await router.stats()).workersStarted).toBe(2);
}

describe("worker stopped by the page", () => {
  test("terminate on the handed worker rejects the call", async () => {
    const { router, workers } = await editedRouter();
    const big = plan(Array.from({ length: 50_000 }, (_, i) => task(`k${i}`, "t")));
    const inFlight = router.route(big, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    (workers[0] as Worker).terminate();
    const error = await inFlight;
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).code).toBe("E_WORKER_DIED");
    await expectRestartedWithEdit(router, workers);
  });

  test("terminate between calls restarts on the next", async () => {
    const { router, workers } = await editedRouter();
    (workers[0] as Worker).terminate();
    await expectRestartedWithEdit(router, workers);
  });

  test("silent stop is found by the ping", async () => {
    const { router, workers } = await editedRouter();
    // Stop the worker without the handle's notice, as a browser might.
    Worker.prototype.terminate.call(workers[0] as Worker);
    const error = await router.route(laneB, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).code).toBe("E_TIMEOUT");
    await expectRestartedWithEdit(router, workers);
  });

  test("calls waiting on the ping reject at terminate", async () => {
    const { router, workers } = await editedRouter();
    Worker.prototype.terminate.call(workers[0] as Worker);
    await router.route(laneB, { timeoutMs: 300 }).catch(() => undefined);
    const waiting = router.stats({ timeoutMs: 10_000 }).catch((e: unknown) => e);
    router.terminate();
    expect(((await waiting) as RouterError).code).toBe("E_TERMINATED");
  });
});
