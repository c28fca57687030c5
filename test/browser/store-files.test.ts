import { afterEach, describe, expect, test, vi } from "vitest";
import {
  DEFAULT_MAX_IMPORT_BYTES,
  exportRuleSet,
  importRuleSet,
  RuleSetImportError,
} from "../../src/store/index.js";
import { formatProblems } from "../../src/engine/schema/index.js";
import { RuleSetError, type SchemaProblem } from "../../src/engine/errors.js";
import { makeRuleSet, openTestStore, tiedRuleSet } from "./store-harness.js";

afterEach(() => {
  vi.restoreAllMocks();
});

async function bytesOf(blob: Blob): Promise<number[]> {
  return [...new Uint8Array(await blob.arrayBuffer())];
}

function problemsOf(error: unknown): SchemaProblem[] {
  expect(error).toBeInstanceOf(RuleSetError);
  return (error as RuleSetError).details["problems"] as SchemaProblem[];
}

function sameOriginUrl(text: string): URL {
  const href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  return new URL(href);
}

describe("round trip", () => {
  test.each([
    ["File", (text: string) => new File([text], "rules.json")],
    ["Blob", (text: string) => new Blob([text])],
    ["string", (text: string) => text],
    ["same-origin URL", sameOriginUrl],
  ])("export, import from %s, export: same bytes", async (_kind, toSource) => {
    const first = await exportRuleSet(tiedRuleSet("ties"));
    const imported = await importRuleSet(toSource(first.text));
    const second = await exportRuleSet(imported.ruleSet);

    expect(second.text).toBe(first.text);
    expect(await bytesOf(second.blob)).toEqual(await bytesOf(first.blob));
    expect(second.hash).toBe(first.hash);
    expect(imported.hash).toBe(first.hash);
    expect(imported.ruleSet.rules.map((rule) => rule.id)).toEqual([
      "R1",
      "R2",
      "R3",
      "R4",
    ]);
  });

  test("stored hash equals exported hash", async () => {
    const store = await openTestStore();
    const saved = await store.save(makeRuleSet("default"));
    const exported = await exportRuleSet((await store.load("default")).ruleSet);
    expect(exported.hash).toBe(saved.hash);

    const reimported = await store.importRuleSet(
      new File([exported.text], exported.fileName),
    );
    expect(reimported.version).toBe(2);
    expect(reimported.hash).toBe(saved.hash);
  });

  test("export names file and type", async () => {
    const exported = await exportRuleSet(makeRuleSet("Team rules / EU"));
    expect(exported.fileName).toBe("Team-rules-EU.ruleset.json");
    expect(exported.blob.type).toBe("application/json");
    expect(exported.text.endsWith("}\n")).toBe(true);
  });

  test("byte order mark is accepted", async () => {
    const { text, hash } = await exportRuleSet(makeRuleSet("default"));
    const withBom = new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), text]);
    expect((await importRuleSet(withBom)).hash).toBe(hash);
  });
});

