/**
 * Rule-set format `switchyard/ruleset` version 1: zod schema, cross-checks
 * (duplicate ids, unknown agents, prototype ids, planner templates) and the
 * parse functions. Every string inside a rule condition and every agent task
 * type or skill is NFC-normalised at import.
 */
import { z } from "zod";
import { RuleSetError, type JsonPath } from "../errors.js";
import {
  MAX_AGENTS,
  MAX_CONCURRENT,
  MAX_ID_LENGTH,
  MAX_PRIORITY,
  MAX_RULES,
  overLimit,
  type LimitName,
} from "../limits.js";
import type { PlannerLimits, RuleSet } from "../types.js";
import { conditionSchema, nfc, normalizeCondition } from "./condition.js";
import { didYouMean } from "./edit-distance.js";
import { pathSegments, type SafeParseResult } from "./plan.js";
import { checkConditionDepth, PROTOTYPE_KEYS, scanInput } from "./prescan.js";
import {
  fromZodIssues,
  sortProblems,
  summarizeProblems,
  toSchemaProblems,
  type RawProblem,
} from "./problems.js";
import { ownArray, ownField, ownString } from "./raw.js";

/** Planner limits used when a rule set's planner section leaves them out. */
export const DEFAULT_PLANNER_LIMITS: Readonly<PlannerLimits> = Object.freeze({
  maxDepth: 5,
  maxTasks: 1000,
  maxGoalLength: 5000,
  maxSubtasksPerUpdate: 20,
  maxUpdatesPerPlan: 10,
});

const id = z
  .string({ error: "expected string id" })
  .min(1, { error: "expected a non-empty id" })
  .max(MAX_ID_LENGTH, {
    error: `expected an id of at most ${MAX_ID_LENGTH} characters (the maxIdLength limit)`,
  });
const name = z.string().min(1, { error: "expected a non-empty string" });

function positiveInteger() {
  return z
    .number({ error: "expected integer" })
    .int({ error: "expected integer" })
    .positive({ error: "expected a positive integer" });
}

const agentSchema = z.strictObject({
  id,
  taskTypes: z.array(name),
  skills: z.array(name).default([]),
  costTier: z.enum(["cheap", "medium", "expensive"]).default("medium"),
  successRate: z
    .number()
    .min(0, { error: "expected a success rate between 0 and 1" })
    .max(1, { error: "expected a success rate between 0 and 1" })
    .optional(),
  maxConcurrent: positiveInteger()
    .max(MAX_CONCURRENT, {
      error: `expected at most ${MAX_CONCURRENT}, ${overLimit("maxConcurrent")}`,
    })
    .default(10),
});

function priorityRange(): string {
  return `expected an integer from -${MAX_PRIORITY} to ${MAX_PRIORITY} (the maxPriority limit)`;
}

const ruleSchema = z.strictObject({
  id,
  priority: z
    .number({ error: "expected integer" })
    .int({ error: "expected integer" })
    .min(-MAX_PRIORITY, { error: priorityRange() })
    .max(MAX_PRIORITY, { error: priorityRange() }),
  when: conditionSchema,
  agent: id,
  explanation: z.string().default(""),
});

const limitsSchema = z.strictObject({
  maxDepth: positiveInteger().default(DEFAULT_PLANNER_LIMITS.maxDepth),
  maxTasks: positiveInteger().default(DEFAULT_PLANNER_LIMITS.maxTasks),
  maxGoalLength: positiveInteger().default(DEFAULT_PLANNER_LIMITS.maxGoalLength),
  maxSubtasksPerUpdate: positiveInteger().default(
    DEFAULT_PLANNER_LIMITS.maxSubtasksPerUpdate,
  ),
  maxUpdatesPerPlan: positiveInteger().default(DEFAULT_PLANNER_LIMITS.maxUpdatesPerPlan),
});

const templateTaskSchema = z.strictObject({
  id,
  type: name,
  description: z.string(),
  dependsOn: z.array(id).optional(),
});

const plannerSchema = z.strictObject({
  templates: z
    .array(
      z.strictObject({
        id,
        keywords: z.array(name).min(1, { error: "expected at least one keyword" }),
        tasks: z
          .array(templateTaskSchema)
          .min(1, { error: "expected at least one task" }),
      }),
    )
    .default([]),
  refinements: z
    .record(
      name,
      z.array(z.strictObject({ suffix: name, type: name, description: z.string() })),
    )
    .default({}),
  atomicTypes: z.array(name).default([]),
  limits: limitsSchema.default(() => ({ ...DEFAULT_PLANNER_LIMITS })),
});

const ruleSetSchema = z.strictObject({
  format: z.literal("switchyard/ruleset"),
  version: z.literal(1),
  name,
  description: z.string().optional(),
  agents: z.array(agentSchema),
  rules: z.array(ruleSchema),
  planner: plannerSchema.optional(),
});

/** Validates a planner section alone and applies its defaults. */
export const plannerConfigSchema = plannerSchema;

