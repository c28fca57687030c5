/**
 * Fuzzing of the file parsers (parsePlan, parseRuleSet, importPlan and the
 * JSON text paths in front of them). Every input must end in a value or a
 * SwitchyardError with a path; never a TypeError, RangeError, stack
 * overflow or a new key on Object.prototype.
 */

import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { SwitchyardError } from "../../src/engine/errors.js";
import { DEFAULT_RULE_SET } from "../../src/engine/default-ruleset.js";
import { importPlan } from "../../src/engine/planner/import.js";
import { Router } from "../../src/engine/router/router.js";
import {
  canonicalJson,
  formatProblems,
  parsePlan,
  parseRuleSet,
  safeParsePlan,
  safeParseRuleSet,
} from "../../src/engine/schema/index.js";
import { importRuleSet } from "../../src/store/files.js";

type Parser = (input: unknown) => unknown;

const PARSERS: [string, Parser][] = [
  ["parsePlan", parsePlan],
  ["parseRuleSet", parseRuleSet],
  ["importPlan", importPlan],
];

const VALID_PLAN = {
  format: "switchyard/plan",
  version: 1,
  goal: "ship",
  tasks: [
    {
      id: "a",
      type: "build",
      description: "compile",
      metadata: { env: { region: "eu" } },
    },
    { id: "b", type: "test", description: "", dependsOn: ["a"], status: "completed" },
    { id: "c", type: "deploy", description: "roll out", parent: "a" },
  ],
};

const VALID_FOREIGN = [
  { tasks: [{ task_id: "x", task_type: "code", description: "write" }] },
  [
    { task: "write", id: 1, name: "coder", reason: "fast", dep: [] },
    { task: "check", id: 2, dep: [1] },
  ],
];

const VALID_RULE_SET = JSON.parse(canonicalJson(DEFAULT_RULE_SET)) as unknown;

const prototypeKeysBefore = Object.getOwnPropertyNames(Object.prototype).sort();

beforeEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(
    prototypeKeysBefore,
  );
});

afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(
    prototypeKeysBefore,
  );
  expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
});

/** Runs a parser and fails the test on anything but a value or a typed error with a path. */
function expectTypedOutcome(name: string, parse: Parser, input: unknown): void {
  let outcome: unknown;
  try {
    outcome = parse(input);
  } catch (error) {
    if (!(error instanceof SwitchyardError)) {
      throw new Error(`${name} threw ${String(error)} instead of a SwitchyardError`, {
        cause: error,
      });
    }
    expect(Array.isArray(error.path), `${name}: error.path`).toBe(true);
    const problems = error.details["problems"];
    if (Array.isArray(problems)) {
      expect(typeof formatProblems(problems as never)).toBe("string");
    }
    return;
  }
  expect(outcome, name).toBeTypeOf("object");
}

function expectAllParsers(input: unknown): void {
  for (const [name, parse] of PARSERS) expectTypedOutcome(name, parse, input);
}

/** Parses JSON text the way the CLI and the store do, then every parser. */
function expectTextOutcome(text: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError);
    return;
  }
  expectAllParsers(value);
}

const PROTOTYPE_TEXTS = [
  '{"__proto__": {"polluted": true}}',
  '{"format": "switchyard/plan", "version": 1, "tasks": [{"id": "a", "type": "t", "description": "", "metadata": {"__proto__": {"polluted": 1}}}]}',
  '{"format": "switchyard/plan", "version": 1, "tasks": [], "__proto__": {"polluted": 1}}',
  '{"tasks": [{"task_id": "a", "task_type": "t", "description": "", "__proto__": {"polluted": 1}}]}',
  '[{"task": "x", "id": 1, "__proto__": {"polluted": 1}}]',
  '[{"task": "x", "id": "constructor", "dep": ["__proto__"]}]',
  '{"format": "switchyard/ruleset", "version": 1, "name": "n", "agents": [{"id": "__proto__", "taskTypes": ["t"]}], "rules": []}',
  '{"format": "switchyard/ruleset", "version": 1, "name": "n", "agents": [{"id": "A", "taskTypes": ["t"]}], "rules": [{"id": "r", "priority": 1, "agent": "A", "when": {"metadata": {"__proto__": 1}}}]}',
  '{"format": "switchyard/ruleset", "version": 1, "name": "n", "agents": [{"id": "A", "taskTypes": ["t"]}], "rules": [{"id": "r", "priority": 1, "agent": "A", "when": {"field": "metadata.constructor.prototype.polluted", "op": "exists"}}]}',
  '{"format": "switchyard/ruleset", "version": 1, "name": "n", "agents": [], "rules": [], "planner": {"refinements": {"__proto__": [{"suffix": "x", "type": "y", "description": ""}]}}}',
  '{"format": "switchyard/ruleset", "version": 1, "name": "n", "agents": [], "rules": [], "__proto__": {"polluted": true}}',
];

