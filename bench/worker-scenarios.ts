/**
 * Worker scenarios: routing through the worker-backed router (packing,
 * transfer and lazy unpacking included), round trips, cold starts, and the
 * bytes that cross the boundary.
 */
import { DEFAULT_RULE_SET } from "../src/engine/default-ruleset.js";
import type { Plan, RuleSet } from "../src/engine/types.js";
import {
  createRouter,
  type EngineName,
  type RouterClient,
} from "../src/worker/client.js";
import { independentPlan } from "./generate.js";
import { measure, summarize } from "./measure.js";
import type { RunContext } from "./scenarios.js";

const ENGINES: readonly EngineName[] = ["js", "wasm"];

async function startRouter(
  run: RunContext,
  engine: EngineName,
  ruleSet: RuleSet,
): Promise<RouterClient> {
  const client = await createRouter({
    engine,
    ruleSet,
    timeoutMs: 120_000,
    ...(run.options.wasmUrl === undefined ? {} : { wasmUrl: run.options.wasmUrl }),
  });
  const stats = await client.stats();
  if (stats.engine !== engine) {
    client.terminate();
    throw new Error(
      `The worker runs the ${stats.engine} matcher, not ${engine}: ${stats.fallbackReason ?? "no reason given"}`,
    );
  }
  return client;
}

/** Reads a field of every outcome so that lazily unpacked results are paid for. */
function touch(result: Awaited<ReturnType<RouterClient["route"]>>): number {
  return result.assignments.length + result.unassigned.length + result.skipped.length;
}

/** Measures routing `plan` through the worker with each matcher, and its boundary bytes. */
export async function workerScale(
  run: RunContext,
  plan: Plan,
  ruleSet: RuleSet,
  tag: string,
): Promise<void> {
  const tasks = plan.tasks.length;
  for (const engine of ENGINES) {
    const client = await startRouter(run, engine, ruleSet);
    try {
      const name = `scale/worker-${engine}/${tag}`;
      run.record(
        await measure(name, () => client.route(plan), {
          suite: "scale",
          quick: run.quick,
          units: tasks,
          note: "packing, transfer and the call; results unpacked lazily",
        }),
      );
      const first = await client.route(plan);
      if (touch(first) !== tasks) {
        throw new Error(`${name} returned ${touch(first)} outcomes for ${tasks} tasks`);
      }
      const transfer = (await client.stats()).lastTransfer;
      if (transfer !== null && engine === "wasm") {
        run.boundary.push({
          name,
          tasks: transfer.tasks,
          requestBytes: transfer.bytesSent,
          responseBytes: transfer.bytesReceived,
          bytesPerTask: transfer.bytesPerTask,
        });
      }
    } finally {
      client.terminate();
    }
  }
}

/** Round trips for 1, 5 and 200 tasks, and cold starts, per matcher. */
export async function runWorkerSuite(run: RunContext): Promise<void> {
  const suite = "worker";
  for (const engine of ENGINES) {
    const client = await startRouter(run, engine, DEFAULT_RULE_SET);
    try {
      for (const size of [1, 5, 200]) {
        const plan = independentPlan(size);
        run.record(
          await measure(`worker/round-trip-${engine}/${size}`, () => client.route(plan), {
            suite,
            quick: run.quick,
            units: size,
            batch: 1,
            minSamples: run.quick ? 100 : 1_000,
            note: "one route() call: pack, postMessage, match, transfer back",
          }),
        );
      }
      const full = await client.route(independentPlan(200));
      run.progress(
        suite,
        `${engine}: ${touch(full)} outcomes for the 200-task round trip`,
      );
    } finally {
      client.terminate();
    }
  }

  // Cold start: a new worker, the matcher, the rule set and a first route.
  const single = independentPlan(1);
  const starts = run.quick ? 3 : 10;
  for (const engine of ENGINES) {
    const samples: number[] = [];
    for (let i = 0; i < starts; i++) {
      const start = performance.now();
      const client = await startRouter(run, engine, DEFAULT_RULE_SET);
      const result = await client.route(single);
      samples.push(performance.now() - start);
      client.terminate();
      if (result.assignments.length !== 1) {
        throw new Error(`cold start with ${engine} did not assign the task`);
      }
    }
    run.record(
      summarize(`worker/cold-start-${engine}`, samples, {
        suite,
        note: "createRouter with the default rule set, then route one task",
      }),
    );
  }
}
