/**
 * Rule-set lint: finds mistakes that the schema cannot see, and reports each
 * as a finding with a code, a severity, a JSON path and a way to fix it.
 *
 * Finding codes (severity in brackets):
 * - `duplicate-agent-id`, `duplicate-rule-id`, `invalid-id`, `unknown-agent`
 *   [error];
 * - `condition-never-holds` [error], `branch-never-holds` [warning];
 * - `unsupported-task-type` [error in the planner section, warning in rules],
 *   `rule-agent-lacks-type` [warning], `wildcard-rule` [info];
 * - `shadowed-rule`, `priority-tie` [warning], `fallback-only-rule` [info];
 * - `unreachable-agent` [warning].
 *
 * The input may not have passed schema validation (duplicate ids, unknown
 * agents, missing fields), so every field is read defensively and lint never
 * throws on a malformed rule set.
 */

import { didYouMean } from "../schema/edit-distance.js";
import type { RuleSet } from "../types.js";
import { flattenCondition, isObject, readTaskTypes } from "./atoms.js";
import type { LintFinding } from "./finding.js";
import { lintRuleInteractions, type RuleView } from "./rules.js";
import { findDeadSpots } from "./satisfiable.js";

interface AgentView {
  index: number;
  id: string | undefined;
  taskTypes: string[];
}

/** Lints a rule set; findings come grouped by check, each group in file order. */
export function lintRuleSet(ruleSet: RuleSet): LintFinding[] {
  const agents = readAgents(ruleSet);
  const rawRules: unknown[] = Array.isArray(ruleSet.rules) ? ruleSet.rules : [];
  const findings: LintFinding[] = [];

  findings.push(...lintAgentIds(agents));
  findings.push(...lintRuleIds(rawRules));
  const agentIds = new Set(
    agents.flatMap((agent) => (agent.id === undefined ? [] : [agent.id])),
  );
  findings.push(...lintRuleAgents(rawRules, agentIds));

  const rules = rawRules.map((rule, index) => readRule(rule, index));
  for (const rule of rules) findings.push(...rule.deadFindings);
  findings.push(...lintTaskTypes(ruleSet, rules, agents));
  findings.push(...lintRuleInteractions(rules));
  findings.push(...lintUnreachableAgents(rules, agents));
  return findings;
}

function readAgents(ruleSet: RuleSet): AgentView[] {
  const list: unknown[] = Array.isArray(ruleSet.agents) ? ruleSet.agents : [];
  return list.map((agent, index) => {
    const record = isObject(agent) ? agent : {};
    const id = typeof record["id"] === "string" ? record["id"] : undefined;
    const taskTypes = Array.isArray(record["taskTypes"])
      ? record["taskTypes"].filter((type): type is string => typeof type === "string")
      : [];
    return { index, id, taskTypes };
  });
}

function lintAgentIds(agents: readonly AgentView[]): LintFinding[] {
  const findings: LintFinding[] = [];
  const first = new Map<string, number>();
  for (const agent of agents) {
    if (agent.id === undefined || agent.id === "") {
      findings.push(invalidId(`agents[${agent.index}].id`, "agent"));
      continue;
    }
    const earlier = first.get(agent.id);
    if (earlier === undefined) {
      first.set(agent.id, agent.index);
      continue;
    }
    findings.push({
      code: "duplicate-agent-id",
      severity: "error",
      path: `agents[${agent.index}].id`,
      message:
        `Agent id "${agent.id}" is already used by agents[${earlier}]; ` +
        `rename one of them so rules name a single agent.`,
    });
  }
  return findings;
}

function lintRuleIds(rules: readonly unknown[]): LintFinding[] {
  const findings: LintFinding[] = [];
  const first = new Map<string, number>();
  rules.forEach((rule, index) => {
    const id = isObject(rule) ? rule["id"] : undefined;
    if (typeof id !== "string" || id === "") {
      findings.push(invalidId(`rules[${index}].id`, "rule"));
      return;
    }
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, index);
      return;
    }
    findings.push({
      code: "duplicate-rule-id",
      severity: "error",
      path: `rules[${index}].id`,
      message:
        `Rule id "${id}" is already used by rules[${earlier}]; rename one ` +
        `of them so traces and edits name a single rule.`,
    });
  });
  return findings;
}

function invalidId(path: string, what: string): LintFinding {
  return {
    code: "invalid-id",
    severity: "error",
    path,
    message: `The ${what} id is missing or not a non-empty string; give the ${what} a unique id.`,
  };
}

function lintRuleAgents(rules: readonly unknown[], agentIds: Set<string>): LintFinding[] {
  const findings: LintFinding[] = [];
  rules.forEach((rule, index) => {
    const agent = isObject(rule) ? rule["agent"] : undefined;
    if (typeof agent === "string" && agentIds.has(agent)) return;
    const shown =
      typeof agent === "string" ? `"${agent}"` : String(JSON.stringify(agent));
    const hint = typeof agent === "string" ? didYouMean(agent, agentIds) : "";
    findings.push({
      code: "unknown-agent",
      severity: "error",
      path: `rules[${index}].agent`,
      message:
        `The rule targets agent ${shown}, which is not defined in agents${hint}; ` +
        `use the id of a defined agent or add the agent.`,
    });
  });
  return findings;
}

