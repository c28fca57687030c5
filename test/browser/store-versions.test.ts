import { describe, expect, test } from "vitest";
import {
  RuleSetConflictError,
  RuleSetNotFoundError,
  sha256Hex,
} from "../../src/store/index.js";
import { canonicalJson } from "../../src/engine/schema/index.js";
import { RuleSetError } from "../../src/engine/errors.js";
import { lintRuleSet } from "../../src/engine/lint/index.js";
import { makeRuleSet, openTestStore, tiedRuleSet } from "./store-harness.js";

describe("versions", () => {
  test("save numbers versions and keeps each", async () => {
    const store = await openTestStore();
    const first = await store.save(makeRuleSet("default", "A"));
    const second = await store.save(makeRuleSet("default", "B"));
    const third = await store.save(makeRuleSet("default", "A"));

    expect([first.version, second.version, third.version]).toEqual([1, 2, 3]);
    expect((await store.load("default", 1)).ruleSet.rules[0]?.agent).toBe("A");
    expect((await store.load("default", 2)).ruleSet.rules[0]?.agent).toBe("B");
    expect((await store.load("default")).version).toBe(3);
    expect((await store.history("default")).map((entry) => entry.version)).toEqual([
      1, 2, 3,
    ]);
  });

  test("hash is SHA-256 of canonical JSON", async () => {
    const store = await openTestStore();
    const saved = await store.save(makeRuleSet("default"));

    expect(saved.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(saved.hash).toBe(await sha256Hex(canonicalJson(saved.ruleSet)));
    const again = await store.save(makeRuleSet("default"));
    expect(again.hash).toBe(saved.hash);
    expect(again.version).toBe(2);
  });

  test("dates: created stays, updated moves", async () => {
    const store = await openTestStore();
    const first = await store.save(makeRuleSet("default"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await store.save(makeRuleSet("default", "B"));

    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt).toBeGreaterThan(first.updatedAt);
    expect(second.savedAt).toBe(second.updatedAt);
    expect((await store.load("default", 1)).savedAt).toBe(first.savedAt);
  });

  test("load of unknown name or version rejects", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("default"));

    await expect(store.load("nope")).rejects.toBeInstanceOf(RuleSetNotFoundError);
    const error = await store.load("default", 7).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuleSetNotFoundError);
    expect((error as RuleSetNotFoundError).code).toBe("E_NOT_FOUND");
    expect((error as Error).message).toContain("version 7");
  });

  test("invalid rule set is rejected unsaved", async () => {
    const store = await openTestStore();
    const invalid = { ...makeRuleSet("default"), extra: true };

    await expect(store.save(invalid)).rejects.toBeInstanceOf(RuleSetError);
    expect(await store.list()).toEqual([]);
  });

  test("expectedVersion guards against lost updates", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("default"), { expectedVersion: 0 });
    await store.save(makeRuleSet("default", "B"), { expectedVersion: 1 });

    const error = await store
      .save(makeRuleSet("default"), { expectedVersion: 1 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuleSetConflictError);
    expect((error as RuleSetConflictError).code).toBe("E_VERSION_CONFLICT");
    expect((await store.load("default")).version).toBe(2);
  });

  test("lint findings come back with save", async () => {
    const store = await openTestStore({ lint: lintRuleSet });
    const input = makeRuleSet("default");
    // An exact copy of r1 behind it can never win.
    input["rules"] = [
      { id: "r1", priority: 5, when: { taskType: "review" }, agent: "A" },
      { id: "r2", priority: 5, when: { taskType: "review" }, agent: "B" },
    ];
    const saved = await store.save(input);

    expect(saved.version).toBe(1);
    expect(saved.findings.length).toBeGreaterThan(0);
    expect(saved.findings.some((finding) => finding.path.startsWith("rules[1]"))).toBe(
      true,
    );
  });

  test("save without lint has no findings", async () => {
    const store = await openTestStore();
    expect((await store.save(makeRuleSet("default"))).findings).toEqual([]);
  });

  test("rule order survives save and load", async () => {
    const store = await openTestStore();
    await store.save(tiedRuleSet("ties"));
    const loaded = await store.load("ties");

    expect(loaded.ruleSet.rules.map((rule) => rule.id)).toEqual(["R1", "R2", "R3", "R4"]);
    expect(loaded.ruleSet.rules.map((rule) => rule.agent)).toEqual(["A", "B", "C", "D"]);
  });
});

