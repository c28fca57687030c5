/**
 * Lint checks between rules: rules that can never win (shadowed), rules that
 * win only when an earlier rule's agent is unavailable or full, and
 * equal-priority ties between rules that can match the same task.
 *
 * Candidate order is the router's: higher priority first, then declaration
 * order. Rule A shadows a later rule B when A is tried for every type B is
 * tried for, A's condition is true whenever B's is, and A sends tasks to the
 * same agent. Then B can never win: when A's agent is unavailable or at
 * capacity, so is B's. With different agents B still wins in exactly those
 * cases, which is reported as info only.
 */

import type { LintFinding } from "./finding.js";
import { findConflict } from "./satisfiable.js";
import { implies } from "./implication.js";
import type { Atom } from "./atoms.js";

/** One rule as the interaction checks read it. */
export interface RuleView {
  index: number;
  /** The rule id, or `rules[i]` when the id is not a string. */
  label: string;
  priority: number;
  agent: string | undefined;
  /** Task types of the top-level `taskType`; undefined for a wildcard rule. */
  types: string[] | undefined;
  /** The whole condition, `taskType` included. */
  atoms: Atom[];
  /** The condition without its top-level `taskType`. */
  restAtoms: Atom[];
  /** True when the condition can never hold (reported on its own). */
  dead: boolean;
}

/** Reports shadowed, fallback-only and tied rules; dead rules are skipped. */
export function lintRuleInteractions(rules: readonly RuleView[]): LintFinding[] {
  const live = rules.filter((rule) => !rule.dead);
  const candidateOrder = [...live].sort(compareCandidates);
  const position = new Map(candidateOrder.map((rule, index) => [rule, index]));
  const byType = indexByType(live);
  const findings: LintFinding[] = [];

  for (const later of live) {
    const earlier = earlierCandidates(later, live, byType, position);
    const finding = classify(later, earlier);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

/** Router order: priority descending, then declaration order. */
function compareCandidates(a: RuleView, b: RuleView): number {
  return b.priority - a.priority || a.index - b.index;
}

function indexByType(rules: readonly RuleView[]): Map<string, RuleView[]> {
  const byType = new Map<string, RuleView[]>();
  for (const rule of rules) {
    for (const type of rule.types ?? []) {
      const list = byType.get(type) ?? [];
      list.push(rule);
      byType.set(type, list);
    }
  }
  return byType;
}

/** Rules tried before `later` for some task type it applies to, in candidate order. */
function earlierCandidates(
  later: RuleView,
  live: readonly RuleView[],
  byType: Map<string, RuleView[]>,
  position: Map<RuleView, number>,
): RuleView[] {
  let pool: Iterable<RuleView>;
  if (later.types === undefined) {
    pool = live;
  } else {
    const set = new Set<RuleView>(live.filter((rule) => rule.types === undefined));
    for (const type of later.types)
      for (const rule of byType.get(type) ?? []) set.add(rule);
    pool = set;
  }
  const own = position.get(later)!;
  return [...pool]
    .filter((rule) => position.get(rule)! < own)
    .sort((a, b) => position.get(a)! - position.get(b)!);
}

function classify(
  later: RuleView,
  earlier: readonly RuleView[],
): LintFinding | undefined {
  let covering: RuleView | undefined;
  let tied: RuleView | undefined;

  for (const rule of earlier) {
    const covers = typesCover(rule, later) && implies(later.atoms, rule.restAtoms);
    if (covers && rule.agent === later.agent) return shadowed(later, rule);
    if (covers) {
      covering ??= rule;
      continue;
    }
    if (
      tied === undefined &&
      rule.priority === later.priority &&
      rule.agent !== later.agent &&
      findConflict([...rule.atoms, ...later.atoms]) === undefined
    ) {
      tied = rule;
    }
  }

  if (covering !== undefined) {
    return covering.priority === later.priority
      ? tie(later, covering, true)
      : fallbackOnly(later, covering);
  }
  return tied === undefined ? undefined : tie(later, tied, false);
}

/** Checks that `earlier` is a candidate for every task type `later` is. */
function typesCover(earlier: RuleView, later: RuleView): boolean {
  if (earlier.types === undefined) return true;
  if (later.types === undefined) return false;
  return later.types.every((type) => earlier.types!.includes(type));
}

function shadowed(rule: RuleView, by: RuleView): LintFinding {
  return {
    code: "shadowed-rule",
    severity: "warning",
    path: `rules[${rule.index}]`,
    message:
      `Rule "${rule.label}" can never win: rule "${by.label}" ` +
      `(priority ${by.priority}) is tried first for the same task types, ` +
      `matches whenever it does and sends tasks to the same agent ` +
      `"${String(rule.agent)}". Remove "${rule.label}", or narrow ` +
      `"${by.label}" or give "${rule.label}" a higher priority.`,
  };
}

function fallbackOnly(rule: RuleView, by: RuleView): LintFinding {
  return {
    code: "fallback-only-rule",
    severity: "info",
    path: `rules[${rule.index}]`,
    message:
      `Rule "${rule.label}" wins only when agent "${String(by.agent)}" of ` +
      `rule "${by.label}" (priority ${by.priority}) is unavailable or at ` +
      `capacity, because "${by.label}" matches every task it matches. If ` +
      `that is not intended, give "${rule.label}" a higher priority.`,
  };
}

function tie(rule: RuleView, by: RuleView, covered: boolean): LintFinding {
  const outcome = covered
    ? `"${by.label}" matches every task it matches, so "${rule.label}" wins ` +
      `only when agent "${String(by.agent)}" is unavailable or at capacity`
    : `when both match, "${by.label}" wins because it is declared first`;
  return {
    code: "priority-tie",
    severity: "warning",
    path: `rules[${rule.index}].priority`,
    message:
      `Rules "${by.label}" and "${rule.label}" share priority ` +
      `${rule.priority} and can match the same task, ${outcome}. Give them ` +
      `different priorities to make the order explicit.`,
  };
}
