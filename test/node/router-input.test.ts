/** The in-process Router on plans it cannot read: PlanError with a path, never TypeError. */

import { describe, expect, test } from "vitest";
import { PlanError } from "../../src/engine/errors.js";
import { Router } from "../../src/engine/router/router.js";
import { checkPlanShape } from "../../src/engine/router/plan-shape.js";
import type { Plan, Task } from "../../src/engine/types.js";
import { agent, plan, rule, ruleSet, task } from "./router-fixtures.js";

const router = new Router(
  ruleSet([agent("A", ["t"])], [rule("r", 1, { taskType: "t" }, "A")]),
);

const cases: [string, unknown, (string | number)[]][] = [
  ["null", null, []],
  ["array", [], []],
  ["object without tasks", { garbage: true }, ["tasks"]],
  ["null task", plan([null as unknown as Task]), ["tasks", 0]],
  [
    "task without type",
    plan([task("a", "t"), { id: "b", dependsOn: [] } as unknown as Task]),
    ["tasks", 1, "type"],
  ],
  [
    "task without dependsOn",
    plan([{ id: "a", type: "t" } as unknown as Task]),
    ["tasks", 0, "dependsOn"],
  ],
  [
    "numeric parent",
    plan([task("a", "t", { parent: 1 as unknown as string })]),
    ["tasks", 0, "parent"],
  ],
  [
    "object description",
    plan([task("a", "t", { description: {} as unknown as string })]),
    ["tasks", 0, "description"],
  ],
  [
    "unknown status",
    plan([task("a", "t", { status: "done" as Task["status"] })]),
    ["tasks", 0, "status"],
  ],
];

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("Router on malformed plans", () => {
  test.each(cases)("route rejects %s", (_name, input, path) => {
    const error = thrown(() => router.route(input as Plan));
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).code).toBe("E_PLAN_SCHEMA");
    expect((error as PlanError).path).toEqual(path);
  });

  test.each(cases)("routeView and trace reject %s", (_name, input, path) => {
    const viewError = thrown(() => router.routeView(input as Plan));
    expect(viewError).toBeInstanceOf(PlanError);
    expect((viewError as PlanError).path).toEqual(path);
    const traceError = thrown(() => router.trace(input as Plan, "a"));
    expect(traceError).toBeInstanceOf(PlanError);
    expect((traceError as PlanError).path).toEqual(path);
  });

  test("message names the dotted path and the value", () => {
    const error = thrown(() =>
      checkPlanShape(
        plan([task("a", "t"), { id: "b", type: null } as unknown as Task]),
        [2],
      ),
    );
    expect((error as PlanError).path).toEqual([2, "tasks", 1, "type"]);
    expect((error as Error).message).toContain("[2].tasks[1].type");
    expect((error as Error).message).toContain("received null");
  });

  test("well-formed plan without optional fields passes", () => {
    const minimal = plan([{ id: "a", type: "t", dependsOn: [] } as unknown as Task]);
    expect(() => checkPlanShape(minimal)).not.toThrow();
    expect(router.route(minimal).assignments).toHaveLength(1);
  });
});
