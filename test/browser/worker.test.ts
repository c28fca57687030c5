/**
 * The router in a real module worker in Chromium: WASM in a
 * DedicatedWorkerGlobalScope, transferred buffers, slow start, errors across
 * the boundary, a crash mid-call with restart, and timeouts.
 */

import { afterEach, describe, expect, test } from "vitest";
import { transfer, wrap } from "comlink";
import { RouterError, RuleSetError } from "../../src/engine/errors.js";
import { packColumns } from "../../src/engine/router/pack.js";
import type { RuleSet } from "../../src/engine/types.js";
import type { RawWorker } from "../../src/worker/client.js";
import { installErrorHandler } from "../../src/worker/errors.js";
import type { RouteRequest, RouterServiceApi } from "../../src/worker/protocol.js";
import { startWorker } from "../../src/worker/spawn.js";
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

const rules: RuleSet = capacityRuleSet("browser", [
  {
    id: "astral",
    priority: 9,
    when: { all: [{ field: "metadata.owner", op: "eq", value: "𣄃" }] },
    agent: "B",
    explanation: "astral owner",
  },
]);

describe("browser worker router", () => {
  test("runs WASM in a dedicated worker", async () => {
    const router = await startRouter({ ruleSet: rules });
    const stats = await router.stats();
    expect(stats.scope).toBe("DedicatedWorkerGlobalScope");
    expect(stats.engine).toBe("wasm");
    expect(stats.fallbackReason).toBeNull();
    expect(stats.memoryBytes).toBeGreaterThan(0);
  });

  test("routes with capacity fallback and astral strings", async () => {
    const router = await startRouter({ ruleSet: rules });
    const result = await router.route(
      plan([...threeTasks.tasks, task("u", "t", { metadata: { owner: "𣄃" } })]),
    );
    expect(result.assignments.map((a) => [a.task, a.agent, a.via])).toEqual([
      ["t1", "A", "rule"],
      ["t2", "B", "capability"],
      ["t3", "B", "capability"],
      ["u", "B", "rule"],
    ]);
    expect(result.assignments[1]!.explanation).toContain("A is at capacity 1/1");
  });

  test("a lone surrogate matches nothing and breaks nothing", async () => {
    const router = await startRouter({ ruleSet: rules });
    const result = await router.route(
      plan([task("s", "t", { metadata: { owner: "\uD800" } })]),
    );
    expect(result.assignments).toEqual([
      { task: "s", agent: "A", via: "rule", rule: "r", explanation: "Rule r: to A" },
    ]);
  });

  test("sent buffers are transferred, not copied", async () => {
    installErrorHandler();
    const handle = startWorker();
    try {
      const remote = wrap<RouterServiceApi>(handle.endpoint);
      await remote.init({ kind: "init", engine: "wasm", initDelayMs: 0, wasmUrl: null });
      const snapshot = await remote.loadRuleSet(rules);
      const columns = packColumns(snapshot.tables, threeTasks.tasks);
      const request: RouteRequest = {
        kind: "route",
        tablesVersion: snapshot.version,
        plan: {
          columns,
          parentIndex: null,
          depOffsets: new Int32Array(4),
          depTargets: new Int32Array(0),
        },
        load: null,
        available: null,
        reserve: false,
      };
      const source = columns.taskType.buffer;
      expect(source.byteLength).toBe(3);
      const pending = remote.route(
        transfer(request, [source, request.plan.depOffsets.buffer]),
      );
      expect(source.byteLength).toBe(0);
      expect(request.plan.depOffsets.byteLength).toBe(0);
      const response = await pending;
      expect(response.kind).toBe("routed");
      const order = response.kind === "routed" ? Array.from(response.order) : [];
      expect(order).toEqual([0, 1, 2]);
    } finally {
      handle.terminate();
    }
  });

  test("a call before a slow start resolves once ready", async () => {
    const router = await startRouter({ initDelayMs: 500 });
    const loading = router.loadRuleSet(rules);
    const routing = router.route(threeTasks);
    await loading;
    expect((await routing).assignments[0]!.agent).toBe("A");
  });

  test("a call before a slow start times out as not ready", async () => {
    const router = await startRouter({ initDelayMs: 3000, timeoutMs: 200 });
    const error = await router.route(threeTasks).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).code).toBe("E_NOT_READY");
    expect((error as Error).message).toContain("router not ready");
  });

  test("a call after terminate rejects at once", async () => {
    const router = await startRouter({ ruleSet: rules });
    router.terminate();
    const error = await router.route(threeTasks).catch((e: unknown) => e);
    expect((error as RouterError).code).toBe("E_TERMINATED");
  });

  test("errors keep their class, code and path", async () => {
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
          when: { field: "metadata.size", op: "around", value: 1 },
          agent: "A",
        },
      ],
    };
    const error = await router.loadRuleSet(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleSetError);
    expect((error as RuleSetError).code).toBe("E_SCHEMA");
    expect((error as RuleSetError).path).toEqual(["rules", 0, "when", "op"]);
  });

  test("a thrown string arrives as an Error", async () => {
    installErrorHandler();
    const handle = startWorker();
    try {
      const remote = wrap<RouterServiceApi>(handle.endpoint);
      const error = await remote
        .throwValue("bare string from rule compile")
        .catch((e) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain("bare string from rule compile");
    } finally {
      handle.terminate();
    }
  });

  test("a crash mid-call rejects it and the next call restarts", async () => {
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
    const side = wrap<RouterServiceApi>(workers[0] as Worker);
    void side.crash(0).catch(() => undefined);
    const big = plan(Array.from({ length: 100_000 }, (_, i) => task(`k${i}`, "t")));
    const error = await router.route(big).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).code).toBe("E_WORKER_DIED");

    const result = await router.route(
      plan([task("x", "t", { metadata: { lane: "b" } })]),
    );
    expect(result.assignments[0]).toMatchObject({ agent: "B", rule: "lane-b" });
    expect(workers).toHaveLength(2);
  });

  test("a slow call times out", async () => {
    const router = await startRouter({ ruleSet: rules });
    const big = plan(Array.from({ length: 200_000 }, (_, i) => task(`s${i}`, "t")));
    const error = await router.route(big, { timeoutMs: 1 }).catch((e: unknown) => e);
    expect((error as RouterError).code).toBe("E_TIMEOUT");
  });
});
