/**
 * Call lifecycle of the worker_threads router: cleanup after a failed
 * createRouter, per-call timeouts while the worker starts, and malformed
 * plans rejected with a path. Needs `npm run build` first.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { PlanError, RouterError } from "../../src/engine/errors.js";
import type { Plan, RuleSet, Task } from "../../src/engine/types.js";
import {
  capacityRuleSet,
  plan,
  task,
  threeTasks,
  trackRouters,
} from "../worker-fixtures.js";

const { startRouter, terminateRouters } = trackRouters();
const children: ChildProcess[] = [];
const tempDirs: string[] = [];

afterEach(() => {
  terminateRouters();
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const rules: RuleSet = capacityRuleSet("lifecycle");

/** Runs `source` as an ES module in a new Node process; resolves on its exit. */
function runModule(source: string): Promise<{ code: number | null; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-lifecycle-"));
  tempDirs.push(dir);
  const file = join(dir, "main.mjs");
  writeFileSync(file, source);
  const child = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout }));
  });
}

describe("failed createRouter", () => {
  test("stops its worker so Node can exit", async () => {
    const client = new URL("../../dist/worker/client.js", import.meta.url).href;
    const source = `
        import { createRouter } from ${JSON.stringify(client)};
        const ruleSet = ${JSON.stringify(rules)};
        try {
          await createRouter({ initDelayMs: 2000, timeoutMs: 300, ruleSet });
          console.log("resolved");
        } catch (error) {
          console.log(error.code);
        }
      `;
    // The event loop ends only when no worker is left running.
    const { code, stdout } = await runModule(source);
    expect(stdout.trim()).toBe("E_NOT_READY");
    expect(code).toBe(0);
  }, 30_000);
});

describe("per-call timeout while the worker starts", () => {
  test("route rejects as not ready", async () => {
    const router = await startRouter({ initDelayMs: 2000 });
    const loading = router.loadRuleSet(rules);
    const error = await router
      .route(threeTasks, { timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).code).toBe("E_NOT_READY");
    expect((error as Error).message).toContain("router not ready");
    await expect(loading).resolves.toMatchObject({ rules: 1 });
  });

  test("queued rule edit rejects and is never sent", async () => {
    const router = await startRouter({ initDelayMs: 2000 });
    const loading = router.loadRuleSet(rules);
    const error = await router
      .addRule(
        {
          id: "late",
          priority: 5,
          when: { taskType: "t" },
          agent: "B",
          explanation: "late",
        },
        { timeoutMs: 300 },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).code).toBe("E_NOT_READY");

    // The load still finishes, and the rule set contains only its own rule.
    await expect(loading).resolves.toMatchObject({ rules: 1 });
    expect((await router.stats()).tables).toMatchObject({ rules: 1 });
    const result = await router.route(threeTasks);
    expect(result.assignments[0]).toMatchObject({ agent: "A", rule: "r" });
  });

  test("aborted queued edit rejects with the reason", async () => {
    const router = await startRouter({ initDelayMs: 1000 });
    const loading = router.loadRuleSet(rules);
    const controller = new AbortController();
    const adding = router.removeRule("r", { signal: controller.signal });
    controller.abort(new Error("edit cancelled"));
    await expect(adding).rejects.toThrow("edit cancelled");
    await expect(loading).resolves.toMatchObject({ rules: 1 });
    expect((await router.stats()).tables).toMatchObject({ rules: 1 });
  });
});

/** Plans that routing cannot read, with the path each must report. */
const malformed: [string, unknown, (string | number)[]][] = [
  ["null", null, []],
  ["object without tasks", { garbage: true }, ["tasks"]],
  ["tasks not an array", { tasks: "t1" }, ["tasks"]],
  ["null task", plan([task("a", "t"), null as unknown as Task]), ["tasks", 1]],
  [
    "task without type",
    plan([
      task("a", "t"),
      task("b", "t"),
      task("c", "t"),
      { id: "d", description: "", dependsOn: [] } as unknown as Task,
    ]),
    ["tasks", 3, "type"],
  ],
  [
    "task without id",
    plan([{ type: "t", dependsOn: [] } as unknown as Task]),
    ["tasks", 0, "id"],
  ],
  [
    "task without dependsOn",
    plan([{ id: "a", type: "t" } as unknown as Task]),
    ["tasks", 0, "dependsOn"],
  ],
  [
    "numeric dependency",
    plan([task("a", "t"), task("b", "t", { dependsOn: [0 as unknown as string] })]),
    ["tasks", 1, "dependsOn", 0],
  ],
];

describe("malformed plans", () => {
  test.each(malformed)("route rejects %s with its path", async (_name, input, path) => {
    const router = await startRouter({ ruleSet: rules });
    const error = await router.route(input as Plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).code).toBe("E_PLAN_SCHEMA");
    expect((error as PlanError).path).toEqual(path);
  });

  test("trace rejects a task without type", async () => {
    const router = await startRouter({ ruleSet: rules });
    const bad = plan([task("a", "t"), { id: "b", dependsOn: [] } as unknown as Task]);
    const error = await router.trace(bad, "a").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).path).toEqual(["tasks", 1, "type"]);
    expect((error as Error).message).toContain("tasks[1].type");
  });

  test("routeBatch names the plan index", async () => {
    const router = await startRouter({ ruleSet: rules });
    const bad = plan([{ id: "x", type: 7, dependsOn: [] } as unknown as Task]);
    const error = await router.routeBatch([threeTasks, bad]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).path).toEqual([1, "tasks", 0, "type"]);

    const notArray = await router
      .routeBatch(null as unknown as Plan[])
      .catch((e: unknown) => e);
    expect(notArray).toBeInstanceOf(PlanError);
    expect((notArray as PlanError).path).toEqual([]);
  });

  test("the router still works after a malformed plan", async () => {
    const router = await startRouter({ ruleSet: rules });
    await router.route(null as unknown as Plan).catch(() => undefined);
    expect((await router.route(threeTasks)).assignments).toHaveLength(3);
    expect((await router.stats()).workersStarted).toBe(1);
  });
});
