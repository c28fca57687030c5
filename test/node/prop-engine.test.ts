/**
 * Property-based tests with fast-check: the naive router, the JS engine and
 * the in-process WASM matcher agree; DAG orders respect every dependency and
 * hierarchy rule; failed updates roll back; rule-set files round-trip byte
 * for byte; the validator never returns NaN or Infinity.
 */

import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { naiveRoute } from "../../bench/naive-router.js";
import {
  buildGraph,
  findCycle,
  planDepth,
  topologicalOrder,
} from "../../src/engine/dag/index.js";
import { CycleError, SwitchyardError } from "../../src/engine/errors.js";
import { MAX_CONCURRENT, MAX_PRIORITY } from "../../src/engine/limits.js";
import { Planner } from "../../src/engine/planner/planner.js";
import { assignBatch, createAssignOutput } from "../../src/engine/router/match.js";
import { Router } from "../../src/engine/router/router.js";
import {
  canonicalJson,
  DEFAULT_PLANNER_LIMITS,
  parseRuleSet,
} from "../../src/engine/schema/index.js";
import type { Plan, RouteResult, RuleSet, Task } from "../../src/engine/types.js";
import { validatePlan } from "../../src/engine/validator/validate.js";
import { packTasks } from "../../src/engine/router/pack.js";
import { WasmMatcher } from "../../src/worker/wasm-matcher.js";
import {
  Random,
  generateOptions,
  generatePlan,
  generateRuleSet,
} from "./differential-harness.js";

const RUNS = 150;

let wasm: WasmMatcher;

beforeAll(async () => {
  wasm = await WasmMatcher.create();
});

function task(id: string, extra: Partial<Task> = {}): Task {
  return {
    id,
    type: "t",
    description: "",
    dependsOn: [],
    status: "pending",
    metadata: {},
    ...extra,
  };
}

function plan(tasks: Task[]): Plan {
  return { format: "switchyard/plan", version: 1, tasks };
}

/** A random task graph: each task may depend on any task and have a parent. */
const graphArbitrary = fc
  .integer({ min: 0, max: 9 })
  .chain((count) =>
    fc.record({
      deps: fc.array(
        fc.array(fc.nat({ max: Math.max(count - 1, 0) }), { maxLength: 3 }),
        {
          minLength: count,
          maxLength: count,
        },
      ),
      parents: fc.array(
        fc.option(fc.nat({ max: Math.max(count - 1, 0) }), { nil: undefined }),
        {
          minLength: count,
          maxLength: count,
        },
      ),
    }),
  )
  .map(({ deps, parents }) =>
    deps.map((targets, i) => {
      const extra: Partial<Task> = {
        dependsOn: [...new Set(targets)].map((t) => `n${t}`),
      };
      const parent = parents[i];
      if (parent !== undefined) extra.parent = `n${parent}`;
      return task(`n${i}`, extra);
    }),
  );

/** Ancestors of each task through `parent`, stopping on a loop. */
function ancestorsOf(tasks: readonly Task[]): Map<string, string[]> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const result = new Map<string, string[]>();
  for (const t of tasks) {
    const chain: string[] = [];
    let parent = t.parent;
    while (parent !== undefined && !chain.includes(parent) && parent !== t.id) {
      chain.push(parent);
      parent = byId.get(parent)?.parent;
    }
    result.set(t.id, chain);
  }
  return result;
}

/** Checks every ordering rule of the task graph against a routing order. */
function expectOrderRespectsGraph(
  tasks: readonly Task[],
  order: readonly string[],
): void {
  expect([...order].sort()).toEqual(tasks.map((t) => t.id).sort());
  const position = new Map(order.map((id, i) => [id, i]));
  const ancestors = ancestorsOf(tasks);
  for (const t of tasks) {
    const at = position.get(t.id)!;
    const chain = ancestors.get(t.id)!;
    for (const ancestor of chain) {
      expect(position.get(ancestor)!, `${ancestor} before child ${t.id}`).toBeLessThan(
        at,
      );
    }
    // A task waits for its own dependencies and for those of its ancestors,
    // and a dependency on a composite means all of its descendants.
    const owners = [t, ...chain.map((id) => tasks.find((x) => x.id === id)!)];
    for (const owner of owners) {
      for (const dependency of owner.dependsOn) {
        const covered = tasks.filter(
          (x) => x.id === dependency || ancestors.get(x.id)!.includes(dependency),
        );
        for (const x of covered) {
          expect(position.get(x.id)!, `${x.id} before ${t.id}`).toBeLessThan(at);
        }
      }
    }
  }
}

