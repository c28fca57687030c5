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
import { toNfc } from "../schema/nfc.js";
import type { CheckResult, IndexedTask, ValidationContext } from "./context.js";

/** Similarity above which two descriptions count as the same work. */
export const JACCARD_THRESHOLD = 0.7;

export function checkRedundancy(context: ValidationContext): CheckResult {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const words = new WordIds();

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
        `(${listIds(members.map((member) => member.task.id))}); check ` +
        `that they are distinct work.`,
    });
    issues.push(...findRedundantTasks(agent, members, words));
  }

  return { issues, warnings };
}

/** Groups assigned tasks by agent and type, each group in plan order. */
function groupByAgentAndType(context: ValidationContext): [string, IndexedTask[]][] {
  // Groups are listed in the order of their first assignment.
  const byAgent = new Map<string, GroupsByType>();
  const result: [string, IndexedTask[]][] = [];
  const { taskList, assignments, assignmentTasks } = context;
  for (let i = 0; i < assignments.length; i++) {
    const entry = assignments[i]!;
    const index = assignmentTasks[i]!;
    const indexed: IndexedTask = { task: taskList[index]!, index };
    let byType = byAgent.get(entry.agent);
    if (byType === undefined) {
      byType = { strings: new Map(), others: new Map() };
      byAgent.set(entry.agent, byType);
    }
    const type: unknown = indexed.task.type;
    // A type that is not a string (unvalidated input) is keyed by its JSON text.
    const groups = typeof type === "string" ? byType.strings : byType.others;
    const key = typeof type === "string" ? type : JSON.stringify([type]);
    let members = groups.get(key);
    if (members === undefined) {
      members = [];
      groups.set(key, members);
      result.push([entry.agent, members]);
    }
    members.push(indexed);
  }
  for (const [, members] of result) {
    if (!isInPlanOrder(members)) members.sort((a, b) => a.index - b.index);
  }
  return result;
}

interface GroupsByType {
  strings: Map<string, IndexedTask[]>;
  others: Map<string, IndexedTask[]>;
}

function isInPlanOrder(members: readonly IndexedTask[]): boolean {
  for (let i = 1; i < members.length; i++) {
    if (members[i - 1]!.index > members[i]!.index) return false;
  }
  return true;
}

