import { describe, expect, test } from "vitest";
import { Router, evaluateCondition } from "../../src/engine/router/index.js";
import type {
  Condition,
  Metadata,
  MetadataValue,
  Operator,
  RuleScalar,
} from "../../src/engine/types.js";
import { agent, plan, rule, ruleSet, task, truthValue } from "./router-fixtures.js";

/** Task values by kind; `missing` leaves the field out. */
const KINDS: [string, MetadataValue | undefined][] = [
  ["missing", undefined],
  ["null", null],
  ["string", "abc"],
  ["number", 5],
  ["bool", true],
  ["array", ["abc", 5]],
  ["object", { a: 1 }],
];

/** Expected result per kind, in KINDS order: T, F or U (unknown). */
const TABLE: [Operator, RuleScalar | RuleScalar[] | undefined, string][] = [
  ["eq", "abc", "UUTFFFF"],
  ["eq", 5, "UUFTFFF"],
  ["eq", true, "UUFFTFF"],
  ["ne", "abc", "UUFTTTT"],
  ["in", ["abc", 5], "UUTTFFF"],
  ["notIn", ["abc", 5], "UUFFTTT"],
  ["lt", 10, "UUUTUUU"],
  ["lt", "b", "UUTUUUU"],
  ["lte", 5, "UUUTUUU"],
  ["gt", "abb", "UUTUUUU"],
  ["gt", 5, "UUUFUUU"],
  ["gte", "abc", "UUTUUUU"],
  ["between", [1, 5], "UUUTUUU"],
  ["between", ["a", "b"], "UUTUUUU"],
  ["exists", undefined, "FFTTTTT"],
  ["missing", undefined, "TTFFFFF"],
  ["contains", "b", "UUTUUFU"],
  ["contains", "abc", "UUTUUTU"],
  ["contains", 5, "UUUUUTU"],
  ["startsWith", "ab", "UUTUUUU"],
  ["startsWith", "b", "UUFUUUU"],
];

/**
 * Two rules decide the three-valued result: `pos` (the leaf) and `neg`
 * (its negation). TRUE routes to P, FALSE to N, UNKNOWN to neither.
 */
function routedResult(
  op: Operator,
  value: RuleScalar | RuleScalar[] | undefined,
  actual: MetadataValue | undefined,
): string {
  const leaf: Condition = { field: "metadata.v", op };
  if (value !== undefined) {
    leaf.value = value;
  }
  const router = new Router(
    ruleSet(
      [agent("P", []), agent("N", [])],
      [rule("pos", 2, leaf, "P"), rule("neg", 1, { not: leaf }, "N")],
    ),
  );
  const metadata: Metadata = actual === undefined ? {} : { v: actual };
  const result = router.route(plan([task("t", "job", { metadata })]));
  const agentId = result.assignments[0]?.agent;
  return truthValue(agentId);
}

function evaluatedResult(
  op: Operator,
  value: RuleScalar | RuleScalar[] | undefined,
  actual: MetadataValue | undefined,
): string {
  const leaf: Condition = { field: "metadata.v", op };
  if (value !== undefined) {
    leaf.value = value;
  }
  const metadata: Metadata = actual === undefined ? {} : { v: actual };
  return "FTU"[evaluateCondition(leaf, task("t", "job", { metadata }))]!;
}

describe.each(TABLE)("%s %j", (op, value, expected) => {
  test.each(KINDS.map(([kind, actual], i) => [kind, actual, expected[i]]))(
    "on %s",
    (_kind, actual, want) => {
      expect(routedResult(op, value, actual as MetadataValue | undefined)).toBe(want);
      expect(evaluatedResult(op, value, actual as MetadataValue | undefined)).toBe(want);
    },
  );
});

describe("Kleene logic", () => {
  const unknownLeaf: Condition = { field: "metadata.none", op: "eq", value: 1 };
  const trueLeaf: Condition = { field: "metadata.v", op: "eq", value: 1 };
  const falseLeaf: Condition = { field: "metadata.v", op: "eq", value: 2 };
  const cases: [string, Condition, string][] = [
    ["not unknown", { not: unknownLeaf }, "U"],
    ["all with false", { all: [unknownLeaf, falseLeaf] }, "F"],
    ["all with unknown", { all: [unknownLeaf, trueLeaf] }, "U"],
    ["any with true", { any: [unknownLeaf, trueLeaf] }, "T"],
    ["any with unknown", { any: [unknownLeaf, falseLeaf] }, "U"],
    ["empty all", { all: [] }, "T"],
    ["empty any", { any: [] }, "F"],
    ["not not true", { not: { not: trueLeaf } }, "T"],
  ];

  test.each(cases)("%s", (_name, when, want) => {
    const router = new Router(
      ruleSet(
        [agent("P", []), agent("N", [])],
        [rule("pos", 2, when, "P"), rule("neg", 1, { not: when }, "N")],
      ),
    );
    const result = router.route(plan([task("t", "job", { metadata: { v: 1 } })]));
    const agentId = result.assignments[0]?.agent;
    expect(truthValue(agentId)).toBe(want);
    expect("FTU"[evaluateCondition(when, task("t", "job", { metadata: { v: 1 } }))]).toBe(
      want,
    );
  });
});
