import { describe, expect, test } from "vitest";
import {
  parsePlan,
  PlanError,
  safeParsePlan,
  type SchemaProblem,
} from "../../src/engine/index.js";

const base = { format: "switchyard/plan", version: 1 };

function problemsOf(input: unknown): SchemaProblem[] {
  const result = safeParsePlan(input);
  if (result.ok) throw new Error("expected the plan to be rejected");
  return result.problems;
}

function withTasks(...tasks: unknown[]): unknown {
  return { ...base, tasks };
}

describe("parsePlan", () => {
  test("applies defaults", () => {
    const plan = parsePlan(withTasks({ id: "a", type: "build", description: "" }));
    expect(plan.tasks[0]).toEqual({
      id: "a",
      type: "build",
      description: "",
      dependsOn: [],
      status: "pending",
      metadata: {},
    });
    expect("parent" in plan.tasks[0]!).toBe(false);
  });

  test("keeps goal, parent, status and metadata", () => {
    const input = {
      ...base,
      goal: "ship it",
      tasks: [
        { id: "p", type: "x", description: "d" },
        {
          id: "c",
          type: "y",
          description: "",
          parent: "p",
          status: "failed",
          metadata: { env: { region: "eu", tags: ["a", 1, true, null] }, n: 2.5 },
        },
      ],
    };
    const plan = parsePlan(input);
    expect(plan.goal).toBe("ship it");
    expect(plan.tasks[1]).toMatchObject({ parent: "p", status: "failed" });
    expect(plan.tasks[1]!.metadata).toEqual(input.tasks[1]!.metadata);
  });

  test("copies metadata instead of sharing it", () => {
    const metadata = { nested: { value: 1 } };
    const plan = parsePlan(withTasks({ id: "a", type: "t", description: "", metadata }));
    expect(plan.tasks[0]!.metadata["nested"]).not.toBe(metadata.nested);
  });

  test("throws PlanError with problems", () => {
    let caught: unknown;
    try {
      parsePlan(withTasks({ id: "", type: "t", description: "" }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PlanError);
    const error = caught as PlanError;
    expect(error.code).toBe("E_PLAN_SCHEMA");
    expect(error.path).toEqual(["tasks", 0, "id"]);
    expect((error.details["problems"] as SchemaProblem[])[0]!.path).toBe("tasks[0].id");
  });

  test("duplicate ids name id and both positions", () => {
    const problems = problemsOf(
      withTasks(
        { id: "build", type: "compile", description: "" },
        { id: "build", type: "package", description: "" },
        { id: "ship", type: "deploy", description: "", dependsOn: ["build"] },
      ),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe("tasks[1].id");
    expect(problems[0]!.message).toContain('"build"');
    expect(problems[0]!.message).toContain("tasks[0]");
    expect(problems[0]!.message).toContain("tasks[1]");
  });

  test("unknown dependency names task, id and hint", () => {
    const problems = problemsOf(
      withTasks(
        { id: "fetch", type: "io", description: "" },
        { id: "parse", type: "cpu", description: "", dependsOn: ["fecth"] },
      ),
    );
    expect(problems[0]!.path).toBe("tasks[1].dependsOn[0]");
    expect(problems[0]!.message).toContain('"parse"');
    expect(problems[0]!.message).toContain('"fecth"');
    expect(problems[0]!.message).toContain('did you mean "fetch"');
  });

  test("unknown parent is rejected", () => {
    const problems = problemsOf(
      withTasks({ id: "a", type: "t", description: "", parent: "zzz" }),
    );
    expect(problems[0]!.path).toBe("tasks[0].parent");
    expect(problems[0]!.message).toContain('"zzz"');
  });

  test("reference problems come with schema problems", () => {
    const problems = problemsOf(
      withTasks(
        { id: "a", type: "", description: "" },
        { id: "a", type: "t", description: "" },
      ),
    );
    expect(problems.map((p) => p.path)).toEqual(["tasks[0].type", "tasks[1].id"]);
  });

  test("metadata nesting of 8 is accepted", () => {
    let metadata: Record<string, unknown> = { leaf: 1 };
    for (let i = 1; i < 8; i++) metadata = { inner: metadata };
    expect(
      safeParsePlan(withTasks({ id: "a", type: "t", description: "", metadata })).ok,
    ).toBe(true);
  });

  test("metadata nesting of 9 is rejected", () => {
    let metadata: Record<string, unknown> = { leaf: 1 };
    for (let i = 1; i < 9; i++) metadata = { inner: metadata };
    const problems = problemsOf(
      withTasks({ id: "a", type: "t", description: "", metadata }),
    );
    expect(problems[0]!.message).toContain("deeper than 8");
  });

  test("very deep input is a problem, not a crash", () => {
    let metadata: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) metadata = { inner: metadata };
    const problems = problemsOf(
      withTasks({ id: "a", type: "t", description: "", metadata }),
    );
    expect(problems[0]!.message).toContain("nesting deeper than");
  });

  test("cyclic object is a problem, not a crash", () => {
    const metadata: Record<string, unknown> = {};
    metadata["self"] = metadata;
    const problems = problemsOf(
      withTasks({ id: "a", type: "t", description: "", metadata }),
    );
    expect(problems.length).toBeGreaterThan(0);
  });

  test("prototype keys in metadata are rejected", () => {
    const input = JSON.parse(
      '{"format":"switchyard/plan","version":1,"tasks":[{"id":"a","type":"t","description":"","metadata":{"__proto__":{"polluted":1}}}]}',
    ) as unknown;
    const problems = problemsOf(input);
    expect(problems[0]!.path).toBe("tasks[0].metadata.__proto__");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  test.each<[string, unknown, string]>([
    ["missing format", { version: 1, tasks: [] }, "format"],
    ["wrong format", { ...base, format: "plan" }, "format"],
    ["wrong version", { ...base, version: 2, tasks: [] }, "version"],
    ["unknown top key", { ...base, tasks: [], extra: 1 }, "extra"],
    ["tasks not array", { ...base, tasks: {} }, "tasks"],
    [
      "unknown task key",
      withTasks({ id: "a", type: "t", description: "", owner: "x" }),
      "tasks[0].owner",
    ],
    [
      "id too long",
      withTasks({ id: "x".repeat(129), type: "t", description: "" }),
      "tasks[0].id",
    ],
    ["empty type", withTasks({ id: "a", type: "", description: "" }), "tasks[0].type"],
    ["missing description", withTasks({ id: "a", type: "t" }), "tasks[0].description"],
    [
      "bad status",
      withTasks({ id: "a", type: "t", description: "", status: "done" }),
      "tasks[0].status",
    ],
    [
      "dependsOn not array",
      withTasks({ id: "a", type: "t", description: "", dependsOn: "b" }),
      "tasks[0].dependsOn",
    ],
    [
      "metadata array",
      withTasks({ id: "a", type: "t", description: "", metadata: [] }),
      "tasks[0].metadata",
    ],
    [
      "infinite number",
      withTasks({ id: "a", type: "t", description: "", metadata: { n: Infinity } }),
      "tasks[0].metadata.n",
    ],
    [
      "NaN",
      withTasks({ id: "a", type: "t", description: "", metadata: { n: Number.NaN } }),
      "tasks[0].metadata.n",
    ],
    [
      "object in array",
      withTasks({ id: "a", type: "t", description: "", metadata: { list: [{}] } }),
      "tasks[0].metadata.list[0]",
    ],
    [
      "bigint",
      withTasks({ id: "a", type: "t", description: "", metadata: { n: 1n } }),
      "tasks[0].metadata.n",
    ],
    ["input not object", "plan", "(root)"],
  ])("rejects %s", (_name, input, path) => {
    const problems = problemsOf(input);
    expect(problems.map((p) => p.path)).toContain(path);
  });

  test("id of 128 characters is accepted", () => {
    expect(
      safeParsePlan(withTasks({ id: "x".repeat(128), type: "t", description: "" })).ok,
    ).toBe(true);
  });

  test("missing field says what was expected", () => {
    const problems = problemsOf(withTasks({ id: "a", description: "" }));
    expect(problems[0]).toMatchObject({ path: "tasks[0].type", expected: "string" });
  });
});
