/**
 * The benchmark scenarios, runnable in Node and in a browser page alike: the
 * twelve reference scenarios, the scale series, the baselines, the worker
 * round trips and cold starts, and memory at a million tasks. No Node or DOM
 * API is used here; a runner passes in what differs (a memory probe, the
 * environment description).
 */
import { DEFAULT_RULE_SET } from "../src/engine/default-ruleset.js";
import { buildGraph, findCycle, topologicalOrder } from "../src/engine/dag/index.js";
import { Planner } from "../src/engine/planner/index.js";
import {
  Router,
  assignBatch,
  createAssignOutput,
  packTasks,
} from "../src/engine/router/index.js";
import type { CompiledTables, TaskBatch } from "../src/engine/router/tables.js";
import type { Plan, RouteResult, RuleSet } from "../src/engine/types.js";
import { validatePlan } from "../src/engine/validator/index.js";
import { createContext } from "../src/engine/validator/context.js";
import { combineScore, computeScoreParts } from "../src/engine/validator/score.js";
import { checkSolvability } from "../src/engine/validator/solvability.js";
import { createRouter } from "../src/worker/client.js";
import { WasmMatcher } from "../src/worker/wasm-matcher.js";
import {
  REFERENCE_AGENTS,
  agentTaskTypes,
  chainPlan,
  generatePlan,
  generateRuleSet,
  independentPlan,
} from "./generate.js";
import { sameRoute } from "./compare.js";
import { JreRouter } from "./jre-baseline.js";
import { measure, type Measurement } from "./measure.js";
import { naiveRoute } from "./naive-router.js";
import {
  computeGoals,
  type BenchReport,
  type BoundaryReading,
  type MemoryReading,
} from "./report.js";
import { runWorkerSuite, workerScale } from "./worker-scenarios.js";

export const SUITES = ["reference", "scale", "baselines", "worker", "memory"] as const;
export type SuiteName = (typeof SUITES)[number];

/** Memory in use, in bytes, and the peak so far when the runtime records it. */
export interface MemorySample {
  usedBytes: number | null;
  peakBytes: number | null;
  source: string;
}

export interface ProgressEvent {
  suite: string;
  /** The measurement just finished, or null when a step starts. */
  measurement: Measurement | null;
  message: string;
}

export interface SuiteOptions {
  suites: readonly string[];
  /** Fewer samples and smaller sizes, for smoke runs and CI. */
  quick?: boolean;
  /** Overrides the task counts of the scale series. */
  scaleSizes?: readonly number[];
  /** Overrides the rule counts of the scale series and naive baseline. */
  ruleCounts?: readonly number[];
  /** Overrides the plan size of the baselines. */
  baselineTasks?: number;
  /** Overrides the plan size of the memory run. */
  memoryTasks?: number;
  /** Location of `release.wasm` for the in-process WASM matcher; absent means the default. */
  wasmUrl?: URL | string;
  /** Runs the worker scenarios; off where no worker can start. */
  worker?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Reads memory in use; the Node and browser runners pass their own. */
  memoryProbe?: () => Promise<MemorySample>;
  /** Runs the garbage collector when the runtime exposes it. */
  collectGarbage?: () => void;
  environment?: Record<string, string | number | boolean | null>;
  runtime: "node" | "browser";
}

/** Shared state of one run: results and where to report them. */
export interface RunContext {
  options: SuiteOptions;
  quick: boolean;
  results: Measurement[];
  memory: MemoryReading[];
  boundary: BoundaryReading[];
  notes: string[];
  record(measurement: Measurement): Measurement;
  progress(suite: string, message: string): void;
}

function createRunContext(options: SuiteOptions): RunContext {
  const context: RunContext = {
    options,
    quick: options.quick ?? false,
    results: [],
    memory: [],
    boundary: [],
    notes: [],
    record(measurement) {
      context.results.push(measurement);
      options.onProgress?.({
        suite: measurement.suite,
        measurement,
        message: measurement.name,
      });
      return measurement;
    },
    progress(suite, message) {
      options.onProgress?.({ suite, measurement: null, message });
    },
  };
  return context;
}

