import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  buildGraph,
  CycleError,
  findCycle,
  generations,
  layeredOrder,
  orderPlan,
  PlanError,
  planDepth,
  topologicalOrder,
  type Plan,
  type Task,
} from "../../src/engine/index.js";

type TaskSpec = [id: string, dependsOn?: string[], parent?: string];

function task([id, dependsOn = [], parent]: TaskSpec): Task {
  const out: Task = {
    id,
    type: "t",
    description: "",
    dependsOn,
    status: "pending",
    metadata: {},
  };
  if (parent !== undefined) out.parent = parent;
  return out;
}

function plan(...specs: TaskSpec[]): Plan {
  return { format: "switchyard/plan", version: 1, tasks: specs.map(task) };
}

function chain(n: number): Plan {
  const tasks: Task[] = [];
  for (let i = 0; i < n; i++) tasks.push(task([`t${i}`, i === 0 ? [] : [`t${i - 1}`]]));
  return { format: "switchyard/plan", version: 1, tasks };
}

function cycleOf(p: Plan): string[] | undefined {
  try {
    orderPlan(p);
  } catch (error) {
    if (error instanceof CycleError) return error.details["cycle"] as string[];
    throw error;
  }
  return undefined;
}

describe("layered order", () => {
  test("roots come first in plan order", () => {
    expect(orderPlan(plan(["c", ["a"]], ["a"], ["b"]))).toEqual(["a", "b", "c"]);
  });

  test("next layer follows scan order", () => {
    // Scanning a frees c, then scanning b frees d.
    const p = plan(["d", ["b"]], ["c", ["a"]], ["a"], ["b"]);
    expect(orderPlan(p)).toEqual(["a", "b", "c", "d"]);
  });

  test("composite comes before its children", () => {
    expect(orderPlan(plan(["child", [], "parent"], ["parent"]))).toEqual([
      "parent",
      "child",
    ]);
  });

  test("dependent of composite waits for descendants", () => {
    const p = plan(["after", ["p"]], ["p"], ["c1", [], "p"], ["g", [], "c1"]);
    const order = orderPlan(p);
    expect(order.indexOf("after")).toBeGreaterThan(order.indexOf("g"));
    expect(order.indexOf("after")).toBeGreaterThan(order.indexOf("c1"));
  });

  test("composite dependsOn applies to descendants", () => {
    const p = plan(["p", ["x"]], ["c", [], "p"], ["x"]);
    const order = orderPlan(p);
    expect(order.indexOf("c")).toBeGreaterThan(order.indexOf("x"));
  });

  test("empty plan gives empty order", () => {
    expect(orderPlan(plan())).toEqual([]);
    expect(generations(buildGraph([]))).toEqual([]);
  });

  test("rejects out-of-range packed input", () => {
    const offsets = Int32Array.from([0, 1]);
    expect(() =>
      layeredOrder(1, Int32Array.from([-1]), offsets, Int32Array.from([5])),
    ).toThrow(RangeError);
    expect(() =>
      layeredOrder(1, Int32Array.from([3]), Int32Array.from([0, 0]), new Int32Array(0)),
    ).toThrow(RangeError);
    expect(() =>
      layeredOrder(2, Int32Array.from([-1, -1]), Int32Array.from([0]), new Int32Array(0)),
    ).toThrow(RangeError);
  });

  test("packed layers report their starts", () => {
    const result = layeredOrder(
      3,
      Int32Array.from([-1, -1, -1]),
      Int32Array.from([0, 0, 1, 2]),
      Int32Array.from([0, 1]),
    );
    expect("order" in result).toBe(true);
    if (!("order" in result)) return;
    expect([...result.order]).toEqual([0, 1, 2]);
    expect([...result.layerStarts]).toEqual([0, 1, 2, 3]);
  });
});