describe("restore", () => {
  test("restore saves old content as new version", async () => {
    const store = await openTestStore();
    const first = await store.save(makeRuleSet("default", "A"));
    await store.save(makeRuleSet("default", "B"));

    const restored = await store.restore("default", 1);
    expect(restored.version).toBe(3);
    expect(restored.hash).toBe(first.hash);
    expect(restored.ruleSet).toEqual(first.ruleSet);
    expect((await store.load("default", 2)).ruleSet.rules[0]?.agent).toBe("B");
    expect((await store.history("default")).at(-1)?.origin).toEqual({
      kind: "restore",
      fromVersion: 1,
    });
  });

  test("restore of missing version rejects", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("default"));
    await expect(store.restore("default", 5)).rejects.toBeInstanceOf(
      RuleSetNotFoundError,
    );
    expect((await store.history("default")).length).toBe(1);
  });
});

describe("rename", () => {
  test("rename keeps history under new name", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("old"));
    await store.save(makeRuleSet("old", "B"));

    const renamed = await store.rename("old", "new");
    expect(renamed.name).toBe("new");
    expect(renamed.version).toBe(3);
    expect(renamed.ruleSet.name).toBe("new");
    expect((await store.load("new", 1)).ruleSet.name).toBe("old");
    await expect(store.load("old")).rejects.toBeInstanceOf(RuleSetNotFoundError);
    expect((await store.list()).map((entry) => entry.name)).toEqual(["new"]);
  });

  test("rename onto a live name rejects", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("a"));
    await store.save(makeRuleSet("b"));

    const error = await store.rename("a", "b").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuleSetConflictError);
    expect((error as RuleSetConflictError).code).toBe("E_NAME_TAKEN");
    expect((await store.load("a")).version).toBe(1);
    expect((await store.load("b")).version).toBe(1);
  });

  test("restore after rename keeps current name", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("old"));
    await store.rename("old", "new");

    const restored = await store.restore("new", 1);
    expect(restored.ruleSet.name).toBe("new");
    expect(restored.version).toBe(3);
  });

  test("active follows a rename", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("old"));
    await store.setActive("old");
    await store.rename("old", "new");

    expect((await store.getActive())?.name).toBe("new");
  });
});

describe("soft delete", () => {
  test("delete hides, restoreDeleted brings back", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("default"));
    await store.save(makeRuleSet("default", "B"));
    await store.delete("default");

    expect(await store.list()).toEqual([]);
    await expect(store.load("default")).rejects.toBeInstanceOf(RuleSetNotFoundError);
    expect((await store.listDeleted()).map((entry) => entry.name)).toEqual(["default"]);

    const back = await store.restoreDeleted("default");
    expect(back.version).toBe(2);
    expect((await store.history("default")).length).toBe(2);
    expect(await store.listDeleted()).toEqual([]);
  });

  test("deleted name can be reused", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("default"));
    await store.save(makeRuleSet("default"));
    await store.delete("default");

    const fresh = await store.save(makeRuleSet("default", "B"));
    expect(fresh.version).toBe(1);

    const error = await store
      .restoreDeleted("default")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuleSetConflictError);
    expect((error as RuleSetConflictError).code).toBe("E_NAME_TAKEN");
  });

  test("purge removes deleted rule sets for good", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("gone"));
    await store.save(makeRuleSet("kept"));
    await store.delete("gone");

    expect(await store.purge()).toBe(1);
    expect(await store.listDeleted()).toEqual([]);
    await expect(store.restoreDeleted("gone")).rejects.toBeInstanceOf(
      RuleSetNotFoundError,
    );
    expect((await store.list()).map((entry) => entry.name)).toEqual(["kept"]);
  });

  test("purge by name leaves live rule sets", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("live"));

    await expect(store.purge("live")).rejects.toBeInstanceOf(RuleSetNotFoundError);
    expect((await store.load("live")).version).toBe(1);
  });

  test("deleting the active rule set clears it", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("default"));
    await store.setActive("default");
    await store.delete("default");

    expect(await store.getActive()).toBeNull();
    await store.restoreDeleted("default");
    expect(await store.getActive()).toBeNull();
  });
});

describe("active rule set", () => {
  test("setActive and getActive", async () => {
    const store = await openTestStore();
    expect(await store.getActive()).toBeNull();
    await store.save(makeRuleSet("a"));
    await store.save(makeRuleSet("b"));
    await store.setActive("b");

    expect((await store.getActive())?.name).toBe("b");
    expect((await store.list()).map((entry) => [entry.name, entry.active])).toEqual([
      ["a", false],
      ["b", true],
    ]);
  });

  test("active tracks the latest version", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("a"));
    await store.setActive("a");
    await store.save(makeRuleSet("a", "B"));

    const active = await store.getActive();
    expect(active?.version).toBe(2);
    expect(active?.ruleSet.rules[0]?.agent).toBe("B");
  });

  test("setActive of unknown name rejects", async () => {
    const store = await openTestStore();
    await expect(store.setActive("nope")).rejects.toBeInstanceOf(RuleSetNotFoundError);
    await store.save(makeRuleSet("a"));
    await store.setActive("a");
    await store.setActive(null);
    expect(await store.getActive()).toBeNull();
  });
});