/** Fails a run whose scenario produced a wrong result, so a broken engine is never timed. */
function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`Benchmark input check failed: ${message}`);
}

/** Builds the route of the reference validator scenarios: task i on agent i mod 7. */
function referenceRoute(plan: Plan): RouteResult {
  return {
    order: plan.tasks.map((task) => task.id),
    assignments: plan.tasks.map((task, i) => ({
      task: task.id,
      agent: REFERENCE_AGENTS[i % REFERENCE_AGENTS.length] as string,
      via: "rule" as const,
      explanation: "",
    })),
    unassigned: [],
    skipped: [],
    load: {},
  };
}

/** Names of the twelve reference scenarios, in the reference profiler's order. */
export const REFERENCE_SCENARIOS = [
  "reference/decompose-simple",
  "reference/decompose-saas",
  "reference/cycle-check-chain-100",
  "reference/toposort-chain-100",
  "reference/route-5",
  "reference/route-50",
  "reference/route-200",
  "reference/match-implement-1000x",
  "reference/validate-5",
  "reference/validate-50",
  "reference/quality-score-100",
  "reference/solvability-100",
] as const;

async function runReference(run: RunContext): Promise<number> {
  const suite = "reference";
  const ruleSet = DEFAULT_RULE_SET;
  check(ruleSet.planner !== undefined, "the default rule set has a planner section");
  const planner = new Planner(ruleSet.planner!);
  const router = new Router(ruleSet);
  const chain = chainPlan(100).tasks;
  const opts = { suite, quick: run.quick };

  const saas = "Build a SaaS business with authentication, payments, and analytics";
  check(
    planner.decompose(saas).tasks.length > 3,
    "the SaaS goal decomposes into phases and subtasks",
  );
  run.record(
    await measure(
      REFERENCE_SCENARIOS[0],
      () => planner.decompose("Build a simple landing page"),
      opts,
    ),
  );
  run.record(await measure(REFERENCE_SCENARIOS[1], () => planner.decompose(saas), opts));
  run.record(
    await measure(REFERENCE_SCENARIOS[2], () => findCycle(buildGraph(chain)), {
      ...opts,
      units: 100,
    }),
  );
  run.record(
    await measure(REFERENCE_SCENARIOS[3], () => topologicalOrder(buildGraph(chain)), {
      ...opts,
      units: 100,
    }),
  );

  const plans = [5, 50, 200].map((n) => independentPlan(n));
  check(router.route(plans[2]!).assignments.length > 0, "route-200 assigns tasks");
  for (const [i, plan] of plans.entries()) {
    const name = REFERENCE_SCENARIOS[4 + i] as string;
    run.record(
      await measure(name, () => router.route(plan), {
        ...opts,
        units: plan.tasks.length,
      }),
    );
  }

  // One implement task, packed once, matched 1,000 times by the JS matcher.
  // The load is reset after each match so that capacity never interferes.
  const single = independentPlan(1, ["implement"]);
  const tables = router.tables;
  const batch = packTasks(tables, single.tasks, Int32Array.of(0));
  const input = router.createInput();
  const output = createAssignOutput(1);
  const matchThousand = (): number => {
    let rules = 0;
    for (let i = 0; i < 1000; i++) {
      assignBatch(tables, batch, input, output);
      // Only the winning agent's load changed; putting it back to zero is
      // cheaper than clearing every agent.
      const agent = output.agent[0]!;
      if (agent >= 0) input.load[agent] = 0;
      rules += output.rule[0]!;
    }
    return rules;
  };
  matchThousand();
  check(
    tables.ruleIds[output.rule[0]!] === "rule_implement",
    "implement matches rule_implement",
  );
  run.record(
    await measure(REFERENCE_SCENARIOS[7], matchThousand, { ...opts, units: 1000 }),
  );

  const validatePlans = [5, 50].map((n) => independentPlan(n));
  for (const [i, plan] of validatePlans.entries()) {
    const route = referenceRoute(plan);
    const name = REFERENCE_SCENARIOS[8 + i] as string;
    run.record(
      await measure(name, () => validatePlan(plan, route, ruleSet), {
        ...opts,
        units: plan.tasks.length,
      }),
    );
  }

  const hundred = independentPlan(100);
  const hundredRoute = referenceRoute(hundred);
  const score = (): number =>
    combineScore(computeScoreParts(createContext(hundred, hundredRoute, ruleSet), 0));
  check(Number.isFinite(score()), "the quality score is finite");
  run.record(await measure(REFERENCE_SCENARIOS[10], score, { ...opts, units: 100 }));
  const solvable = (): boolean =>
    checkSolvability(createContext(hundred, hundredRoute, ruleSet)).issues.length === 0;
  check(solvable(), "the 100-task reference plan is solvable");
  run.record(await measure(REFERENCE_SCENARIOS[11], solvable, { ...opts, units: 100 }));

  // The same single-task matches through the public route() API, reported
  // beside the suite (not summed) because it adds ordering, packing and
  // result objects per task.
  const routeThousand = (): number => {
    let count = 0;
    for (let i = 0; i < 1000; i++) count += router.route(single).assignments.length;
    return count;
  };
  run.record(
    await measure("reference-extra/route-implement-1000x", routeThousand, {
      ...opts,
      units: 1000,
    }),
  );

  let sum = 0;
  for (const name of REFERENCE_SCENARIOS) {
    sum += run.results.find((m) => m.name === name)?.medianMs ?? 0;
  }
  return sum;
}

