import { describe, expect, test } from "vitest";
import { findPath, locateJsonPaths } from "../../web/src/rules/json-locate.js";
import { diffLines, splitLines } from "../../web/src/rules/line-diff.js";

function signs(before: string, after: string): string {
  return diffLines(before, after)
    .map(
      (line) =>
        `${line.kind === "same" ? " " : line.kind === "added" ? "+" : "-"}${line.text}`,
    )
    .join("|");
}

describe("diffLines", () => {
  test.each([
    ["", "", ""],
    ["a\nb\nc\n", "a\nb\nc\n", " a| b| c"],
    ["a\nb\nc\n", "a\nx\nc\n", " a|-b|+x| c"],
    ["a\nb\n", "a\nb\nc\n", " a| b|+c"],
    ["a\nb\nc\n", "b\nc\n", "-a| b| c"],
    ["", "a\n", "+a"],
  ])("%j to %j", (before, after, expected) => {
    expect(signs(before, after)).toBe(expected);
  });

  test("swaps cost two edits each", () => {
    const changes = diffLines("a\nb\nc\nd\n", "b\na\nd\nc\n").filter(
      (line) => line.kind !== "same",
    );
    expect(changes).toHaveLength(4);
  });

  test("numbers lines on both sides", () => {
    const lines = diffLines("a\nb\nc\n", "a\nc\nd\n");
    expect(lines).toEqual([
      { kind: "same", oldNumber: 1, newNumber: 1, text: "a" },
      { kind: "removed", oldNumber: 2, text: "b" },
      { kind: "same", oldNumber: 3, newNumber: 2, text: "c" },
      { kind: "added", newNumber: 3, text: "d" },
    ]);
  });

  test("edit script is minimal", () => {
    const before = Array.from({ length: 300 }, (_, i) => `line ${i}`).join("\n");
    const after = before.replace("line 100", "changed").replace("line 250\n", "");
    const changes = diffLines(before, after).filter((line) => line.kind !== "same");
    expect(changes).toHaveLength(3);
  });

  test("falls back past the edit limit", () => {
    const before = Array.from({ length: 50 }, (_, i) => `a${i}`).join("\n");
    const after = Array.from({ length: 50 }, (_, i) => `b${i}`).join("\n");
    const lines = diffLines(before, after, 10);
    expect(lines.filter((line) => line.kind === "removed")).toHaveLength(50);
    expect(lines.filter((line) => line.kind === "added")).toHaveLength(50);
  });

  test("splitLines ignores one trailing newline", () => {
    expect(splitLines("a\r\nb\n")).toEqual(["a", "b"]);
  });
});

describe("locateJsonPaths", () => {
  const text =
    '{\n  "rules": [\n    {"id": "r1", "when": {"all": [{"op": "eq"}]}}\n  ],\n  "odd key": 1\n}\n';
  const positions = locateJsonPaths(text);

  test("finds nested paths", () => {
    expect(positions.get("rules[0].when.all[0].op")).toEqual({ line: 3, column: 42 });
    expect(positions.get('["odd key"]')?.line).toBe(5);
  });

  test("falls back to the nearest ancestor", () => {
    expect(findPath(positions, "rules[0].agent")).toEqual(positions.get("rules[0]"));
    expect(findPath(positions, "missing")).toEqual(positions.get("(root)"));
  });
});
