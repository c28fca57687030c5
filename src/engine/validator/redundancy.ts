/**
 * Non-redundancy: two tasks of the same type on the same agent are the same
 * work twice (an error on the later task) when
 * - their descriptions are identical and not blank, or
 * - the Jaccard similarity of their lower-cased word sets is above 0.7, or
 * - they have the same non-empty metadata and the same dependencies.
 * Sharing an agent and a type is by itself one warning per group.
 *
 * Words are maximal runs of Unicode letters and digits after NFC
 * normalisation, so punctuation and spacing do not count. Blank descriptions
 * carry no evidence and never make tasks redundant on their own.
 */

import type { Issue, Metadata, Task } from "../types.js";
import type { CheckResult, IndexedTask, ValidationContext } from "./context.js";

/** Similarity above which two descriptions count as the same work. */
export const JACCARD_THRESHOLD = 0.7;

export function checkRedundancy(context: ValidationContext): CheckResult {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];

  for (const [agent, members] of groupByAgentAndType(context)) {
    if (members.length < 2) continue;
    const type = members[0]!.task.type;
    warnings.push({
      code: "shared-agent-type",
      severity: "warning",
      agent,
      path: `tasks[${members[0]!.index}]`,
      message:
        `${members.length} tasks of type "${type}" run on agent "${agent}" ` +
        `(${members.map((member) => member.task.id).join(", ")}); check ` +
        `that they are distinct work.`,
    });
    issues.push(...findRedundantTasks(agent, members));
  }

  return { issues, warnings };
}

/** Groups assigned tasks by agent and type, each group in plan order. */
function groupByAgentAndType(context: ValidationContext): [string, IndexedTask[]][] {
  const groups = new Map<string, { agent: string; members: IndexedTask[] }>();
  for (const entry of context.assignments) {
    const indexed = context.tasks.get(entry.task);
    if (indexed === undefined) continue;
    const key = JSON.stringify([entry.agent, indexed.task.type]);
    let group = groups.get(key);
    if (group === undefined) {
      group = { agent: entry.agent, members: [] };
      groups.set(key, group);
    }
    group.members.push(indexed);
  }
  const result: [string, IndexedTask[]][] = [];
  for (const { agent, members } of groups.values()) {
    members.sort((a, b) => a.index - b.index);
    result.push([agent, members]);
  }
  return result;
}

/** Reports each task that repeats an earlier task of its group, once. */
function findRedundantTasks(agent: string, members: IndexedTask[]): Issue[] {
  const issues: Issue[] = [];
  const byDescription = new Map<string, IndexedTask>();
  const byMetadataAndDeps = new Map<string, IndexedTask>();
  const similar = new SimilarityIndex(members.map((member) => member.task));

  members.forEach((member, position) => {
    const { task } = member;
    const description = task.description.normalize("NFC");
    const workKey = isEmptyMetadata(task.metadata)
      ? undefined
      : stableKey(task.metadata) + "\u0000" + stableKey(dependencyKey(task));

    let original: IndexedTask | undefined;
    let reason = "";
    if (description.trim() !== "" && byDescription.has(description)) {
      original = byDescription.get(description);
      reason = "has the same description as";
    } else if (workKey !== undefined && byMetadataAndDeps.has(workKey)) {
      original = byMetadataAndDeps.get(workKey);
      reason = "has the same metadata and dependencies as";
    } else {
      const earlier = similar.findEarlierSimilar(position);
      if (earlier !== undefined) {
        original = members[earlier];
        reason = "has a description more than 70% word-similar to";
      }
    }

    if (original !== undefined) {
      issues.push({
        code: "redundant-task",
        severity: "error",
        task: task.id,
        agent,
        path: `tasks[${member.index}]`,
        message:
          `Task "${task.id}" ${reason} task "${original.task.id}" (both ` +
          `"${task.type}" on agent "${agent}"); remove one or make them differ.`,
      });
    }

    if (description.trim() !== "" && !byDescription.has(description)) {
      byDescription.set(description, member);
    }
    if (workKey !== undefined && !byMetadataAndDeps.has(workKey)) {
      byMetadataAndDeps.set(workKey, member);
    }
    similar.add(position);
  });

  return issues;
}