/** Longest path in edges by exhaustive search over a flat acyclic graph. */
function bruteForceDepth(tasks: readonly Task[]): number {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const longestFrom = (id: string): number => {
    let best = 0;
    for (const dependency of byId.get(id)!.dependsOn) {
      best = Math.max(best, 1 + longestFrom(dependency));
    }
    return best;
  };
  return Math.max(0, ...tasks.map((t) => longestFrom(t.id)));
}

/**
 * The result without explanation texts: the engine appends which matched
 * rule found its agent full, and the naive router does not, so texts are
 * compared by prefix instead.
 */
function withoutExplanations(result: RouteResult): unknown {
  return {
    ...result,
    assignments: result.assignments.map(({ explanation: _text, ...rest }) => rest),
    unassigned: result.unassigned.map(({ explanation: _text, ...rest }) => rest),
  };
}

function expectExplanationPrefixes(actual: RouteResult, expected: RouteResult): void {
  const pairs = [
    ...actual.assignments.map((a, i) => [a, expected.assignments[i]!] as const),
    ...actual.unassigned.map((u, i) => [u, expected.unassigned[i]!] as const),
  ];
  for (const [mine, naive] of pairs) {
    const text = mine.explanation.normalize("NFC");
    expect(text.startsWith(naive.explanation.normalize("NFC")), text).toBe(true);
  }
}

/**
 * The plan with NFC task types, for the naive router.
 * NOTE: the naive router compares task types without normalising them, so
 * "cafe\u0301" finds no agent of type "café" there while the engine finds
 * one; remove this once bench/naive-router.ts normalises task types.
 */
function withNfcTypes(input: Plan): Plan {
  return {
    ...input,
    tasks: input.tasks.map((t) => ({ ...t, type: t.type.normalize("NFC") })),
  };
}

