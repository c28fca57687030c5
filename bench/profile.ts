/**
 * Runs one scenario in a loop so that `node --cpu-prof` can sample it, then
 * prints the functions with the most self time from the newest profile in
 * the profile directory (when given).
 *
 *   node --cpu-prof --cpu-prof-dir=bench/results/profiles \
 *     bench-dist/bench/profile.js route-3000 [seconds]
 *   node bench-dist/bench/profile.js --summary bench/results/profiles
 */
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_RULE_SET } from "../src/engine/default-ruleset.js";
import {
  Router,
  assignBatch,
  createAssignOutput,
  packTasks,
} from "../src/engine/router/index.js";
import type { Plan } from "../src/engine/types.js";
import { validatePlan } from "../src/engine/validator/index.js";
import { createRouter } from "../src/worker/client.js";
import { WasmMatcher } from "../src/worker/wasm-matcher.js";
import { agentTaskTypes, generatePlan, independentPlan } from "./generate.js";
import { scaleRuleSet } from "./scenarios.js";
import { REFERENCE_AGENTS } from "./generate.js";

type Scenario = () => unknown;

function routeScenario(rules: number, tasks: number): Scenario {
  const router = new Router(rules === 0 ? DEFAULT_RULE_SET : scaleRuleSet(rules));
  const plan = generatePlan(tasks, { types: agentTaskTypes(DEFAULT_RULE_SET.agents) });
  return () => router.route(plan);
}

function validateScenario(tasks: number): Scenario {
  const plan = independentPlan(tasks);
  const route = Object.fromEntries(
    plan.tasks.map((task, i) => [
      task.id,
      REFERENCE_AGENTS[i % REFERENCE_AGENTS.length]!,
    ]),
  );
  return () => validatePlan(plan, route, DEFAULT_RULE_SET);
}

async function workerScenario(tasks: number): Promise<Scenario> {
  const wasmUrl = new URL("../../build/release.wasm", import.meta.url);
  const client = await createRouter({
    engine: "wasm",
    ruleSet: scaleRuleSet(22),
    wasmUrl,
  });
  const plan: Plan = generatePlan(tasks, {
    types: agentTaskTypes(DEFAULT_RULE_SET.agents),
  });
  process.on("beforeExit", () => client.terminate());
  return () => client.route(plan);
}

/** The reference scenario of 1,000 single-task matches on a packed implement task. */
function matchScenario(): Scenario {
  const router = new Router(DEFAULT_RULE_SET);
  const single = independentPlan(1, ["implement"]);
  const batch = packTasks(router.tables, single.tasks, Int32Array.of(0));
  const input = router.createInput();
  const output = createAssignOutput(1);
  return () => {
    for (let i = 0; i < 1000; i++) {
      assignBatch(router.tables, batch, input, output);
      // Only the winning agent's load changed; putting it back to zero is
      // cheaper than clearing every agent.
      const agent = output.agent[0]!;
      if (agent >= 0) input.load[agent] = 0;
    }
  };
}

/** The in-process WASM matcher on a packed plan, as in the scale series. */
async function wasmAssignScenario(rules: number, tasks: number): Promise<Scenario> {
  const router = new Router(scaleRuleSet(rules));
  const plan = generatePlan(tasks, { types: agentTaskTypes(DEFAULT_RULE_SET.agents) });
  const batch = packTasks(router.tables, plan.tasks, router.routeView(plan).order);
  const matcher = await WasmMatcher.create(
    new URL("../../build/release.wasm", import.meta.url),
  );
  const input = router.createInput();
  const output = createAssignOutput(tasks);
  return () => {
    input.load.fill(0);
    matcher.assignBatch(router.tables, batch, input, output);
  };
}

const SCENARIOS: Record<string, () => Scenario | Promise<Scenario>> = {
  "assign-wasm-300-100k": () => wasmAssignScenario(300, 100_000),
  "match-1000": matchScenario,
  "route-default": () => routeScenario(0, 1000),
  "route-3000": () => routeScenario(3000, 1000),
  "route-22-100k": () => routeScenario(22, 100_000),
  "validate-50": () => validateScenario(50),
  "worker-100k": () => workerScenario(100_000),
};

async function summarize(directory: string): Promise<void> {
  const files = (await readdir(directory))
    .filter((f) => f.endsWith(".cpuprofile"))
    .sort();
  const newest = files.at(-1);
  if (newest === undefined) throw new Error(`No .cpuprofile files in ${directory}`);
  const profile = JSON.parse(await readFile(path.join(directory, newest), "utf8")) as {
    nodes: {
      id: number;
      callFrame: { functionName: string; url: string; lineNumber: number };
    }[];
    samples: number[];
  };
  const counts = new Map<number, number>();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const where = `${frame.functionName || "(anonymous)"} ${path.basename(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(where, (byFunction.get(where) ?? 0) + (counts.get(node.id) ?? 0));
  }
  const total = profile.samples.length;
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25);
  process.stdout.write(`${newest}: ${total} samples\n`);
  for (const [where, count] of top) {
    process.stdout.write(
      `${((100 * count) / total).toFixed(1).padStart(5)}%  ${where}\n`,
    );
  }
}

async function main(): Promise<void> {
  const [name, secondsText] = process.argv.slice(2);
  if (name === "--summary") {
    await summarize(secondsText ?? "bench/results/profiles");
    return;
  }
  const factory = name === undefined ? undefined : SCENARIOS[name];
  if (factory === undefined) {
    throw new Error(
      `Unknown scenario "${name}"; expected one of ${Object.keys(SCENARIOS).join(", ")}`,
    );
  }
  const scenario = await factory();
  const seconds = Number(secondsText ?? "5");
  const end = performance.now() + seconds * 1000;
  let calls = 0;
  while (performance.now() < end) {
    await scenario();
    calls += 1;
  }
  process.stdout.write(`${name}: ${calls} calls in ${seconds} s\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`Profiling failed: ${String(error)}\n`);
  process.exitCode = 1;
});