describe("cycles", () => {
  test("self-dependency is exactly a -> a", () => {
    const p = plan(["a", ["a"]], ["b", ["a"]]);
    expect(cycleOf(p)).toEqual(["a", "a"]);
    expect(() => orderPlan(p)).toThrow("a -> a");
    expect(findCycle(buildGraph(p.tasks))).toEqual(["a", "a"]);
  });

  test("names the whole cycle", () => {
    const p = plan(["a", ["c"]], ["b", ["a"]], ["c", ["b"]], ["d", ["c"]]);
    expect(cycleOf(p)).toEqual(["a", "c", "b", "a"]);
    expect(() => orderPlan(p)).toThrow("a -> c -> b -> a");
  });

  test("error carries code and cycle", () => {
    let caught: unknown;
    try {
      orderPlan(plan(["x", ["y"]], ["y", ["x"]]));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CycleError);
    expect((caught as CycleError).code).toBe("E_CYCLE");
    expect((caught as CycleError).details["cycle"]).toEqual(["x", "y", "x"]);
  });

  test("depending on own ancestor is a cycle", () => {
    const p = plan(["p"], ["c", ["p"], "p"]);
    expect(cycleOf(p)).toEqual(["p", "c", "p"]);
  });

  test("depending on a grand-ancestor is a cycle", () => {
    const p = plan(["root"], ["mid", [], "root"], ["leaf", ["root"], "mid"]);
    const cycle = cycleOf(p);
    expect(cycle).toBeDefined();
    expect(cycle).toContain("leaf");
    expect(cycle).toContain("root");
  });

  test("composite depending on its child is a cycle", () => {
    expect(cycleOf(plan(["p", ["c"]], ["c", [], "p"]))).toEqual(["p", "c", "p"]);
  });

  test("own parent is a cycle", () => {
    expect(cycleOf(plan(["a", [], "a"]))).toEqual(["a", "a"]);
  });

  test("cycle through a composite folds its subtree", () => {
    const p = plan(["p", ["x"]], ["c", [], "p"], ["x", ["p"]]);
    expect(cycleOf(p)).toEqual(["p", "x", "p"]);
  });

  test("sort and cycle check agree on random graphs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.integer({ min: -1, max: n - 1 }), { minLength: n, maxLength: n }),
            fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), {
              minLength: n,
              maxLength: n,
            }),
          ),
        ),
        ([n, parents, deps]) => {
          const tasks = Array.from({ length: n }, (_, i) =>
            task([
              `t${i}`,
              deps[i]!.map((d) => `t${d}`),
              parents[i]! >= 0 ? `t${parents[i]}` : undefined,
            ]),
          );
          const graph = buildGraph(tasks);
          const cycle = findCycle(graph);
          let order: Int32Array | undefined;
          try {
            order = topologicalOrder(graph);
          } catch (error) {
            expect(error).toBeInstanceOf(CycleError);
          }
          expect(cycle === null).toBe(order !== undefined);
          if (order !== undefined)
            checkOrderValid(
              tasks,
              [...order].map((i) => tasks[i]!.id),
            );
          if (cycle !== null) checkCycleValid(tasks, cycle);
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** Checks every rule of the hierarchy semantics on an order. */
function checkOrderValid(tasks: Task[], order: string[]): void {
  const position = new Map(order.map((id, i) => [id, i]));
  const byId = new Map(tasks.map((t) => [t.id, t]));
  expect(order.length).toBe(tasks.length);
  const descendants = (id: string): string[] =>
    tasks
      .filter((t) => {
        for (let p = t.parent; p !== undefined; p = byId.get(p)!.parent)
          if (p === id) return true;
        return false;
      })
      .map((t) => t.id);
  for (const t of tasks) {
    if (t.parent !== undefined)
      expect(position.get(t.parent)!).toBeLessThan(position.get(t.id)!);
    for (const d of t.dependsOn) {
      expect(position.get(d)!).toBeLessThan(position.get(t.id)!);
      for (const sub of descendants(d))
        expect(position.get(sub)!).toBeLessThan(position.get(t.id)!);
    }
  }
}

/** Checks that each step of a cycle is a "waits for" relation. */
function checkCycleValid(tasks: Task[], cycle: string[]): void {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  expect(cycle[0]).toBe(cycle[cycle.length - 1]);
  const isDescendantOrSelf = (id: string, ancestor: string): boolean => {
    const seen = new Set<string>();
    for (
      let p: string | undefined = id;
      p !== undefined && !seen.has(p);
      p = byId.get(p)!.parent
    ) {
      if (p === ancestor) return true;
      seen.add(p);
    }
    return false;
  };
  for (let i = 0; i + 1 < cycle.length; i++) {
    const from = byId.get(cycle[i]!)!;
    const to = cycle[i + 1]!;
    const waits =
      from.parent === to ||
      from.dependsOn.includes(to) ||
      byId.get(to)!.parent === from.id ||
      isDescendantOrSelf(to, from.id) ||
      tasks.some((t) => from.dependsOn.includes(t.id) && isDescendantOrSelf(to, t.id));
    expect(waits, `${from.id} -> ${to} in ${cycle.join(" -> ")}`).toBe(true);
  }
}

describe("graph references", () => {
  test("unknown dependency names task and id", () => {
    const tasks = plan(["fetch"], ["parse", ["fecth"]]).tasks;
    expect(() => buildGraph(tasks)).toThrow(PlanError);
    expect(() => buildGraph(tasks)).toThrow(
      /"parse" depends on unknown task "fecth" \(did you mean "fetch"\?\)/,
    );
  });

  test("unknown parent names task and id", () => {
    expect(() => buildGraph(plan(["a", [], "ghost"]).tasks)).toThrow(
      /"a" names unknown parent "ghost"/,
    );
  });

  test("duplicate ids name both positions", () => {
    expect(() =>
      buildGraph(plan(["build"], ["build"], ["ship", ["build"]]).tasks),
    ).toThrow(/duplicate task id "build" at tasks\[0\] and tasks\[1\]/);
  });
});

describe("depth and generations", () => {
  test("chain depth counts edges", () => {
    expect(planDepth(buildGraph(chain(5).tasks))).toBe(4);
    expect(planDepth(buildGraph([]))).toBe(0);
    expect(planDepth(buildGraph(plan(["a"], ["b"]).tasks))).toBe(0);
  });

  test("hierarchy edges count zero", () => {
    const p = plan(
      ["spec"],
      ["spec_r", [], "spec"],
      ["build", ["spec"]],
      ["build_c", [], "build"],
      ["deploy", ["build"]],
    );
    expect(planDepth(buildGraph(p.tasks))).toBe(2);
  });

  test("dependency on composite counts from deepest descendant", () => {
    const p = plan(["p"], ["x"], ["y", ["x"]], ["c", ["y"], "p"], ["after", ["p"]]);
    expect(planDepth(buildGraph(p.tasks))).toBe(3);
  });

  test("generations are the Kahn layers", () => {
    const p = plan(["a"], ["b"], ["c", ["a"]], ["d", ["c", "b"]], ["e", ["a"]]);
    expect(generations(buildGraph(p.tasks))).toEqual([["a", "b"], ["c", "e"], ["d"]]);
  });

  test("depth throws on a cycle", () => {
    expect(() => planDepth(buildGraph(plan(["a", ["b"]], ["b", ["a"]]).tasks))).toThrow(
      CycleError,
    );
  });
});

describe("long chains", () => {
  const big = chain(100_000);

  test("sorts 100,000-task chain", () => {
    const order = orderPlan(big);
    expect(order.length).toBe(100_000);
    expect(order[99_999]).toBe("t99999");
  });

  test("depth of 100,000-task chain", () => {
    expect(planDepth(buildGraph(big.tasks))).toBe(99_999);
  });

  test("cycle check of 100,000-task chain", () => {
    expect(findCycle(buildGraph(big.tasks))).toBeNull();
    const closed: Plan = {
      ...big,
      tasks: big.tasks.map((t, i) => (i === 0 ? { ...t, dependsOn: ["t99999"] } : t)),
    };
    const cycle = findCycle(buildGraph(closed.tasks));
    expect(cycle?.length).toBe(100_001);
  });

  test("deep hierarchy of 100,000 levels", () => {
    const tasks = Array.from({ length: 100_000 }, (_, i) =>
      task([`h${i}`, [], i === 0 ? undefined : `h${i - 1}`]),
    );
    tasks.push(task(["after", ["h0"]]));
    const order = orderPlan({ format: "switchyard/plan", version: 1, tasks });
    expect(order[order.length - 1]).toBe("after");
    expect(planDepth(buildGraph(tasks))).toBe(1);
  });
});