/** Reports each task that repeats an earlier task of its group, once. */
function findRedundantTasks(
  agent: string,
  members: IndexedTask[],
  words: WordIds,
): Issue[] {
  const issues: Issue[] = [];
  const byDescription = new Map<string, IndexedTask>();
  const byMetadataAndDeps = new Map<string, IndexedTask>();
  const similar =
    members.length <= PAIRWISE_GROUP_SIZE
      ? new PairwiseSimilarity(
          members.map((member) => member.task),
          words,
        )
      : new SimilarityIndex(members.map((member) => member.task));

  members.forEach((member, position) => {
    const { task } = member;
    const description = toNfc(task.description);
    const workKey = isEmptyMetadata(task.metadata)
      ? undefined
      : stableKey(task.metadata) + "\u0000" + stableKey(dependencyKey(task));

    let original: IndexedTask | undefined;
    let reason = "";
    const blank = description.trim() === "";
    if (!blank && byDescription.has(description)) {
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

    if (!blank && !byDescription.has(description)) {
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
 * Groups up to this size compare descriptions pairwise: the prefix index of
 * `SimilarityIndex` costs more to build than it saves on a few pairs.
 */
const PAIRWISE_GROUP_SIZE = 16;

/** Finds earlier similar descriptions by comparing every earlier pair. */
class PairwiseSimilarity {
  /** Sorted, distinct word ids per description. */
  private readonly sets: number[][];

  constructor(tasks: readonly Task[], words: WordIds) {
    this.sets = tasks.map((task) => words.idsOf(task.description));
  }

  /** Returns the earliest position before `position` whose set is similar enough. */
  findEarlierSimilar(position: number): number | undefined {
    const own = this.sets[position]!;
    if (own.length === 0) return undefined;
    for (let candidate = 0; candidate < position; candidate++) {
      if (isSimilarSorted(own, this.sets[candidate]!)) return candidate;
    }
    return undefined;
  }

  add(_position: number): void {}
}

/**
 * Interns the words of descriptions as integers, so word sets become short
 * sorted arrays. ASCII text is split in place and hashed without building a
 * substring per word; other text goes through `wordSet`. Either way the
 * words are exactly those of `wordSet`.
 */
class WordIds {
  private readonly words: string[] = [];
  /** Open addressing: word id + 1 per slot, 0 when empty. */
  private slots = new Int32Array(256);

  /** Returns the sorted, distinct word ids of a description. */
  idsOf(description: string): number[] {
    const ids: number[] = [];
    const length = description.length;
    // One pass folds ASCII case, finds words and hashes them, so no
    // lower-cased copy of the description is built.
    let start = -1;
    let hash = 0;
    for (let i = 0; i <= length; i++) {
      let code = i < length ? description.charCodeAt(i) : 0;
      if (code >= 0x80) return this.idsOfUnicode(description);
      if (code >= 0x41 && code <= 0x5a) code |= 0x20;
      if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) {
        if (start < 0) {
          start = i;
          hash = FNV_OFFSET;
        }
        hash = Math.imul(hash ^ code, FNV_PRIME);
      } else if (start >= 0) {
        insertSorted(ids, this.intern(description, start, i, hash, true));
        start = -1;
      }
    }
    return ids;
  }

  /**
   * `idsOf` for text with a non-ASCII character. Words that `idsOf` interned
   * before it met that character keep their ids, which stay correct.
   */
  private idsOfUnicode(description: string): number[] {
    const ids: number[] = [];
    for (const word of wordSet(description)) {
      insertSorted(ids, this.intern(word, 0, word.length, hashWord(word), false));
    }
    return ids;
  }

  /**
   * Returns the id of the lower-cased `text.slice(start, end)`, adding the
   * word when new. `hash` is `hashWord` of the lower-cased word. `ascii` is true
   * when the slice is ASCII and may contain capitals, while otherwise the
   * slice is already lower-cased.
   */
  private intern(
    text: string,
    start: number,
    end: number,
    hash: number,
    ascii: boolean,
  ): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      if (sameWord(this.words[entry - 1]!, text, start, end)) return entry - 1;
    }
    const id = this.words.length;
    const word = text.slice(start, end);
    this.words.push(ascii ? word.toLowerCase() : word);
    if (2 * this.words.length > this.slots.length) {
      this.rehash();
    } else {
      this.place(hash, id);
    }
    return id;
  }

  private place(hash: number, id: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(2 * this.slots.length);
    this.words.forEach((word, id) => this.place(hashWord(word), id));
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Returns the 32-bit FNV-1a hash of a lower-cased word's UTF-16 code units. */
function hashWord(word: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) {
    hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
  }
  return hash;
}

/**
 * Returns whether the lower-cased `word` equals `text.slice(start, end)` with
 * ASCII capitals folded to lower case.
 */
function sameWord(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let i = 0; i < word.length; i++) {
    let code = text.charCodeAt(start + i);
    if (code >= 0x41 && code <= 0x5a) code |= 0x20;
    if (word.charCodeAt(i) !== code) return false;
  }
  return true;
}

/** Inserts `id` into a sorted array unless it is already there. */
function insertSorted(ids: number[], id: number): void {
  let i = ids.length;
  while (i > 0 && ids[i - 1]! > id) i--;
  if (i > 0 && ids[i - 1] === id) return;
  ids.push(id);
  for (let k = ids.length - 1; k > i; k--) ids[k] = ids[k - 1]!;
  ids[i] = id;
}

/** `isSimilar` on sorted, distinct word ids. */
function isSimilarSorted(a: readonly number[], b: readonly number[]): boolean {
  const small = Math.min(a.length, b.length);
  const large = Math.max(a.length, b.length);
  if (small * 10 <= large * 7) return false;
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) {
      i++;
    } else {
      j++;
    }
  }
  const union = a.length + b.length - shared;
  return shared * 10 > union * 7;
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
    // Rarest word first, and ties in UTF-16 code-unit order.
    const rarestFirst = (a: string, b: string): number => {
      const byFrequency = frequency.get(a)! - frequency.get(b)!;
      if (byFrequency !== 0) return byFrequency;
      if (a < b) return -1;
      if (a > b) return 1;
      return 0;
    };
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
  if (isAscii(description)) return asciiWordSet(description);
  const words = description
    .normalize("NFC")
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu);
  return new Set(words ?? []);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) return false;
  }
  return true;
}

/**
 * `wordSet` for ASCII text, which NFC leaves unchanged and whose letters and
 * digits are exactly `[A-Za-z0-9]`: the same words without the Unicode regex.
 */
function asciiWordSet(description: string): Set<string> {
  const text = description.toLowerCase();
  const words = new Set<string>();
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0;
    const isWordChar = (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
    if (isWordChar) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.add(text.slice(start, i));
      start = -1;
    }
  }
  return words;
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

/** Most task ids listed in one message; the rest are counted. */
const MAX_LISTED_IDS = 10;

function listIds(ids: readonly string[]): string {
  if (ids.length <= MAX_LISTED_IDS) return ids.join(", ");
  const rest = ids.length - MAX_LISTED_IDS;
  return `${ids.slice(0, MAX_LISTED_IDS).join(", ")} and ${rest} more`;
}