describe("size limit", () => {
  test("large file rejected before reading", async () => {
    const read = vi.spyOn(Blob.prototype, "arrayBuffer");
    const file = new File(["x".repeat(100)], "big.json");

    const error = await importRuleSet(file, { maxBytes: 50 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RuleSetImportError);
    expect((error as RuleSetImportError).code).toBe("E_IMPORT_TOO_LARGE");
    expect((error as Error).message).toContain("100 bytes");
    expect((error as Error).message).toContain("limit is 50 bytes");
    expect((error as Error).message).toContain('"big.json"');
    expect(read).not.toHaveBeenCalled();
  });

  test("default limit is checked before parsing", async () => {
    const size = DEFAULT_MAX_IMPORT_BYTES + 1;
    const error = await importRuleSet("{".repeat(size)).catch(
      (caught: unknown) => caught,
    );
    expect((error as RuleSetImportError).code).toBe("E_IMPORT_TOO_LARGE");
    expect((error as Error).message).toContain(`${size} bytes`);
    expect((error as Error).message).toContain(`${DEFAULT_MAX_IMPORT_BYTES} bytes`);
  });

  test("limit counts UTF-8 bytes of strings", async () => {
    // Four characters, twelve UTF-8 bytes.
    const error = await importRuleSet("€€€€", { maxBytes: 11 }).catch(
      (caught: unknown) => caught,
    );
    expect((error as RuleSetImportError).code).toBe("E_IMPORT_TOO_LARGE");
    expect((error as Error).message).toContain("12 bytes");
  });

  test("large URL body rejected", async () => {
    const { text } = await exportRuleSet(makeRuleSet("default"));
    const error = await importRuleSet(sameOriginUrl(text), { maxBytes: 20 }).catch(
      (caught: unknown) => caught,
    );
    expect((error as RuleSetImportError).code).toBe("E_IMPORT_TOO_LARGE");
    expect((error as Error).message).toContain("limit is 20 bytes");
  });
});

describe("unreadable sources", () => {
  test("other origin rejected before fetch", async () => {
    const fetchSpy = vi
      .spyOn(globalThis, "fetch")
      .mockRejectedValue(new Error("must not fetch"));
    const error = await importRuleSet(
      new URL("https://rules.example.com/default.json"),
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RuleSetImportError);
    expect((error as RuleSetImportError).code).toBe("E_IMPORT_ORIGIN");
    expect((error as Error).message).toContain("https://rules.example.com/default.json");
    expect((error as Error).message).toContain(location.origin);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  test("missing same-origin file rejects", async () => {
    const url = new URL(`/no-such-rules-${crypto.randomUUID()}.json`, location.origin);
    const error = await importRuleSet(url).catch((caught: unknown) => caught);
    expect((error as RuleSetImportError).code).toBe("E_IMPORT_FETCH");
    expect((error as Error).message).toContain("HTTP 404");
  });

  test("same-origin file that is no rule set", async () => {
    const error = await importRuleSet(new URL("/package.json", location.origin)).catch(
      (caught: unknown) => caught,
    );
    expect(problemsOf(error).map((problem) => problem.path)).toContain("format");
  });

  test("invalid JSON rejects", async () => {
    const error = await importRuleSet('{"format": ').catch((caught: unknown) => caught);
    expect((error as RuleSetImportError).code).toBe("E_IMPORT_JSON");
    expect((error as Error).message).toMatch(/^rule-set file is not valid JSON/);
  });

  test("invalid UTF-8 rejects", async () => {
    const error = await importRuleSet(
      new Blob([new Uint8Array([0x7b, 0xff, 0x7d])]),
    ).catch((caught: unknown) => caught);
    expect((error as RuleSetImportError).code).toBe("E_IMPORT_ENCODING");
  });
});

describe("invalid rule sets write nothing", () => {
  async function storeWithDefault() {
    const store = await openTestStore();
    const saved = await store.save(makeRuleSet("default"));
    return { store, saved };
  }

  async function expectUnchanged(
    store: Awaited<ReturnType<typeof storeWithDefault>>["store"],
    hash: string,
  ): Promise<void> {
    const list = await store.list();
    expect(list.map((entry) => [entry.name, entry.latestVersion, entry.hash])).toEqual([
      ["default", 1, hash],
    ]);
    expect(await store.listDeleted()).toEqual([]);
  }

  test("unknown operator names path, value, allowed", async () => {
    const { store, saved } = await storeWithDefault();
    const input = makeRuleSet("default");
    input["rules"] = [
      {
        id: "r1",
        priority: 5,
        when: { all: [{ field: "metadata.size", op: "around", value: [1, 2] }] },
        agent: "A",
      },
    ];

    const error = await store
      .importRuleSet(JSON.stringify(input))
      .catch((caught: unknown) => caught);
    const problem = problemsOf(error).find(
      (item) => item.path === "rules[0].when.all[0].op",
    );
    expect(problem?.received).toBe("around");
    expect(`${problem?.message} ${problem?.expected}`).toContain("between");
    expect(`${problem?.message} ${problem?.expected}`).toContain("startsWith");
    await expectUnchanged(store, saved.hash);
  });

  test("non-integer maxConcurrent names path", async () => {
    const { store, saved } = await storeWithDefault();
    const input = makeRuleSet("default");
    input["agents"] = [
      { id: "constructor", taskTypes: ["review"], maxConcurrent: "two" },
      { id: "A", taskTypes: ["review"] },
    ];

    const error = await store
      .importRuleSet(JSON.stringify(input))
      .catch((caught: unknown) => caught);
    const problems = problemsOf(error);
    const problem = problems.find((item) => item.path === "agents[0].maxConcurrent");
    expect(problem?.message).toContain("expected integer");
    expect(() => formatProblems(problems)).not.toThrow();
    expect(formatProblems(problems)).toContain("agents[0].maxConcurrent");
    await expectUnchanged(store, saved.hash);
  });

  test("prototype keys rejected, nothing polluted", async () => {
    const { store, saved } = await storeWithDefault();
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const text = JSON.stringify({
      format: "switchyard/ruleset",
      version: 1,
      name: "default",
      agents: [
        { id: "__proto__", taskTypes: ["review"] },
        { id: "A", taskTypes: ["review"] },
      ],
      rules: [
        {
          id: "r1",
          priority: 1,
          when: { field: "metadata.__proto__.polluted", op: "eq", value: "yes" },
          agent: "A",
        },
        {
          id: "r2",
          priority: 1,
          when: { field: "metadata.constructor.prototype.p", op: "exists" },
          agent: "A",
        },
      ],
    });

    const error = await store.importRuleSet(text).catch((caught: unknown) => caught);
    const paths = problemsOf(error).map((problem) => problem.path);
    expect(paths).toContain("agents[0].id");
    expect(paths.some((path) => path.startsWith("rules[0].when"))).toBe(true);
    expect(paths.some((path) => path.startsWith("rules[1].when"))).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["p"]).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    await expectUnchanged(store, saved.hash);
  });

  test("too-large import writes nothing", async () => {
    const { store, saved } = await storeWithDefault();
    const { text } = await exportRuleSet(makeRuleSet("default", "B"));
    await expect(store.importRuleSet(text, { maxBytes: 10 })).rejects.toBeInstanceOf(
      RuleSetImportError,
    );
    await expectUnchanged(store, saved.hash);
  });
});