/** Validates a rule set, applies defaults and NFC-normalises it, returning problems as data. */
export function safeParseRuleSet(input: unknown): SafeParseResult<RuleSet> {
  const rawRules =
    input !== null && typeof input === "object" && Object.hasOwn(input, "rules")
      ? (input as Record<string, unknown>)["rules"]
      : undefined;
  const counted = [
    ...checkCount(input, "agents", MAX_AGENTS, "maxAgents"),
    ...checkCount(input, "rules", MAX_RULES, "maxRules"),
  ];
  if (counted.length > 0) return { ok: false, problems: toSchemaProblems(counted) };
  const early = [
    ...scanInput(input, { surrogates: true }),
    ...checkConditionDepth(rawRules),
  ];
  if (early.some((problem) => problem.blocking === true)) {
    return { ok: false, problems: toSchemaProblems(early) };
  }

  const parsed = ruleSetSchema.safeParse(input, { reportInput: true });
  let problems = [...early, ...checkRuleSetReferences(input)];
  // concat, not push(...): a spread of 10^5 problems overflows the call stack.
  if (!parsed.success) problems = problems.concat(fromZodIssues(parsed.error.issues));
  if (!parsed.success || problems.length > 0) {
    return { ok: false, problems: toSchemaProblems(sortProblems(problems)) };
  }
  return { ok: true, value: normalizeRuleSet(parsed.data as RuleSet) };
}

/** Validates a rule set; throws RuleSetError (`E_SCHEMA`) naming every problem. */
export function parseRuleSet(input: unknown): RuleSet {
  const result = safeParseRuleSet(input);
  if (result.ok) return result.value;
  throw new RuleSetError(summarizeProblems("rule set", result.problems), {
    code: "E_SCHEMA",
    path: pathSegments(result.problems[0]?.path),
    details: { problems: result.problems },
  });
}

/** Reports a top-level list longer than its limit, before anything walks it. */
function checkCount(
  input: unknown,
  key: string,
  max: number,
  limit: LimitName,
): RawProblem[] {
  const count = ownArray(input, key).length;
  if (count <= max) return [];
  return [
    {
      path: [key],
      message: `${count} ${key} is ${overLimit(limit)}; split the rule set`,
      expected: `at most ${max} ${key}`,
    },
  ];
}

/** Cross-checks on unvalidated input: ids, agent references, planner templates. */
function checkRuleSetReferences(input: unknown): RawProblem[] {
  const problems: RawProblem[] = [];
  const agentIds = checkUniqueIds(ownArray(input, "agents"), "agents", "agent", problems);
  const rules = ownArray(input, "rules");
  checkUniqueIds(rules, "rules", "rule", problems);

  rules.forEach((rule, index) => {
    const agent = ownString(rule, "agent");
    if (agent === undefined || agentIds.has(agent)) return;
    const ruleId = ownString(rule, "id") ?? `#${index}`;
    problems.push({
      path: ["rules", index, "agent"],
      message: `rule "${ruleId}" names unknown agent "${agent}"${didYouMean(agent, agentIds.keys())}`,
      received: agent,
      expected: "the id of an agent of this rule set",
    });
  });
  const planner = ownField(input, "planner");
  if (planner !== undefined) checkPlanner(planner, problems);
  return problems;
}

/** Reports duplicate and prototype-named ids; returns the first index of each id. */
function checkUniqueIds(
  items: readonly unknown[],
  listName: string,
  what: string,
  problems: RawProblem[],
  basePath: JsonPath = [],
): Map<string, number> {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const id = ownString(item, "id");
    if (id === undefined) return;
    const path = [...basePath, listName, index, "id"];
    if (PROTOTYPE_KEYS.has(id)) {
      problems.push({
        path,
        message: `the ${what} id "${id}" is not allowed because it names an object prototype member`,
        received: id,
        expected: "another id",
      });
    }
    const earlier = seen.get(id);
    if (earlier === undefined) {
      seen.set(id, index);
      return;
    }
    problems.push({
      path,
      message: `duplicate ${what} id "${id}" at ${listName}[${earlier}] and ${listName}[${index}]`,
      received: id,
      expected: "a unique id",
    });
  });
  return seen;
}

function checkPlanner(planner: unknown, problems: RawProblem[]): void {
  const templates = ownArray(planner, "templates");
  checkUniqueIds(templates, "templates", "template", problems, ["planner"]);
  templates.forEach((template, t) => {
    const base: JsonPath = ["planner", "templates", t];
    const tasks = ownArray(template, "tasks");
    const taskIds = checkUniqueIds(tasks, "tasks", "template task", problems, base);
    tasks.forEach((task, k) => {
      const taskId = ownString(task, "id") ?? `#${k}`;
      ownArray(task, "dependsOn").forEach((dependency, j) => {
        if (typeof dependency !== "string" || taskIds.has(dependency)) return;
        problems.push({
          path: [...base, "tasks", k, "dependsOn", j],
          message: `template task "${taskId}" depends on unknown task "${dependency}"${didYouMean(dependency, taskIds.keys())}`,
          received: dependency,
          expected: "the id of a task of this template",
        });
      });
    });
  });
  const refinements = ownField(planner, "refinements");
  if (refinements === null || typeof refinements !== "object") return;
  for (const taskType of Object.keys(refinements)) {
    if (!PROTOTYPE_KEYS.has(taskType)) continue;
    problems.push({
      path: ["planner", "refinements", taskType],
      message: `the task type "${taskType}" is not allowed as a key because it names an object prototype member`,
      expected: "another task type",
    });
  }
}

function normalizeRuleSet(ruleSet: RuleSet): RuleSet {
  const out: RuleSet = {
    ...ruleSet,
    agents: ruleSet.agents.map((agent) => ({
      ...agent,
      taskTypes: agent.taskTypes.map(nfc),
      skills: agent.skills.map(nfc),
    })),
    rules: ruleSet.rules.map((rule) => ({
      ...rule,
      when: normalizeCondition(rule.when),
      explanation: nfc(rule.explanation),
    })),
  };
  return out;
}