/** Arbitrary JSON-ish values with the keys and strings that break parsers. */
const nastyKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "id",
  "type",
  "tasks",
  "rules",
  "agents",
  "when",
  "op",
  "field",
  "value",
  "dependsOn",
  "parent",
  "metadata",
  "\uD800",
  "",
);
const nastyString = fc.oneof(
  fc.string(),
  fc.constantFrom("\uD800", "a\uDC00", "𣄃", "cafe\u0301", "metadata.__proto__.x", "NaN"),
);
const nastyScalar = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, 2 ** 31, -(2 ** 53), Number.NaN, Infinity),
);
const nastyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    nastyScalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(nastyKey, fc.string()), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** Replaces one value somewhere inside a JSON tree, returning a deep copy. */
function mutate(root: unknown, pathSeed: number[], replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(root)) as unknown;
  let node: unknown = copy;
  for (const seed of pathSeed) {
    if (node === null || typeof node !== "object") break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[seed % keys.length]!;
    const child = (node as Record<string, unknown>)[key];
    if (child === null || typeof child !== "object" || seed % 3 === 0) {
      (node as Record<string, unknown>)[key] = replacement;
      return copy;
    }
    node = child;
  }
  return copy;
}

const FUZZ_RUNS = 300;

describe("parser fuzzing", () => {
  test("mutated plans end in a value or typed error", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        nastyValue,
        (pathSeed, replacement) => {
          expectAllParsers(mutate(VALID_PLAN, pathSeed, replacement));
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  test("mutated foreign plans end in a value or typed error", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID_FOREIGN),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        nastyValue,
        (valid, pathSeed, replacement) => {
          expectAllParsers(mutate(valid, pathSeed, replacement));
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  test("mutated rule sets end in a value or typed error", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        nastyValue,
        (pathSeed, replacement) => {
          const input = mutate(VALID_RULE_SET, pathSeed, replacement);
          expectTypedOutcome("parseRuleSet", parseRuleSet, input);
          const parsed = safeParseRuleSet(input);
          if (parsed.ok) new Router(parsed.value);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  test("arbitrary values end in a value or typed error", () => {
    fc.assert(fc.property(nastyValue, expectAllParsers), { numRuns: FUZZ_RUNS });
  });

  test("truncated JSON text ends cleanly", () => {
    const texts = [
      JSON.stringify(VALID_PLAN),
      canonicalJson(VALID_RULE_SET),
      ...VALID_FOREIGN.map((value) => JSON.stringify(value)),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.nat(), (text, cut) => {
        expectTextOutcome(text.slice(0, cut % (text.length + 1)));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  test("byte flips in JSON text end cleanly", () => {
    const text = JSON.stringify(VALID_PLAN);
    fc.assert(
      fc.property(
        fc.nat({ max: text.length - 1 }),
        fc.constantFrom("{", "}", "[", "]", '"', ",", ":", "\\", "0", "-", "\uD800"),
        (at, character) => {
          expectTextOutcome(text.slice(0, at) + character + text.slice(at + 1));
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe("hostile inputs", () => {
  test.each(PROTOTYPE_TEXTS.map((text, i) => [i, text]))(
    "prototype keys via JSON.parse #%i",
    (_, text) => {
      expectTextOutcome(text);
    },
  );

  test("prototype keys in every plan position are rejected", () => {
    for (const text of PROTOTYPE_TEXTS.slice(1, 6)) {
      const input = JSON.parse(text) as unknown;
      const error = (() => {
        try {
          importPlan(input);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, text).toBeInstanceOf(SwitchyardError);
    }
  });

  test("100,000 levels of nesting are an error", () => {
    const depth = 100_000;
    const arrays = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const objects = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    for (const text of [arrays, objects]) {
      const value = JSON.parse(text) as unknown;
      expectAllParsers(value);
      expectAllParsers({ ...VALID_PLAN, goal: value });
      expectAllParsers({
        ...VALID_PLAN,
        tasks: [{ ...VALID_PLAN.tasks[0], metadata: { x: value } }],
      });
      expectAllParsers({ tasks: [{ task_id: "a", task_type: "t", description: value }] });
      expectAllParsers([{ task: "x", id: 1, dep: value }]);
      expectTypedOutcome("parseRuleSet", parseRuleSet, {
        ...(VALID_RULE_SET as object),
        planner: value,
      });
    }
  });

  test("cyclic objects are an error", () => {
    const cyclic: Record<string, unknown> = { format: "switchyard/plan", version: 1 };
    cyclic["tasks"] = [
      { id: "a", type: "t", description: "", metadata: { self: cyclic } },
    ];
    expectAllParsers(cyclic);
    const rows: unknown[] = [];
    rows.push({ task: "x", id: 1, dep: rows });
    expectAllParsers(rows);
  });

  test("5-million-character strings are errors", () => {
    const huge = "x".repeat(5_000_000);
    expectAllParsers({ ...VALID_PLAN, goal: huge });
    expectAllParsers({ tasks: [{ task_id: huge, task_type: "t", description: "" }] });
    expectAllParsers([{ task: huge, id: 1 }]);
  });

  test("200,000 unknown dependencies are an error", () => {
    const manyDeps = Array.from({ length: 200_000 }, (_, i) => `d${i}`);
    const input = {
      ...VALID_PLAN,
      tasks: [{ id: "a", type: "t", description: "", dependsOn: manyDeps }],
    };
    expectTypedOutcome("parsePlan", parsePlan, input);
  });

  test("20,000 duplicate ids are an error", () => {
    const sameId = Array.from({ length: 20_000 }, () => ({ id: "a", type: "t" }));
    expectTypedOutcome("parsePlan", parsePlan, { ...VALID_PLAN, tasks: sameId });
  });

  test("conditions of 20,000 leaves parse or fail typed", () => {
    const manyLeaves = Array.from({ length: 20_000 }, () => ({
      field: "type",
      op: "eq",
      value: "t",
    }));
    const rule = {
      id: "r",
      priority: 1,
      agent: "builder_agent",
      when: { all: manyLeaves },
    };
    expectTypedOutcome("parseRuleSet", parseRuleSet, {
      ...(VALID_RULE_SET as object),
      rules: [rule],
    });
    const badLeaves = manyLeaves.map((leaf) => ({ ...leaf, op: "around" }));
    expectTypedOutcome("parseRuleSet", parseRuleSet, {
      ...(VALID_RULE_SET as object),
      rules: [{ ...rule, when: { all: badLeaves } }],
    });
  });

  test("lone surrogates: plans keep them, rule sets reject them", () => {
    const plan = safeParsePlan({
      ...VALID_PLAN,
      tasks: [
        { id: "a", type: "t", description: "\uD800", metadata: { tag: "x\uDFFF" } },
      ],
    });
    expect(plan.ok).toBe(true);
    const ruleSet = safeParseRuleSet({
      ...(VALID_RULE_SET as object),
      name: "bad\uD800",
    });
    expect(ruleSet.ok).toBe(false);
    if (!ruleSet.ok) expect(ruleSet.problems[0]!.path).toBe("name");
  });

  test("store import of hostile text is typed", async () => {
    for (const text of [...PROTOTYPE_TEXTS, "{", "[]", "null", '"x"', "\uD800"]) {
      const error = await importRuleSet(text).catch((e: unknown) => e);
      expect(error, text).toBeInstanceOf(SwitchyardError);
    }
  });
});
