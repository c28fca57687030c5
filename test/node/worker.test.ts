/**
 * The worker_threads router: capacity, start-up, errors across the boundary,
 * crashes, timeouts, engines and transfer size. Needs `npm run build` first,
 * because Node runs the worker from `dist/worker/node-entry.js`.
 */

import { afterEach, describe, expect, test } from "vitest";
import { Worker as NodeWorker } from "node:worker_threads";
import {
  CycleError,
  PlanError,
  RouterError,
  RuleSetError,
} from "../../src/engine/errors.js";
import { Router } from "../../src/engine/router/router.js";
import { parseRuleSet } from "../../src/engine/schema/index.js";
import type { RuleSet, Task } from "../../src/engine/types.js";
import type { RawWorker } from "../../src/worker/client.js";
import {
  capacityRuleSet,
  plan,
  task,
  threeTasks,
  trackRouters,
} from "../worker-fixtures.js";

const { startRouter, terminateRouters } = trackRouters();

afterEach(() => {
  terminateRouters();
});

const capacityRules: RuleSet = capacityRuleSet("capacity");

describe("worker router capacity", () => {
  test("one plan fills A then falls back to B", async () => {
    const router = await startRouter({ ruleSet: capacityRules });
    const result = await router.route(threeTasks);
    expect(result.assignments.map((a) => [a.task, a.agent, a.via])).toEqual([
      ["t1", "A", "rule"],
      ["t2", "B", "capability"],
      ["t3", "B", "capability"],
    ]);
    expect(result.assignments[1]!.explanation).toContain("A is at capacity 1/1");
    expect(result.load).toEqual({ A: 1, B: 2 });
  });

  test("concurrent reserving routes never exceed maxConcurrent", async () => {
    const router = await startRouter({ ruleSet: capacityRules });
    const shared = { A: 0, B: 0 };
    const plans = [1, 2, 3].map((n) => plan([task(`p${n}`, "t")]));
    const results = await Promise.all(
      plans.map((p) => router.route(p, { load: shared, reserve: true })),
    );
    const agents = results.map((r) => r.assignments[0]!.agent);
    expect(agents.filter((a) => a === "A")).toHaveLength(1);
    expect(agents.filter((a) => a === "B")).toHaveLength(2);
    expect((await router.stats()).ledger).toEqual([1, 2]);

    const onA = results.find((r) => r.assignments[0]!.agent === "A")!;
    expect(await router.release([onA.assignments[0]!.task])).toBe(1);
    expect((await router.stats()).ledger).toEqual([0, 2]);
    const again = await router.route(plan([task("p4", "t")]), { reserve: true });
    expect(again.assignments[0]!.agent).toBe("A");
  });

  test("six concurrent reserving routes fill A and B exactly", async () => {
    const router = await startRouter({ ruleSet: capacityRules });
    const plans = Array.from({ length: 8 }, (_, n) => plan([task(`q${n}`, "t")]));
    const results = await Promise.all(
      plans.map((p) => router.route(p, { reserve: true })),
    );
    const assigned = results.flatMap((r) => r.assignments.map((a) => a.agent));
    expect(assigned.filter((a) => a === "A")).toHaveLength(1);
    expect(assigned.filter((a) => a === "B")).toHaveLength(5);
    expect(results.flatMap((r) => r.unassigned.map((u) => u.reason))).toEqual([
      "at-capacity",
      "at-capacity",
    ]);
  });
});

describe("worker router start-up and shutdown", () => {
  test("a call before ready resolves once ready", async () => {
    const router = await startRouter({ initDelayMs: 500 });
    const loading = router.loadRuleSet(capacityRules);
    const routing = router.route(threeTasks);
    await loading;
    expect((await routing).assignments[0]!.agent).toBe("A");
  });

  test("a call before ready rejects after the timeout", async () => {
    const router = await startRouter({ initDelayMs: 2000, timeoutMs: 150 });
    const error = await router.loadRuleSet(capacityRules).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).code).toBe("E_NOT_READY");
    expect((error as Error).message).toContain("router not ready");
  });

  test("a call after terminate rejects at once", async () => {
    const router = await startRouter({ ruleSet: capacityRules });
    router.terminate();
    let settled = false;
    const call = router.route(threeTasks).catch((e: unknown) => {
      settled = true;
      return e;
    });
    // Settled before the first timer fires, so no worker round trip happened.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(true);
    expect(((await call) as RouterError).code).toBe("E_TERMINATED");
  });

  test("terminate rejects calls in flight", async () => {
    const router = await startRouter({ initDelayMs: 1000 });
    const call = router.loadRuleSet(capacityRules).catch((e: unknown) => e);
    router.terminate();
    expect(((await call) as RouterError).code).toBe("E_TERMINATED");
  });
});

