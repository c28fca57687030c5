import { describe, expect, test } from "vitest";
import {
  canonicalJson,
  formatProblems,
  type SchemaProblem,
} from "../../src/engine/index.js";

describe("formatProblems", () => {
  test("one line per problem with received value", () => {
    const text = formatProblems([
      { path: "agents[0].maxConcurrent", message: "expected integer", received: "two" },
      { path: "rules[0].id", message: "expected a non-empty id" },
    ]);
    expect(text).toBe(
      'agents[0].maxConcurrent: expected integer (received "two")\nrules[0].id: expected a non-empty id',
    );
  });

  test("empty list gives empty text", () => {
    expect(formatProblems([])).toBe("");
  });

  const cyclic: Record<string, unknown> = {};
  cyclic["self"] = cyclic;
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const hostile = {
    toString() {
      throw new Error("no");
    },
  };
  const values: [string, unknown, string][] = [
    ["cyclic object", cyclic, "an object"],
    ["BigInt", 10n ** 30n, "n (BigInt)"],
    ["symbol", Symbol("s"), "a symbol"],
    ["huge string", "x".repeat(1_000_000), "(1000000 characters)"],
    ["revoked proxy", revoked.proxy, "unreadable"],
    ["throwing toString", hostile, "an object"],
    ["function", () => 1, "a function"],
    ["NaN", Number.NaN, "not finite"],
    ["undefined", undefined, "nothing"],
    ["array", [1, 2, 3], "an array of 3"],
  ];
  test.each(values)("survives %s", (_name, received, fragment) => {
    const text = formatProblems([{ path: "x", message: "bad", received }]);
    expect(text).toContain(fragment);
    expect(text.length).toBeLessThan(400);
  });

  test("survives malformed problems", () => {
    const broken = [{ path: 5, message: null }, null] as unknown as SchemaProblem[];
    expect(() => formatProblems(broken)).not.toThrow();
  });

  test("survives a throwing getter", () => {
    const problem = {
      get path(): string {
        throw new Error("boom");
      },
      message: "m",
    } as SchemaProblem;
    expect(() => formatProblems([problem])).not.toThrow();
  });
});

describe("canonicalJson", () => {
  test("sorts keys, indents, ends with newline", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      2,\n      1\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  test("same content gives same bytes", () => {
    expect(canonicalJson({ x: 1, y: { p: 1, q: 2 } })).toBe(
      canonicalJson({ y: { q: 2, p: 1 }, x: 1 }),
    );
  });

  test("drops undefined properties", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{\n  "b": 1\n}\n');
  });

  test("keeps a __proto__ key as data", () => {
    const value = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    expect(canonicalJson(value)).toContain('"__proto__"');
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
  });

  test.each<[string, unknown]>([
    ["BigInt", { n: 1n }],
    ["Infinity", { n: Infinity }],
    ["function", { f: () => 1 }],
  ])("rejects %s", (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  test("rejects cycles", () => {
    const value: Record<string, unknown> = {};
    value["self"] = value;
    expect(() => canonicalJson(value)).toThrow(/cycle/);
  });
});
