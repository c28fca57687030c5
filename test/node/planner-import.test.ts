import { describe, expect, test } from "vitest";
import { importPlan, PlanError, type SchemaProblem } from "../../src/engine/index.js";

function problemsOf(input: unknown): SchemaProblem[] {
  try {
    importPlan(input);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return (error as PlanError).details["problems"] as SchemaProblem[];
  }
  throw new Error("expected the import to fail");
}

describe("importPlan", () => {
  test("native plan passes through with defaults", () => {
    const plan = importPlan({
      format: "switchyard/plan",
      version: 1,
      tasks: [{ id: "a", type: "t", description: "" }],
    });
    expect(plan.tasks[0]).toMatchObject({ id: "a", dependsOn: [], status: "pending" });
  });

  test("LLM task list becomes a plan", () => {
    const plan = importPlan({
      tasks: [
        { task_id: "t1", task_type: "research", description: "Survey competitors" },
        { task_id: "t2", task_type: "design", description: "Draft the API" },
      ],
    });
    expect(plan.format).toBe("switchyard/plan");
    expect(plan.tasks.map((t) => [t.id, t.type, t.description])).toEqual([
      ["t1", "research", "Survey competitors"],
      ["t2", "design", "Draft the API"],
    ]);
  });

  test("AOP rows keep agent and reason", () => {
    const plan = importPlan([
      {
        task: "Collect data",
        id: 1,
        name: "research_agent",
        reason: "needs sources",
        dep: [],
      },
      {
        task: "Write report",
        id: 2,
        name: "analytics_agent",
        reason: "summarise",
        dep: [1],
      },
    ]);
    expect(plan.tasks[1]).toEqual({
      id: "2",
      type: "generic",
      description: "Write report",
      dependsOn: ["1"],
      status: "pending",
      metadata: { proposedAgent: "analytics_agent", reason: "summarise" },
    });
  });

  test("AOP rows without dep default to none", () => {
    expect(importPlan([{ task: "x", id: "a" }]).tasks[0]!.dependsOn).toEqual([]);
  });

  test.each<[string, unknown, string]>([
    [
      "LLM missing task_type",
      { tasks: [{ task_id: "t1", description: "" }] },
      "tasks[0].task_type",
    ],
    [
      "LLM unknown key",
      { tasks: [{ task_id: "t1", task_type: "x", description: "", extra: 1 }] },
      "tasks[0].extra",
    ],
    [
      "LLM duplicate id",
      {
        tasks: [
          { task_id: "t", task_type: "x", description: "" },
          { task_id: "t", task_type: "x", description: "" },
        ],
      },
      "tasks[1].task_id",
    ],
    ["AOP missing task", [{ id: "a" }], "[0].task"],
    ["AOP unknown dep", [{ task: "x", id: "a", dep: ["b"] }], "[0].dep[0]"],
    ["AOP bad id", [{ task: "x", id: -1 }], "[0].id"],
    [
      "AOP duplicate id",
      [
        { task: "x", id: "a" },
        { task: "y", id: "a" },
      ],
      "[1].id",
    ],
    [
      "native bad version",
      { format: "switchyard/plan", version: 9, tasks: [] },
      "version",
    ],
    ["neither shape", 42, "(root)"],
  ])("rejects %s with input path", (_name, input, path) => {
    expect(problemsOf(input).map((p) => p.path)).toContain(path);
  });
});