describe("worker router errors", () => {
  test("a thrown string arrives as an Error", async () => {
    // Reach the service directly: the client offers no call that throws a string.
    const { wrap } = await import("comlink");
    const nodeEndpoint = (await import("comlink/dist/esm/node-adapter.mjs")).default;
    const { installErrorHandler } = await import("../../src/worker/errors.js");
    installErrorHandler();
    const worker = new NodeWorker(
      new URL("../../dist/worker/node-entry.js", import.meta.url),
    );
    const remote = wrap<import("../../src/worker/protocol.js").RouterServiceApi>(
      nodeEndpoint(worker as never),
    );
    const error = await remote
      .throwValue("plain string thrown while compiling")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("plain string thrown while compiling");
    await worker.terminate();
  });

  test("RuleSetError keeps name, code and path", async () => {
    const router = await startRouter();
    const bad = {
      format: "switchyard/ruleset",
      version: 1,
      name: "bad",
      agents: [{ id: "A", taskTypes: ["t"] }],
      rules: [
        {
          id: "r",
          priority: 1,
          when: { all: [{ field: "metadata.size", op: "around", value: [1, 2] }] },
          agent: "A",
        },
      ],
    };
    const error = await router.loadRuleSet(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleSetError);
    expect((error as RuleSetError).name).toBe("RuleSetError");
    expect((error as RuleSetError).code).toBe("E_SCHEMA");
    expect((error as RuleSetError).path).toEqual(["rules", 0, "when", "all", 0, "op"]);
    expect(JSON.stringify((error as RuleSetError).details)).toContain("around");
  });

  test("unknown dependency is a PlanError naming both ids", async () => {
    const router = await startRouter({ ruleSet: capacityRules });
    const bad = plan([task("fetch", "t"), task("parse", "t", { dependsOn: ["fecth"] })]);
    const error = await router.route(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanError);
    expect((error as Error).message).toContain('"parse"');
    expect((error as Error).message).toContain('"fecth"');
  });

  test("a cycle is a CycleError with the whole chain", async () => {
    const router = await startRouter({ ruleSet: capacityRules });
    const cyclic = plan([
      task("a", "t", { dependsOn: ["c"] }),
      task("b", "t", { dependsOn: ["a"] }),
      task("c", "t", { dependsOn: ["b"] }),
    ]);
    const error = await router.route(cyclic).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CycleError);
    expect((error as CycleError).details.cycle).toEqual(["a", "c", "b", "a"]);
  });

  test("route before loadRuleSet names the missing call", async () => {
    const router = await startRouter();
    const error = await router.route(threeTasks).catch((e: unknown) => e);
    expect((error as RouterError).code).toBe("E_NO_RULE_SET");
  });
});

describe("worker router crashes and timeouts", () => {
  test("a killed worker rejects the call and restarts with the edited rules", async () => {
    const workers: RawWorker[] = [];
    const router = await startRouter({
      ruleSet: capacityRules,
      onWorkerStart: (worker) => workers.push(worker),
    });
    await router.addRule({
      id: "to-b",
      priority: 5,
      when: { taskType: "t", metadata: { lane: "b" } },
      agent: "B",
      explanation: "lane b",
    });
    const big = plan(Array.from({ length: 200_000 }, (_, i) => task(`k${i}`, "t")));
    const inFlight = router.route(big).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await (workers[0] as NodeWorker).terminate();
    const error = await inFlight;
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).code).toBe("E_WORKER_DIED");

    const small = plan([task("x", "t", { metadata: { lane: "b" } }), task("y", "t")]);
    const result = await router.route(small);
    expect(workers).toHaveLength(2);
    expect(result.assignments.map((a) => [a.task, a.agent, a.rule])).toEqual([
      ["x", "B", "to-b"],
      ["y", "A", "r"],
    ]);
    expect((await router.stats()).workersStarted).toBe(2);
  });

  test("a slow call times out", async () => {
    const router = await startRouter({ ruleSet: capacityRules });
    const big = plan(Array.from({ length: 300_000 }, (_, i) => task(`s${i}`, "t")));
    const error = await router.route(big, { timeoutMs: 1 }).catch((e: unknown) => e);
    expect((error as RouterError).code).toBe("E_TIMEOUT");
    expect((await router.route(threeTasks)).assignments).toHaveLength(3);
  });

  test("an aborted call rejects with the abort reason", async () => {
    const router = await startRouter({ ruleSet: capacityRules });
    const controller = new AbortController();
    const call = router.route(threeTasks, { signal: controller.signal });
    controller.abort(new Error("user left the page"));
    await expect(call).rejects.toThrow("user left the page");

    const early = new AbortController();
    early.abort();
    const error = await router
      .route(threeTasks, { signal: early.signal })
      .catch((e) => e);
    expect(error).toBeInstanceOf(Error);
  });
});