/** A rule set of `count` generated rules over the default agents, cached per count. */
const ruleSetCache = new Map<number, RuleSet>();
export function scaleRuleSet(count: number): RuleSet {
  let ruleSet = ruleSetCache.get(count);
  if (ruleSet === undefined) {
    ruleSet = generateRuleSet(count, DEFAULT_RULE_SET.agents);
    ruleSetCache.set(count, ruleSet);
  }
  return ruleSet;
}

const planCache = new Map<number, Plan>();
/** Returns a generated plan over the default agents' task types; the last one is cached. */
export function scalePlan(tasks: number): Plan {
  let plan = planCache.get(tasks);
  if (plan === undefined) {
    planCache.clear();
    plan = generatePlan(tasks, { types: agentTaskTypes(DEFAULT_RULE_SET.agents) });
    planCache.set(tasks, plan);
  }
  return plan;
}

/**
 * Largest tasks x rules product in the scale series; 10^6 tasks with 3,000
 * rules would take minutes per variant, so that corner is left out.
 */
const MAX_SCALE_WORK = 300_000_000;

function scaleSizes(run: RunContext): readonly number[] {
  return (
    run.options.scaleSizes ??
    (run.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000, 1_000_000])
  );
}

function ruleCounts(run: RunContext): readonly number[] {
  return run.options.ruleCounts ?? (run.quick ? [22, 300] : [22, 300, 3_000]);
}

/** Packs a plan with its routing order for the matchers. */
function packedBatch(
  router: Router,
  plan: Plan,
): { tables: CompiledTables; batch: TaskBatch } {
  const view = router.routeView(plan);
  return {
    tables: router.tables,
    batch: packTasks(router.tables, plan.tasks, view.order),
  };
}

