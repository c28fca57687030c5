/**
 * Input limits: the README table equals `LIMITS`, the file readers use the
 * declared byte limits, and every limit accepts its value and rejects one
 * more with an error that names the limit and the value.
 */

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { MAX_INPUT_BYTES, readTextFile } from "../../src/cli/io.js";
import { PlanError, RouterError, RuleSetError } from "../../src/engine/errors.js";
import {
  LIMITS,
  MAX_AGENTS,
  MAX_CONCURRENT,
  MAX_CONDITION_DEPTH,
  MAX_ID_LENGTH,
  MAX_INPUT_DEPTH,
  MAX_LOAD,
  MAX_METADATA_DEPTH,
  MAX_METADATA_JSON_LENGTH,
  MAX_PLAN_TASKS,
  MAX_PRIORITY,
  MAX_RULES,
  MAX_STRING_LENGTH,
  type LimitName,
} from "../../src/engine/limits.js";
import { Router } from "../../src/engine/router/router.js";
import * as schema from "../../src/engine/schema/index.js";
import {
  parsePlan,
  parseRuleSet,
  safeParsePlan,
  safeParseRuleSet,
} from "../../src/engine/schema/index.js";
import type { Condition, Rule } from "../../src/engine/types.js";
import { DEFAULT_MAX_IMPORT_BYTES, importRuleSet } from "../../src/store/files.js";

const README = new URL("../../README.md", import.meta.url);

/** Rows of the README's Limits table as [name, value]. */
function readmeLimits(): Map<string, number> {
  const text = readFileSync(README, "utf8");
  const start = text.indexOf("## Limits");
  const end = text.indexOf("\n## ", start + 1);
  expect(start).toBeGreaterThanOrEqual(0);
  const rows = new Map<string, number>();
  for (const line of text.slice(start, end).split("\n")) {
    const match = /^\| `(\w+)` \| (\d+) \|/.exec(line);
    if (match !== null) rows.set(match[1]!, Number(match[2]));
  }
  return rows;
}

function task(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type: "t", description: "", ...extra };
}

function plan(tasks: unknown[], extra: Record<string, unknown> = {}) {
  return { format: "switchyard/plan", version: 1, tasks, ...extra };
}

function ruleSet(
  agents: unknown[],
  rules: unknown[],
  extra: Record<string, unknown> = {},
) {
  return {
    format: "switchyard/ruleset",
    version: 1,
    name: "limits",
    agents,
    rules,
    ...extra,
  };
}

const agentA = { id: "A", taskTypes: ["t"] };

function rule(id: string, extra: Record<string, unknown> = {}) {
  return { id, priority: 1, when: { taskType: "t" }, agent: "A", ...extra };
}

/** Messages of every problem, joined, or "" when the input is valid. */
function planProblems(input: unknown): string {
  const result = safeParsePlan(input);
  return result.ok
    ? ""
    : result.problems.map((p) => `${p.path}: ${p.message}`).join("\n");
}

function ruleSetProblems(input: unknown): string {
  const result = safeParseRuleSet(input);
  return result.ok
    ? ""
    : result.problems.map((p) => `${p.path}: ${p.message}`).join("\n");
}

function expectNamesLimit(message: string, name: LimitName): void {
  expect(message).toContain(name);
  expect(message).toContain(String(LIMITS[name].value));
}

function nestedNots(levels: number): Condition {
  let when: Condition = { taskType: "t" };
  for (let level = 1; level < levels; level++) when = { not: when };
  return when;
}

describe("limits table", () => {
  test("README lists every limit with its value", () => {
    const rows = readmeLimits();
    const declared = Object.entries(LIMITS).map(([name, info]) => [name, info.value]);
    expect([...rows.entries()]).toEqual(declared);
  });

  test("schema constants are the declared ones", () => {
    expect(schema.MAX_ID_LENGTH).toBe(LIMITS.maxIdLength.value);
    expect(schema.MAX_CONDITION_DEPTH).toBe(LIMITS.maxConditionDepth.value);
    expect(schema.MAX_METADATA_DEPTH).toBe(LIMITS.maxMetadataDepth.value);
  });

  test("file readers use the declared byte limits", () => {
    expect(MAX_INPUT_BYTES).toBe(LIMITS.maxInputFileBytes.value);
    expect(DEFAULT_MAX_IMPORT_BYTES).toBe(LIMITS.maxRuleSetFileBytes.value);
  });
});