describe("worker router engines and stats", () => {
  test("runs WASM in worker_threads by default", async () => {
    const router = await startRouter({ ruleSet: capacityRules });
    const stats = await router.stats();
    expect(stats.engine).toBe("wasm");
    expect(stats.fallbackReason).toBeNull();
    expect(stats.scope).toBe("worker_threads");
    expect(stats.memoryBytes).toBeGreaterThan(0);
    expect(stats.tables).toMatchObject({ agents: 2, rules: 1 });
  });

  test("runs JS on request", async () => {
    const router = await startRouter({ ruleSet: capacityRules, engine: "js" });
    const stats = await router.stats();
    expect(stats.engine).toBe("js");
    expect(stats.memoryBytes).toBe(0);
  });

  test("falls back to JS when the WASM module cannot load", async () => {
    const missing = new URL("../../build/missing.wasm", import.meta.url);
    const router = await startRouter({ ruleSet: capacityRules, wasmUrl: missing });
    const stats = await router.stats();
    expect(stats.engine).toBe("js");
    expect(stats.fallbackReason).toContain("failed to load");
    expect((await router.route(threeTasks)).load).toEqual({ A: 1, B: 2 });
  });

  test("WASM memory stays flat over 2000 routes", async () => {
    const router = await startRouter({ ruleSet: capacityRules });
    const p = plan(Array.from({ length: 300 }, (_, i) => task(`m${i}`, "t")));
    await router.route(p);
    const before = (await router.stats()).memoryBytes;
    for (let i = 0; i < 2000; i++) await router.route(p);
    expect((await router.stats()).memoryBytes).toBe(before);
  });

  test("explain replays the start load of the last route", async () => {
    const router = await startRouter({ ruleSet: capacityRules });
    const options = { load: { A: 0, B: 1 } };
    await router.route(threeTasks, options);
    const trace = await router.explain("t2");
    expect(trace).toEqual(new Router(capacityRules).trace(threeTasks, "t2", options));
    expect(trace.steps[0]).toMatchObject({ outcome: "agent-at-capacity", load: 1 });
  });
});

describe("worker router at scale", () => {
  test("routes 10^6 tasks within 64 bytes per task", async () => {
    const ruleSet = parseRuleSet({
      format: "switchyard/ruleset",
      version: 1,
      name: "scale",
      agents: [
        { id: "gpu", taskTypes: ["train"], maxConcurrent: 1_000_000 },
        { id: "cpu", taskTypes: ["train", "etl"], maxConcurrent: 1_000_000 },
      ],
      rules: [
        {
          id: "big",
          priority: 2,
          when: {
            taskType: "train",
            all: [{ field: "metadata.size", op: "gte", value: 10 }],
          },
          agent: "gpu",
        },
      ],
    });
    const router = await startRouter({ ruleSet });
    const count = 1_000_000;
    const tasks: Task[] = new Array(count);
    for (let i = 0; i < count; i++) {
      tasks[i] = task(`n${i}`, i % 3 === 0 ? "etl" : "train", {
        metadata: { size: i % 20 },
        dependsOn: i > 0 && i % 2 === 1 ? [`n${i - 1}`] : [],
      });
    }
    const result = await router.route(plan(tasks));
    expect(result.order).toHaveLength(count);
    expect(result.unassigned).toHaveLength(0);
    expect(result.assignments).toHaveLength(count);
    const byTask = new Map(result.assignments.map((a) => [a.task, a]));
    expect(byTask.get("n10")).toMatchObject({ agent: "gpu", via: "rule", rule: "big" });
    expect(byTask.get("n22")).toMatchObject({ agent: "cpu", via: "capability" });
    expect(byTask.get("n3")).toMatchObject({ agent: "cpu", via: "capability" });

    const transfer = (await router.stats()).lastTransfer!;
    expect(transfer.tasks).toBe(count);
    expect(transfer.bytesPerTask).toBeLessThanOrEqual(64);
  });
});
