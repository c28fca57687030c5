import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { exportRuleSet, fileNameFor, importRuleSet } from "../../src/store/files.js";
import { RuleSetImportError } from "../../src/store/errors.js";
import { sha256Hex } from "../../src/store/canonical.js";

const ruleSet = {
  format: "switchyard/ruleset",
  version: 1,
  name: "default",
  agents: [
    { id: "A", taskTypes: ["review"], costTier: "cheap", successRate: 0.9 },
    { id: "B", taskTypes: ["review"] },
  ],
  rules: [
    { id: "R1", priority: 5, when: { taskType: "review" }, agent: "A" },
    { id: "R2", priority: 5, when: { taskType: "review" }, agent: "B" },
  ],
};

/** Same content with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).reverse();
  return Object.fromEntries(entries.map(([key, item]) => [key, reverseKeys(item)]));
}

describe("canonical export", () => {
  test("key order does not change bytes", async () => {
    const first = await exportRuleSet(ruleSet);
    const second = await exportRuleSet(reverseKeys(ruleSet));
    expect(second.text).toBe(first.text);
    expect(second.hash).toBe(first.hash);
  });

  test("defaults are written out", async () => {
    const { text } = await exportRuleSet(ruleSet);
    const parsed = JSON.parse(text) as { agents: Record<string, unknown>[] };
    expect(parsed.agents[1]).toEqual({
      costTier: "medium",
      id: "B",
      maxConcurrent: 10,
      skills: [],
      taskTypes: ["review"],
    });
  });

  test("text is sorted, indented, newline-ended", async () => {
    const { text } = await exportRuleSet(ruleSet);
    const topKeys = Object.keys(JSON.parse(text) as object);
    expect(topKeys).toEqual([...topKeys].sort());
    expect(text.startsWith('{\n  "agents": [\n')).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
  });

  test("rule order is kept", async () => {
    const { text } = await exportRuleSet(ruleSet);
    const parsed = JSON.parse(text) as { rules: { id: string }[] };
    expect(parsed.rules.map((rule) => rule.id)).toEqual(["R1", "R2"]);
  });

  test("hash is SHA-256 of the UTF-8 text", async () => {
    const exported = await exportRuleSet({ ...ruleSet, description: "café 🚀" });
    const expected = createHash("sha256").update(exported.text, "utf8").digest("hex");
    expect(exported.hash).toBe(expected);
    expect(await sha256Hex("")).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  test("blob contains exactly the text", async () => {
    const exported = await exportRuleSet(ruleSet);
    expect(await exported.blob.text()).toBe(exported.text);
    expect(exported.blob.size).toBe(Buffer.byteLength(exported.text, "utf8"));
  });

  test("import then export is stable", async () => {
    const first = await exportRuleSet(ruleSet);
    const imported = await importRuleSet(first.text);
    const second = await exportRuleSet(imported.ruleSet);
    expect(second.text).toBe(first.text);
    expect(imported.hash).toBe(first.hash);
    expect(imported.bytes).toBe(Buffer.byteLength(first.text, "utf8"));
  });
});

describe("file names", () => {
  test.each([
    ["default", "default.ruleset.json"],
    ["Team rules / EU", "Team-rules-EU.ruleset.json"],
    ["café", "café.ruleset.json"],
    ["../../etc/passwd", "etc-passwd.ruleset.json"],
    ["///", "ruleset.ruleset.json"],
  ])("%s becomes %s", (name, expected) => {
    expect(fileNameFor(name)).toBe(expected);
  });
});

describe("import under Node", () => {
  test("URL rejected without an origin", async () => {
    const error = await importRuleSet(new URL("http://127.0.0.1:9/rules.json")).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RuleSetImportError);
    expect((error as RuleSetImportError).code).toBe("E_IMPORT_ORIGIN");
  });

  test("size checked before JSON parsing", async () => {
    const error = await importRuleSet("not json at all", { maxBytes: 4 }).catch(
      (caught: unknown) => caught,
    );
    expect((error as RuleSetImportError).code).toBe("E_IMPORT_TOO_LARGE");
  });
});
