/**
 * The WASM matcher's header layout and its checks on malformed batches.
 */

import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { RouterError } from "../../src/engine/errors.js";
import { compileRuleSet } from "../../src/engine/router/compile.js";
import { createAssignOutput } from "../../src/engine/router/match.js";
import { packTasks } from "../../src/engine/router/pack.js";
import type { CompiledTables, TaskBatch } from "../../src/engine/router/tables.js";
import { parseRuleSet } from "../../src/engine/schema/index.js";
import type { Task } from "../../src/engine/types.js";
import * as hostLayout from "../../src/worker/wasm-layout.js";
import { WasmMatcher } from "../../src/worker/wasm-matcher.js";

/** Parses `export const NAME = N;` lines. */
function constants(path: string): Map<string, number> {
  const text = readFileSync(new URL(path, import.meta.url), "utf8");
  const found = new Map<string, number>();
  for (const match of text.matchAll(/^export const (\w+) = (-?\d+);$/gm)) {
    found.set(match[1]!, Number(match[2]));
  }
  return found;
}

describe("WASM header layout", () => {
  test("host and module files agree", () => {
    const module = constants("../../assembly/layout.ts");
    const host = constants("../../src/worker/wasm-layout.ts");
    expect(module.size).toBeGreaterThan(50);
    expect(host).toEqual(module);
    expect(hostLayout.HEADER_WORDS).toBe(module.get("HEADER_WORDS"));
  });

  test("header words are distinct and in range", () => {
    const words = [...constants("../../assembly/layout.ts")]
      .filter(([name]) => name.startsWith("H_"))
      .map(([, value]) => value);
    expect(new Set(words).size).toBe(words.length);
    expect(Math.max(...words)).toBe(hostLayout.HEADER_WORDS - 1);
  });
});

describe("WASM matcher input checks", () => {
  let wasm: WasmMatcher;
  let tables: CompiledTables;
  let batch: TaskBatch;

  beforeAll(async () => {
    wasm = await WasmMatcher.create();
    tables = compileRuleSet(
      parseRuleSet({
        format: "switchyard/ruleset",
        version: 1,
        name: "checks",
        agents: [{ id: "A", taskTypes: ["t"] }],
        rules: [
          {
            id: "r",
            priority: 1,
            when: { field: "metadata.tags", op: "contains", value: "x" },
            agent: "A",
          },
        ],
      }),
    );
    const tasks: Task[] = [0, 1].map((i) => ({
      id: `t${i}`,
      type: "t",
      description: "",
      dependsOn: [],
      status: "pending",
      metadata: { tags: ["x"] },
    }));
    batch = packTasks(tables, tasks, Int32Array.from([0, 1]));
  });

  function run(changed: Partial<TaskBatch>): unknown {
    const input = { load: new Int32Array(1), available: Uint8Array.of(1) };
    try {
      wasm.assignBatch(tables, { ...batch, ...changed }, input, createAssignOutput(2));
      return null;
    } catch (error) {
      return error;
    }
  }

  test.each([
    [
      "an order entry past the tasks",
      { order: Int32Array.from([0, 2]) },
      hostLayout.E_ORDER_INDEX,
    ],
    [
      "a negative type id",
      { taskType: Int32Array.from([0, -1]) },
      hostLayout.E_TASK_TYPE,
    ],
    [
      "a type id past the unknown row",
      { taskType: Int32Array.from([0, 99]) },
      hostLayout.E_TASK_TYPE,
    ],
    [
      "array elements out of range",
      { elemKind: new Uint8Array(1), elemNum: new Float64Array(1) },
      hostLayout.E_ARRAY_RANGE,
    ],
  ])("rejects %s", (_name, changed, status) => {
    const error = run(changed);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).code).toBe("E_BAD_BATCH");
    expect((error as RouterError).details.status).toBe(status);
  });

  test("routes the unchanged batch", () => {
    expect(run({})).toBeNull();
  });
});