describe("file size limits", () => {
  test("command line rejects a file one byte over", async () => {
    const dir = await mkdtemp(join(tmpdir(), "switchyard-limits-"));
    try {
      const path = join(dir, "big.json");
      await writeFile(path, Buffer.alloc(LIMITS.maxInputFileBytes.value + 1, 0x20));
      const error = await readTextFile(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain("16 MiB input limit");
      expect((error as Error).message).toContain("maxInputFileBytes");

      await writeFile(path, Buffer.alloc(LIMITS.maxInputFileBytes.value, 0x20));
      expect(await readTextFile(path)).toHaveLength(LIMITS.maxInputFileBytes.value);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  test("store rejects a rule-set text one byte over", async () => {
    const text = " ".repeat(LIMITS.maxRuleSetFileBytes.value + 1);
    const error = await importRuleSet(text).catch((e: unknown) => e);
    expect((error as { code?: unknown }).code).toBe("E_IMPORT_TOO_LARGE");
    expect((error as Error).message).toContain(String(LIMITS.maxRuleSetFileBytes.value));
    expect((error as Error).message).toContain("maxRuleSetFileBytes");
  });
});

describe("plan limits", () => {
  test("maxPlanTasks rejects one task more", () => {
    const one = task("x");
    const tasks = Array.from({ length: MAX_PLAN_TASKS + 1 }, () => one);
    const error = (() => {
      try {
        parsePlan(plan(tasks));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).path).toEqual(["tasks"]);
    expectNamesLimit((error as PlanError).message, "maxPlanTasks");
  });

  test("maxIdLength accepts 128 and rejects 129", () => {
    expect(planProblems(plan([task("i".repeat(MAX_ID_LENGTH))]))).toBe("");
    const message = planProblems(plan([task("i".repeat(MAX_ID_LENGTH + 1))]));
    expect(message).toContain("tasks[0].id");
    expectNamesLimit(message, "maxIdLength");
  });

  test("maxStringLength bounds descriptions and keys", () => {
    const longest = "d".repeat(MAX_STRING_LENGTH);
    expect(planProblems(plan([task("a", { description: longest })]))).toBe("");
    const message = planProblems(plan([task("a", { description: `${longest}d` })]));
    expect(message).toContain("tasks[0].description");
    expectNamesLimit(message, "maxStringLength");

    const keyed = planProblems(plan([task("a", { metadata: { [`${longest}k`]: 1 } })]));
    expectNamesLimit(keyed, "maxStringLength");
  });

  test("maxInputDepth rejects deeper arrays", () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_INPUT_DEPTH + 5; i++) deep = [deep];
    const message = planProblems(plan([], { extra: deep }));
    expectNamesLimit(message, "maxInputDepth");
  });

  test("maxMetadataDepth accepts 8 and rejects 9", () => {
    const nest = (levels: number) => {
      let value: Record<string, unknown> = { leaf: 1 };
      for (let level = 1; level < levels; level++) value = { inner: value };
      return value;
    };
    expect(planProblems(plan([task("a", { metadata: nest(MAX_METADATA_DEPTH) })]))).toBe(
      "",
    );
    const message = planProblems(
      plan([task("a", { metadata: nest(MAX_METADATA_DEPTH + 1) })]),
    );
    expectNamesLimit(message, "maxMetadataDepth");
  });

  test("maxMetadataJsonLength bounds one task's metadata", () => {
    const part = "m".repeat(MAX_METADATA_JSON_LENGTH / 4);
    const fits = { a: part, b: part, c: part };
    expect(planProblems(plan([task("a", { metadata: fits })]))).toBe("");
    const over = { a: part, b: part, c: part, d: part };
    const message = planProblems(plan([task("a", { metadata: over })]));
    expect(message).toContain("tasks[0].metadata");
    expectNamesLimit(message, "maxMetadataJsonLength");
  });
});

describe("rule-set limits", () => {
  test("maxRules accepts 10000 and rejects 10001", () => {
    const rules = Array.from({ length: MAX_RULES }, (_, i) => rule(`r${i}`));
    expect(ruleSetProblems(ruleSet([agentA], rules))).toBe("");
    const message = ruleSetProblems(ruleSet([agentA], [...rules, rule("extra")]));
    expect(message.startsWith("rules:")).toBe(true);
    expectNamesLimit(message, "maxRules");
  });

  test("maxAgents accepts 1000 and rejects 1001", () => {
    const agents = Array.from({ length: MAX_AGENTS }, (_, i) => ({
      id: `a${i}`,
      taskTypes: ["t"],
    }));
    expect(ruleSetProblems(ruleSet(agents, []))).toBe("");
    const message = ruleSetProblems(ruleSet([...agents, agentA], []));
    expect(message.startsWith("agents:")).toBe(true);
    expectNamesLimit(message, "maxAgents");
  });

  test("maxIdLength bounds rule and agent ids", () => {
    const long = "r".repeat(MAX_ID_LENGTH + 1);
    const message = ruleSetProblems(ruleSet([agentA], [rule(long)]));
    expect(message).toContain("rules[0].id");
    expectNamesLimit(message, "maxIdLength");
  });

  test("maxStringLength bounds explanations", () => {
    const longest = "e".repeat(MAX_STRING_LENGTH);
    expect(
      ruleSetProblems(ruleSet([agentA], [rule("r", { explanation: longest })])),
    ).toBe("");
    const message = ruleSetProblems(
      ruleSet([agentA], [rule("r", { explanation: `${longest}e` })]),
    );
    expect(message).toContain("rules[0].explanation");
    expectNamesLimit(message, "maxStringLength");
  });

  test("maxConditionDepth is the same at import and in addRule", () => {
    const fits = nestedNots(MAX_CONDITION_DEPTH);
    const over = nestedNots(MAX_CONDITION_DEPTH + 1);
    expect(ruleSetProblems(ruleSet([agentA], [rule("r", { when: fits })]))).toBe("");
    expectNamesLimit(
      ruleSetProblems(ruleSet([agentA], [rule("r", { when: over })])),
      "maxConditionDepth",
    );

    const router = new Router(parseRuleSet(ruleSet([agentA], [])));
    router.addRule({ ...rule("fits"), when: fits, explanation: "" } as Rule);
    const error = (() => {
      try {
        router.addRule({ ...rule("over"), when: over, explanation: "" } as Rule);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RuleSetError);
    expectNamesLimit((error as Error).message, "maxConditionDepth");
  });

  test("maxPriority bounds both signs at import and in addRule", () => {
    const at = [
      rule("hi", { priority: MAX_PRIORITY }),
      rule("lo", { priority: -MAX_PRIORITY }),
    ];
    expect(ruleSetProblems(ruleSet([agentA], at))).toBe("");
    for (const priority of [MAX_PRIORITY + 1, -MAX_PRIORITY - 1, 2 ** 31, 2 ** 53]) {
      const message = ruleSetProblems(ruleSet([agentA], [rule("r", { priority })]));
      expect(message).toContain("rules[0].priority");
      expectNamesLimit(message, "maxPriority");
    }
    const router = new Router(parseRuleSet(ruleSet([agentA], [])));
    const over = { ...rule("r", { priority: 2 ** 31 }), explanation: "" } as Rule;
    expect(() => router.addRule(over)).toThrow(/maxPriority limit of 1000000000/);
    expect(router.ruleSet.rules).toHaveLength(0);
  });

  test("maxConcurrent accepts 10^9 and rejects more", () => {
    const at = { ...agentA, maxConcurrent: MAX_CONCURRENT };
    expect(ruleSetProblems(ruleSet([at], []))).toBe("");
    for (const maxConcurrent of [MAX_CONCURRENT + 1, 2 ** 32]) {
      const message = ruleSetProblems(ruleSet([{ ...agentA, maxConcurrent }], []));
      expect(message).toContain("agents[0].maxConcurrent");
      expectNamesLimit(message, "maxConcurrent");
    }
  });
});

describe("route option limits", () => {
  const rules = parseRuleSet(ruleSet([{ ...agentA, maxConcurrent: 2 }], [rule("r")]));
  const onePlan = parsePlan(plan([task("x")]));

  test("maxLoad accepts 10^9 and rejects more", () => {
    const router = new Router(rules);
    const full = router.route(onePlan, { load: { A: MAX_LOAD } });
    expect(full.unassigned.map((u) => u.reason)).toEqual(["at-capacity"]);
    for (const load of [MAX_LOAD + 1, 2 ** 32]) {
      const error = (() => {
        try {
          router.route(onePlan, { load: { A: load } });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(RouterError);
      expectNamesLimit((error as Error).message, "maxLoad");
    }
  });
});