/**
 * Finds earlier descriptions with Jaccard similarity above the threshold,
 * using size and prefix filtering: with words ordered rarest first, two sets
 * whose similarity reaches t share a word among the first
 * `size - ceil(t * size) + 1` words of each.
 *
 * NOTE: a group of many different descriptions that share their rare words
 * still compares pairwise (quadratic); plans of that shape have not been
 * measured.
 */
class SimilarityIndex {
  private readonly words: string[][];
  private readonly prefixIndex = new Map<string, number[]>();

  constructor(tasks: readonly Task[]) {
    const sets = tasks.map((task) => wordSet(task.description));
    const frequency = new Map<string, number>();
    for (const set of sets) {
      for (const word of set) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
    const rarestFirst = (a: string, b: string): number =>
      frequency.get(a)! - frequency.get(b)! || (a < b ? -1 : a > b ? 1 : 0);
    this.words = sets.map((set) => [...set].sort(rarestFirst));
  }

  /** Returns the position of the earliest added set that is similar enough. */
  findEarlierSimilar(position: number): number | undefined {
    const words = this.words[position]!;
    if (words.length === 0) return undefined;
    const own = new Set(words);
    let best: number | undefined;
    const tried = new Set<number>();
    for (const word of words.slice(0, prefixLength(words.length))) {
      for (const candidate of this.prefixIndex.get(word) ?? []) {
        if (tried.has(candidate) || (best !== undefined && candidate >= best)) continue;
        tried.add(candidate);
        if (isSimilar(own, this.words[candidate]!)) best = candidate;
      }
    }
    return best;
  }

  add(position: number): void {
    const words = this.words[position]!;
    for (const word of words.slice(0, prefixLength(words.length))) {
      let list = this.prefixIndex.get(word);
      if (list === undefined) {
        list = [];
        this.prefixIndex.set(word, list);
      }
      list.push(position);
    }
  }
}

function prefixLength(size: number): number {
  // ceil(0.7 * size) in integers, so a float product such as 2.0999... for
  // size 3 cannot round the prefix one word too short.
  return size - Math.ceil((7 * size) / 10) + 1;
}

/** Jaccard(a, b) > 0.7, compared in integers so 7/10 is never rounded up. */
function isSimilar(a: ReadonlySet<string>, b: readonly string[]): boolean {
  const small = Math.min(a.size, b.length);
  const large = Math.max(a.size, b.length);
  if (small * 10 <= large * 7) return false;
  let shared = 0;
  for (const word of b) if (a.has(word)) shared++;
  const union = a.size + b.length - shared;
  return shared * 10 > union * 7;
}

/** The lower-cased word set of a description. */
export function wordSet(description: string): Set<string> {
  const words = description
    .normalize("NFC")
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu);
  return new Set(words ?? []);
}

/** Jaccard similarity of two descriptions' word sets; 0 when both are empty. */
export function jaccardSimilarity(a: string, b: string): number {
  const left = wordSet(a);
  const right = wordSet(b);
  if (left.size === 0 && right.size === 0) return 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / (left.size + right.size - shared);
}

function isEmptyMetadata(metadata: Metadata | undefined): boolean {
  return (
    typeof metadata !== "object" ||
    metadata === null ||
    Object.keys(metadata).length === 0
  );
}

function dependencyKey(task: Task): string[] {
  const deps = Array.isArray(task.dependsOn) ? task.dependsOn : [];
  return [...new Set(deps)].sort();
}

/** JSON with object keys sorted, so equal content gives equal strings. */
function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map(
        (key) =>
          `${JSON.stringify(key)}:${stableKey((value as Record<string, unknown>)[key])}`,
      );
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
