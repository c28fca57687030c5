import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli, useTempFiles } from "./cli-harness.js";
import { DEFAULT_RULE_SET } from "../../src/engine/default-ruleset.js";
import { validatePlan } from "../../src/engine/validator/index.js";

const file = useTempFiles("switchyard-cli-errors-");
const run = runCli;

const selfCycle = {
  format: "switchyard/plan",
  version: 1,
  tasks: [
    { id: "a", type: "build", description: "", dependsOn: ["a"] },
    { id: "b", type: "test", description: "", dependsOn: ["a"] },
  ],
};

describe("route on a cyclic plan", () => {
  test.each(["wasm", "js", "inline"])("exits 2 naming the file on %s", async (engine) => {
    const planPath = file("cycle.json", selfCycle);
    const result = await run(["route", planPath, "--engine", engine]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(planPath);
    expect(result.stderr).toContain("a -> a");
    expect(result.stderr).not.toContain("internal error");
  });
});

describe("lint agrees with import", () => {
  test("a prototype agent id is an error finding", async () => {
    const rules = {
      format: "switchyard/ruleset",
      version: 1,
      name: "proto",
      agents: [{ id: "__proto__", taskTypes: ["job"] }],
      rules: [],
    };
    const result = await run(["lint", file("proto.json", rules), "--json"]);
    expect(result.status).toBe(1);
    const { findings } = JSON.parse(result.stdout) as {
      findings: { code: string; path: string }[];
    };
    expect(findings).toContainEqual(
      expect.objectContaining({ code: "invalid-schema", path: "agents[0].id" }),
    );
  });

  test("an invalid file still prints JSON findings", async () => {
    const rules = {
      format: "switchyard/ruleset",
      version: 1,
      name: "bad-op",
      agents: [{ id: "A", taskTypes: ["job"] }],
      rules: [
        {
          id: "r",
          priority: 1,
          agent: "A",
          when: { all: [{ field: "metadata.size", op: "around", value: [1, 2] }] },
        },
      ],
    };
    const result = await run(["lint", file("bad-op.json", rules), "--json"]);
    expect(result.status).toBe(2);
    const { findings } = JSON.parse(result.stdout) as {
      findings: { code: string; path: string }[];
    };
    expect(findings).toEqual([
      expect.objectContaining({
        code: "invalid-schema",
        path: "rules[0].when.all[0].op",
      }),
    ]);
    expect(result.stderr).toContain("rules[0].when.all[0].op");
  });
});

describe("shared-agent-type warning", () => {
  test("lists at most ten task ids", () => {
    const tasks = Array.from({ length: 25 }, (_, i) => ({
      id: `t${i}`,
      type: "generic",
      description: `step number ${i}`,
      dependsOn: [],
      status: "pending" as const,
      metadata: {},
    }));
    const route = Object.fromEntries(tasks.map((task) => [task.id, "builder_agent"]));
    const result = validatePlan(
      { format: "switchyard/plan", version: 1, tasks },
      route,
      DEFAULT_RULE_SET,
    );
    const warning = result.warnings.find((entry) => entry.code === "shared-agent-type");
    expect(warning?.message).toContain("t0, t1");
    expect(warning?.message).toContain("and 15 more");
    expect(warning?.message).not.toContain("t24");
  });
});

describe("negative option values", () => {
  test("--budget -5 is checked as a budget", async () => {
    const planPath = file("budget-plan.json", {
      format: "switchyard/plan",
      version: 1,
      tasks: [{ id: "t", type: "generic", description: "" }],
    });
    const routePath = file("budget-route.json", { t: "builder_agent" });
    const result = await run(["validate", planPath, routePath, "--budget", "-5"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('invalid --budget "-5"');
    expect(result.stderr).toContain("non-negative");
  });
});
