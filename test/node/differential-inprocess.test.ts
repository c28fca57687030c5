import { beforeAll, describe, expect, test } from "vitest";
import { compileRuleSet } from "../../src/engine/router/compile.js";
import { assignBatch, createAssignOutput } from "../../src/engine/router/match.js";
import { packTasks } from "../../src/engine/router/pack.js";
import type { CompiledTables, TaskBatch } from "../../src/engine/router/tables.js";
import { layeredOrder } from "../../src/engine/dag/order.js";
import { parseRuleSet } from "../../src/engine/schema/index.js";
import type { Plan } from "../../src/engine/types.js";
import { WasmMatcher } from "../../src/worker/wasm-matcher.js";
import {
  Random,
  generateOptions,
  generatePlan,
  generateRuleSet,
} from "./differential-harness.js";

let wasm: WasmMatcher;

beforeAll(async () => {
  wasm = await WasmMatcher.create();
});

/** Routing order of a plan by index, or plan order when it has a cycle. */
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
  const result = layeredOrder(
    plan.tasks.length,
    parent,
    offsets,
    Int32Array.from(targets),
  );
  return "order" in result ? result.order : Int32Array.from(plan.tasks.keys());
}

function inputFor(tables: CompiledTables, random: Random, ruleSetAgents: string[]) {
  const options = generateOptions(random, {
    agents: ruleSetAgents.map((id) => ({ id })),
  } as never);
  const load = new Int32Array(tables.agentIds.length);
  const available = new Uint8Array(tables.agentIds.length).fill(1);
  tables.agentIds.forEach((id, a) => {
    load[a] = options.load?.[id] ?? 0;
    if (options.availableAgents !== undefined && !options.availableAgents.includes(id)) {
      available[a] = 0;
    }
  });
  return { load, available };
}

function runBoth(
  tables: CompiledTables,
  batch: TaskBatch,
  load: Int32Array,
  available: Uint8Array,
) {
  const jsInput = { load: load.slice(), available };
  const jsOutput = createAssignOutput(batch.taskCount);
  assignBatch(tables, batch, jsInput, jsOutput);
  const wasmInput = { load: load.slice(), available };
  const wasmOutput = createAssignOutput(batch.taskCount);
  wasm.assignBatch(tables, batch, wasmInput, wasmOutput);
  return {
    js: { ...jsOutput, load: jsInput.load },
    wasm: { ...wasmOutput, load: wasmInput.load },
  };
}

describe("WASM matcher in process", () => {
  test("matches assignBatch on 3000 generated cases", () => {
    const random = new Random(20260101);
    let routed = 0;
    for (let round = 0; round < 3000; round++) {
      const ruleSet = parseRuleSet(generateRuleSet(random));
      const tables = compileRuleSet(ruleSet);
      const plan = generatePlan(random, random.int(40));
      const batch = packTasks(tables, plan.tasks, orderOf(plan));
      const { load, available } = inputFor(tables, random, tables.agentIds);
      const { js, wasm: fromWasm } = runBoth(tables, batch, load, available);
      expect(fromWasm, `round ${round}`).toEqual(js);
      routed += batch.taskCount;
    }
    expect(routed).toBeGreaterThan(50_000);
  });

  test("keeps memory flat over repeated calls", () => {
    const random = new Random(7);
    const ruleSet = parseRuleSet(generateRuleSet(random));
    const tables = compileRuleSet(ruleSet);
    const plan = generatePlan(random, 500);
    const batch = packTasks(tables, plan.tasks, orderOf(plan));
    const { load, available } = inputFor(tables, random, tables.agentIds);
    runBoth(tables, batch, load, available);
    const before = wasm.memoryBytes;
    for (let i = 0; i < 5000; i++) {
      wasm.assignBatch(
        tables,
        batch,
        { load: load.slice(), available },
        createAssignOutput(batch.taskCount),
      );
    }
    expect(wasm.memoryBytes).toBe(before);
  });
});