async function runScale(run: RunContext): Promise<void> {
  const suite = "scale";
  let wasm: WasmMatcher | null = null;
  try {
    wasm = await WasmMatcher.create(run.options.wasmUrl);
  } catch (error) {
    run.notes.push(`In-process WASM matcher unavailable: ${String(error)}`);
  }
  for (const tasks of scaleSizes(run)) {
    run.progress(suite, `generating a plan of ${tasks} tasks`);
    const plan = scalePlan(tasks);
    for (const rules of ruleCounts(run)) {
      if (tasks * rules > MAX_SCALE_WORK) {
        run.notes.push(
          `scale: ${tasks} tasks x ${rules} rules skipped (over ${MAX_SCALE_WORK} task-rules)`,
        );
        continue;
      }
      const router = new Router(scaleRuleSet(rules));
      const opts = { suite, quick: run.quick, units: tasks };
      const tag = `${rules}/${tasks}`;
      run.record(
        await measure(`scale/route-js/${tag}`, () => router.routeView(plan), opts),
      );

      const { tables, batch } = packedBatch(router, plan);
      const output = createAssignOutput(tasks);
      const input = router.createInput();
      const jsAssign = (): void => {
        input.load.fill(0);
        assignBatch(tables, batch, input, output);
      };
      run.record(await measure(`scale/assign-js/${tag}`, jsAssign, opts));
      if (wasm !== null) {
        const matcher = wasm;
        const wasmOutput = createAssignOutput(tasks);
        const wasmAssign = (): void => {
          input.load.fill(0);
          matcher.assignBatch(tables, batch, input, wasmOutput);
        };
        wasmAssign();
        jsAssign();
        check(sameOutput(output, wasmOutput), `WASM and JS matchers agree on ${tag}`);
        run.record(await measure(`scale/assign-wasm/${tag}`, wasmAssign, opts));
      }
      if (run.options.worker !== false) {
        await workerScale(run, plan, scaleRuleSet(rules), tag);
      }
    }
  }
}

function sameOutput(
  a: ReturnType<typeof createAssignOutput>,
  b: ReturnType<typeof createAssignOutput>,
): boolean {
  const fields = ["via", "agent", "rule", "reason", "loadBefore"] as const;
  return fields.every((field) => a[field].every((value, i) => value === b[field][i]));
}

async function runBaselines(run: RunContext): Promise<void> {
  const suite = "baselines";
  const tasks = run.options.baselineTasks ?? (run.quick ? 200 : 1_000);

  // json-rules-engine on the default rule set, against the engine's Router,
  // on the same plan: tasks typed cyclically over the default rule types.
  const defaultTypes = DEFAULT_RULE_SET.rules.map((rule) => rule.when.taskType as string);
  const defaultPlan = independentPlan(tasks, defaultTypes);
  const router = new Router(DEFAULT_RULE_SET);
  const jre = new JreRouter(DEFAULT_RULE_SET);
  const opts = { suite, quick: run.quick, units: tasks };
  check(
    sameRoute(await jre.route(defaultPlan), router.route(defaultPlan)),
    "json-rules-engine and the Router route the default plan alike",
  );
  run.record(
    await measure(
      `baseline/router/default/${tasks}`,
      () => router.route(defaultPlan),
      opts,
    ),
  );
  run.record(
    await measure(
      `baseline/router-view/default/${tasks}`,
      () => router.routeView(defaultPlan),
      {
        ...opts,
        note: "results built lazily, as the worker client returns them",
      },
    ),
  );
  run.record(
    await measure(`baseline/jre/default/${tasks}`, () => jre.route(defaultPlan), {
      ...opts,
      minSamples: run.quick ? 3 : 10,
    }),
  );
  run.record(
    await measure(
      `baseline/naive/default/${tasks}`,
      () => naiveRoute(defaultPlan, DEFAULT_RULE_SET),
      opts,
    ),
  );

  const plan = generatePlan(tasks, { types: agentTaskTypes(DEFAULT_RULE_SET.agents) });
  for (const rules of ruleCounts(run).includes(3_000)
    ? ruleCounts(run)
    : [...ruleCounts(run), 3_000]) {
    const ruleSet = scaleRuleSet(rules);
    const scaled = new Router(ruleSet);
    check(
      sameRoute(naiveRoute(plan, ruleSet), scaled.route(plan)),
      `the naive router and the Router agree at ${rules} rules`,
    );
    run.record(
      await measure(`baseline/router/${rules}/${tasks}`, () => scaled.route(plan), opts),
    );
    run.record(
      await measure(`baseline/naive/${rules}/${tasks}`, () => naiveRoute(plan, ruleSet), {
        ...opts,
        minSamples: run.quick ? 3 : 10,
      }),
    );
    if (rules <= 300) {
      const jreScaled = new JreRouter(ruleSet);
      run.record(
        await measure(`baseline/jre/${rules}/${tasks}`, () => jreScaled.route(plan), {
          ...opts,
          minSamples: 3,
        }),
      );
    }
  }
}

