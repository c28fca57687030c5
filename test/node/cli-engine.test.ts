import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { runCli, useTempFiles } from "./cli-harness.js";

const root = join(import.meta.dirname, "..", "..");
const file = useTempFiles("switchyard-cli-engine-");
const run = runCli;

/** Capacity pressure, a metadata rule and an unroutable task in one plan. */
const rules = {
  format: "switchyard/ruleset",
  version: 1,
  name: "engines",
  agents: [
    { id: "A", taskTypes: ["job"], maxConcurrent: 1, successRate: 0.9 },
    { id: "B", taskTypes: ["job"], maxConcurrent: 5 },
    { id: "C", taskTypes: ["job", "cpu"], maxConcurrent: 2 },
  ],
  rules: [
    {
      id: "big",
      priority: 10,
      when: { taskType: "job", field: "metadata.size", op: "gte", value: 10 },
      agent: "C",
    },
    { id: "any_job", priority: 5, when: { taskType: "job" }, agent: "A" },
  ],
};

const plan = {
  format: "switchyard/plan",
  version: 1,
  tasks: [
    { id: "j1", type: "job", description: "task j1", metadata: { size: 12 } },
    { id: "j2", type: "job", description: "task j2", metadata: { size: 1 } },
    { id: "j3", type: "job", description: "task j3", dependsOn: ["j1"] },
    { id: "j4", type: "job", description: "task j4", metadata: { size: 40 } },
    { id: "j5", type: "job", description: "task j5", metadata: { size: 99 } },
    { id: "g", type: "gpu", description: "task g" },
  ],
};

describe("route --engine", () => {
  test.each(["wasm", "js", "inline"])("%s gives the same route", async (engine) => {
    const rulesPath = file("rules.json", rules);
    const planPath = file("plan.json", plan);
    const reference = await run([
      "route",
      planPath,
      "--rules",
      rulesPath,
      "--engine",
      "inline",
      "--json",
    ]);
    const result = await run([
      "route",
      planPath,
      "--rules",
      rulesPath,
      "--engine",
      engine,
      "--json",
    ]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(reference.stdout));
    const route = JSON.parse(result.stdout) as { unassigned: { task: string }[] };
    expect(route.unassigned.map((entry) => entry.task)).toEqual(["g"]);
  });

  test("rejects an unknown engine with exit 2", async () => {
    const result = await run(["plan", "Build a SaaS business", "--engine", "gpu"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('invalid --engine "gpu"');
    expect(result.stderr).toContain("wasm, js, inline");
  });

  test("plan through the WASM worker in a subprocess", async () => {
    const exec = promisify(execFile);
    const { stdout } = await exec(process.execPath, [
      join(root, "bin", "switchyard.mjs"),
      "plan",
      "Build a SaaS business with payments",
      "--engine",
      "wasm",
      "--json",
    ]);
    const output = JSON.parse(stdout) as {
      route: { assignments: { task: string; agent: string }[] };
      validation: { passed: boolean };
    };
    expect(output.validation.passed).toBe(true);
    expect(output.route.assignments).toContainEqual(
      expect.objectContaining({ task: "deploy", agent: "deploy_agent" }),
    );
  });
});