function readRule(
  rule: unknown,
  index: number,
): RuleView & { deadFindings: LintFinding[] } {
  const record = isObject(rule) ? rule : {};
  const id = record["id"];
  const label = typeof id === "string" && id !== "" ? id : `rules[${index}]`;
  const priority =
    typeof record["priority"] === "number" && Number.isFinite(record["priority"])
      ? record["priority"]
      : 0;
  const agent = typeof record["agent"] === "string" ? record["agent"] : undefined;
  const when = record["when"];
  const path = `rules[${index}].when`;
  const atoms = flattenCondition(when, path);
  const restAtoms = flattenCondition(when, path, false);
  const types = isObject(when) ? readTaskTypes(when["taskType"]) : undefined;

  const spots = findDeadSpots(atoms, path);
  const dead = spots.some((spot) => spot.fatal);
  const deadFindings: LintFinding[] = spots.map((spot) => ({
    code: spot.fatal ? "condition-never-holds" : "branch-never-holds",
    severity: spot.fatal ? "error" : "warning",
    path: spot.path,
    message: spot.fatal
      ? `Rule "${label}" never matches: ${spot.reason}. Fix the test or remove the rule.`
      : `This branch of rule "${label}" never holds: ${spot.reason}. Fix the test or remove the branch.`,
  }));

  return { index, label, priority, agent, types, atoms, restAtoms, dead, deadFindings };
}

/**
 * Reports task types that no agent supports (in rules and in the planner
 * section), rules whose agent lacks a type they route, and wildcard rules
 * whose agent lacks some known type.
 */
function lintTaskTypes(
  ruleSet: RuleSet,
  rules: readonly RuleView[],
  agents: readonly AgentView[],
): LintFinding[] {
  const findings: LintFinding[] = [];
  const supported = new Set(agents.flatMap((agent) => agent.taskTypes));
  const agentTypes = new Map<string, string[]>();
  for (const agent of agents) {
    if (agent.id !== undefined && !agentTypes.has(agent.id)) {
      agentTypes.set(agent.id, agent.taskTypes);
    }
  }

  for (const rule of rules) {
    if (rule.dead) continue;
    const own = rule.agent === undefined ? undefined : agentTypes.get(rule.agent);
    const path = `rules[${rule.index}].when.taskType`;
    if (rule.types === undefined) {
      const lacking = [...supported].filter(
        (type) => own !== undefined && !own.includes(type),
      );
      if (lacking.length > 0) {
        findings.push({
          code: "wildcard-rule",
          severity: "info",
          path: `rules[${rule.index}].when`,
          message:
            `Rule "${rule.label}" has no taskType, so it applies to every task ` +
            `type, but agent "${rule.agent}" does not support ${quoteList(lacking)}; ` +
            `tasks of those types that it routes fail validation. Add a taskType ` +
            `to limit the rule.`,
        });
      }
      continue;
    }
    for (const type of new Set(rule.types)) {
      if (!supported.has(type)) {
        findings.push({
          code: "unsupported-task-type",
          severity: "warning",
          path,
          message:
            `No agent supports task type "${type}" of rule "${rule.label}", so ` +
            `such tasks fail validation; add "${type}" to the taskTypes of ` +
            `agent "${rule.agent}".`,
        });
      } else if (own !== undefined && !own.includes(type)) {
        findings.push({
          code: "rule-agent-lacks-type",
          severity: "warning",
          path,
          message:
            `Rule "${rule.label}" routes type "${type}" to agent "${rule.agent}", ` +
            `which does not support it, so those tasks fail validation; add ` +
            `"${type}" to the agent's taskTypes or target an agent that has it.`,
        });
      }
    }
  }

  for (const { type, path } of plannerTypes(ruleSet)) {
    if (supported.has(type)) continue;
    findings.push({
      code: "unsupported-task-type",
      severity: "error",
      path,
      message:
        `The planner creates tasks of type "${type}", which no agent supports, ` +
        `so every plan with them fails validation; add "${type}" to an agent's ` +
        `taskTypes or change the planner.`,
    });
  }
  return findings;
}

/** Task types the planner section can create, with their paths. */
function plannerTypes(ruleSet: RuleSet): { type: string; path: string }[] {
  const planner: unknown = ruleSet.planner;
  if (!isObject(planner)) return [];
  const found: { type: string; path: string }[] = [];

  const templates = planner["templates"];
  if (Array.isArray(templates)) {
    templates.forEach((template, t) => {
      const tasks = isObject(template) ? template["tasks"] : undefined;
      if (!Array.isArray(tasks)) return;
      tasks.forEach((task, i) => {
        const type = isObject(task) ? task["type"] : undefined;
        if (typeof type === "string") {
          found.push({ type, path: `planner.templates[${t}].tasks[${i}].type` });
        }
      });
    });
  }

  const refinements = planner["refinements"];
  if (isObject(refinements)) {
    for (const parentType of Object.keys(refinements)) {
      const children = refinements[parentType];
      if (!Array.isArray(children)) continue;
      children.forEach((child, i) => {
        const type = isObject(child) ? child["type"] : undefined;
        if (typeof type === "string") {
          const key = JSON.stringify(parentType);
          found.push({ type, path: `planner.refinements[${key}][${i}].type` });
        }
      });
    }
  }
  return found;
}

/** Reports agents that no live rule targets and that support no task type. */
function lintUnreachableAgents(
  rules: readonly RuleView[],
  agents: readonly AgentView[],
): LintFinding[] {
  const targeted = new Set(rules.filter((rule) => !rule.dead).map((rule) => rule.agent));
  return agents
    .filter((agent) => agent.id !== undefined && agent.taskTypes.length === 0)
    .filter((agent) => !targeted.has(agent.id))
    .map((agent) => ({
      code: "unreachable-agent",
      severity: "warning" as const,
      path: `agents[${agent.index}]`,
      message:
        `Agent "${agent.id}" supports no task type and no rule that can match ` +
        `targets it, so it never receives a task; add taskTypes or a rule, ` +
        `or remove the agent.`,
    }));
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(", ");
}