function memoryReading(
  name: string,
  tasks: number,
  before: MemorySample,
  after: MemorySample,
): MemoryReading {
  const delta =
    before.usedBytes === null || after.usedBytes === null
      ? null
      : after.usedBytes - before.usedBytes;
  return {
    name,
    tasks,
    deltaBytes: delta,
    peakRssBytes: after.peakBytes,
    bytesPerTask: delta === null ? null : delta / tasks,
    source: after.source,
  };
}

/**
 * Memory of routing a large plan: the plan objects themselves, the packed
 * in-process result kept alive, and a route through the worker. Each delta
 * is taken after a garbage collection when the runtime allows one, so it is
 * what stays reachable, not the transient peak. The peak is the runtime's own
 * high-water mark where it has one (Node's maxRSS, for the whole process).
 */
async function runMemory(run: RunContext): Promise<void> {
  const probe = run.options.memoryProbe;
  const tasks = run.options.memoryTasks ?? (run.quick ? 100_000 : 1_000_000);
  const read = async (): Promise<MemorySample> => {
    run.options.collectGarbage?.();
    return probe === undefined
      ? { usedBytes: null, peakBytes: null, source: "unavailable" }
      : probe();
  };
  planCache.clear();

  const empty = await read();
  const plan = scalePlan(tasks);
  const withPlan = await read();
  run.memory.push(memoryReading("memory/plan-objects", tasks, empty, withPlan));

  const router = new Router(scaleRuleSet(22));
  const view = router.routeView(plan);
  const withView = await read();
  check(view.size === tasks, "the memory run routed every task");
  run.memory.push(memoryReading("memory/route-view-js/22", tasks, withPlan, withView));

  if (run.options.worker !== false) {
    const client = await createRouter({
      engine: "wasm",
      ruleSet: scaleRuleSet(22),
      timeoutMs: 120_000,
      ...(run.options.wasmUrl === undefined ? {} : { wasmUrl: run.options.wasmUrl }),
    });
    try {
      const beforeRoute = await read();
      const result = await client.route(plan);
      const afterRoute = await read();
      check(result.order.length === tasks, "the worker routed every task");
      run.memory.push(
        memoryReading(
          "memory/worker-wasm/22 (main thread)",
          tasks,
          beforeRoute,
          afterRoute,
        ),
      );
    } finally {
      client.terminate();
    }
  }
}

/** Runs the chosen suites and returns a JSON-able report. */
export async function runSuite(options: SuiteOptions): Promise<BenchReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const run = createRunContext(options);
  let referenceSumMs: number | null = null;
  const known = new Set<string>(SUITES);
  for (const suite of options.suites) {
    if (!known.has(suite)) {
      throw new Error(
        `Unknown benchmark suite "${suite}"; expected one of ${SUITES.join(", ")}`,
      );
    }
  }
  for (const suite of SUITES) {
    if (!options.suites.includes(suite)) continue;
    run.progress(suite, `suite ${suite} started`);
    switch (suite) {
      case "reference":
        referenceSumMs = await runReference(run);
        break;
      case "scale":
        await runScale(run);
        break;
      case "baselines":
        await runBaselines(run);
        break;
      case "worker":
        if (options.worker !== false) await runWorkerSuite(run);
        break;
      case "memory":
        await runMemory(run);
        break;
      default:
        suite satisfies never;
    }
  }
  return {
    format: "switchyard/bench-report",
    version: 1,
    startedAt,
    durationMs: performance.now() - started,
    quick: run.quick,
    suites: [...options.suites],
    environment: options.environment ?? {},
    results: run.results,
    memory: run.memory,
    boundary: run.boundary,
    goals: computeGoals(run.results, run.boundary, referenceSumMs, options.runtime),
    referenceSumMs,
    notes: run.notes,
  };
}