describe("router agreement", () => {
  test("naive, JS and WASM engines give identical routes", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom(0, 1, MAX_PRIORITY, -MAX_PRIORITY),
        (seed, taskCount, extremePriority) => {
          const random = new Random(seed);
          const generated = generateRuleSet(random);
          // Push one rule to the priority limit and one agent to the capacity limit.
          const rules = generated.rules.map((rule, i) =>
            i === 0 && extremePriority !== 0
              ? { ...rule, priority: extremePriority }
              : rule,
          );
          const agents = generated.agents.map((agent, i) =>
            i === 0 && extremePriority === MAX_PRIORITY
              ? { ...agent, maxConcurrent: MAX_CONCURRENT }
              : agent,
          );
          const ruleSet = parseRuleSet({ ...generated, agents, rules });
          const routed = generatePlan(random, taskCount);
          const options = generateOptions(random, ruleSet);

          const router = new Router(ruleSet);
          let expected: RouteResult;
          try {
            expected = naiveRoute(withNfcTypes(routed), ruleSet, options);
          } catch (error) {
            expect(error).toBeInstanceOf(CycleError);
            expect(() => router.route(routed, options)).toThrow(CycleError);
            return;
          }
          const actual = router.route(routed, options);
          expect(withoutExplanations(actual)).toEqual(withoutExplanations(expected));
          expectExplanationPrefixes(actual, expected);

          const order = Int32Array.from(expected.order, (id) =>
            routed.tasks.findIndex((t) => t.id === id),
          );
          const batch = packTasks(router.tables, routed.tasks, order);
          const jsInput = router.createInput(options);
          const wasmInput = router.createInput(options);
          const jsOutput = createAssignOutput(batch.taskCount);
          const wasmOutput = createAssignOutput(batch.taskCount);
          assignBatch(router.tables, batch, jsInput, jsOutput);
          wasm.assignBatch(router.tables, batch, wasmInput, wasmOutput);
          expect(wasmOutput).toEqual(jsOutput);
          expect(wasmInput.load).toEqual(jsInput.load);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("DAG invariants", () => {
  test("order respects dependencies and hierarchy", () => {
    fc.assert(
      fc.property(graphArbitrary, (tasks) => {
        const graph = buildGraph(tasks);
        const cycle = findCycle(graph);
        let order: Int32Array | undefined;
        try {
          order = topologicalOrder(graph);
        } catch (error) {
          expect(error).toBeInstanceOf(CycleError);
        }
        // Sort and cycle check agree.
        expect(order === undefined).toBe(cycle !== null);
        if (order === undefined) {
          expect(cycle![0]).toBe(cycle![cycle!.length - 1]);
          return;
        }
        expectOrderRespectsGraph(
          tasks,
          Array.from(order, (i) => tasks[i]!.id),
        );
      }),
      { numRuns: 400 },
    );
  });

  test("depth equals brute-force longest path", () => {
    const flatGraph = graphArbitrary.map((tasks) =>
      // Edges only to earlier tasks and no parents: always acyclic.
      tasks.map((t, i) =>
        task(t.id, { dependsOn: t.dependsOn.filter((d) => Number(d.slice(1)) < i) }),
      ),
    );
    fc.assert(
      fc.property(flatGraph, (tasks) => {
        expect(planDepth(buildGraph(tasks))).toBe(bruteForceDepth(tasks));
      }),
      { numRuns: 400 },
    );
  });
});

describe("update rollback", () => {
  const planner = new Planner({
    templates: [],
    refinements: {},
    atomicTypes: [],
    limits: { ...DEFAULT_PLANNER_LIMITS, maxSubtasksPerUpdate: 4 },
  });
  const base = plan([
    task("a"),
    task("b", { dependsOn: ["a"] }),
    task("c", { parent: "b" }),
  ]);

  test("a failed update leaves the plan deep-equal", () => {
    const subtask = fc.record({
      id: fc.constantFrom("a", "b", "c", "s1", "s2", "s3", ""),
      type: fc.constantFrom("t", ""),
      dependsOn: fc.array(fc.constantFrom("a", "b", "c", "s1", "s2", "s3", "zz"), {
        maxLength: 2,
      }),
    });
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom("a", "b", "c", "zz"), { nil: undefined }),
        fc.array(subtask, { maxLength: 6 }),
        fc.array(fc.constantFrom("a", "b", "zz"), { maxLength: 2 }),
        (parent, subtasks, completed) => {
          const before = structuredClone(base);
          const change =
            parent === undefined
              ? { subtasks, completed }
              : { parent, subtasks, completed };
          try {
            const after = planner.update(base, change);
            expect(after.tasks.length).toBe(base.tasks.length + subtasks.length);
          } catch (error) {
            expect(error).toBeInstanceOf(SwitchyardError);
          }
          expect(base).toEqual(before);
          // The plan is still usable after a failed update.
          expect(planner.update(base, { completed: ["a"] }).tasks[0]!.status).toBe(
            "completed",
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("rule-set files", () => {
  test("export then import gives the same rule set and bytes", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const ruleSet: RuleSet = parseRuleSet(generateRuleSet(new Random(seed)));
        const text = canonicalJson(ruleSet);
        const imported = parseRuleSet(JSON.parse(text));
        expect(imported).toEqual(ruleSet);
        expect(canonicalJson(imported)).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("validator output", () => {
  /** Collects every number inside a value, with its path. */
  function numbersIn(value: unknown, path = "result"): [string, number][] {
    if (typeof value === "number") return [[path, value]];
    if (value === null || typeof value !== "object") return [];
    return Object.entries(value).flatMap(([key, item]) =>
      numbersIn(item, `${path}.${key}`),
    );
  }

  test("never contains NaN or Infinity", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom(0, 1, 5, 40),
        fc.constantFrom(0, 1, 0.5, undefined),
        fc.option(fc.constantFrom(0, 1e-300, 1e300, 7), { nil: undefined }),
        (seed, taskCount, successRate, budget) => {
          const random = new Random(seed);
          const generated = generateRuleSet(random);
          const agents = generated.agents.map((agent) => {
            const { successRate: _dropped, ...rest } = agent;
            return successRate === undefined ? rest : { ...rest, successRate };
          });
          const ruleSet = parseRuleSet({ ...generated, agents });
          const routed = generatePlan(random, taskCount);
          let route: RouteResult | Record<string, string>;
          try {
            route = new Router(ruleSet).route(routed);
          } catch (error) {
            // A plan with a cycle cannot be routed; validate it unassigned.
            expect(error).toBeInstanceOf(CycleError);
            route = {};
          }
          const options = budget === undefined ? {} : { budget };
          const result = validatePlan(routed, route, ruleSet, options);
          for (const [path, value] of numbersIn(JSON.parse(JSON.stringify(result)))) {
            expect(Number.isFinite(value), path).toBe(true);
          }
          for (const [path, value] of numbersIn(result)) {
            expect(Number.isFinite(value), path).toBe(true);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("huge plans keep the score finite", () => {
    const ruleSet = parseRuleSet({
      format: "switchyard/ruleset",
      version: 1,
      name: "huge",
      agents: [
        { id: "A", taskTypes: ["t"], successRate: 0.5, maxConcurrent: MAX_CONCURRENT },
      ],
      rules: [],
    });
    const tasks = Array.from({ length: 5_000 }, (_, i) =>
      task(`h${i}`, { description: `work ${i}`, dependsOn: i > 0 ? [`h${i - 1}`] : [] }),
    );
    const huge = plan(tasks);
    const result = validatePlan(huge, new Router(ruleSet).route(huge), ruleSet, {
      maxTasks: 10_000,
      budget: 1e308,
    });
    for (const [path, value] of numbersIn(result)) {
      expect(Number.isFinite(value), path).toBe(true);
    }
    expect(result.checks.structure).toBe(false);
  });
});
