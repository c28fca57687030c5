import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { launchChromium, openPage, screenshot } from "./helpers/browser.js";

const baseURL = inject("baseURL");
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
});

function jsonFile(name: string, value: unknown) {
  return {
    name,
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(value, null, 2)),
  };
}

const smallRuleSet = {
  format: "switchyard/ruleset",
  version: 1,
  name: "e2e-small",
  agents: [
    { id: "writer", taskTypes: ["write"], successRate: 0.9 },
    { id: "checker", taskTypes: ["check"] },
  ],
  rules: [
    { id: "rule_write", priority: 10, when: { taskType: "write" }, agent: "writer" },
  ],
};

async function editorText(page: Page): Promise<string> {
  return page.locator("#ruleset-json").inputValue();
}

describe("rule-set manager", () => {
  test("shows the path and value of a bad import", async () => {
    const { page, problems } = await openPage(context, `${baseURL}rules.html`);
    const bad = {
      ...smallRuleSet,
      name: "e2e-bad",
      rules: [
        { id: "r1", priority: "high", when: { taskType: "write" }, agent: "writer" },
      ],
    };
    await page
      .getByLabel("Import a rule-set file")
      .setInputFiles(jsonFile("bad.json", bad));
    const result = page.locator("#import-result");
    await result.locator("[role=alert]").waitFor();
    const text = await result.textContent();
    expect(text).toContain('"bad.json" was not imported');
    expect(text).toContain("rules[0].priority");
    expect(text).toContain('"high"');
    await screenshot(page, "rules-bad-import");

    const listed = await page.locator("#ruleset-list").textContent();
    expect(listed).not.toContain("e2e-bad");
    expect(problems).toEqual([]);
  });

  test("edits, saves, diffs and restores versions", async () => {
    const { page, problems } = await openPage(context, `${baseURL}rules.html`);
    await page
      .getByLabel("Import a rule-set file")
      .setInputFiles(jsonFile("small.json", smallRuleSet));
    await expect
      .poll(() => page.locator("#editor-state").textContent())
      .toContain("e2e-small v1");
    const version1 = await editorText(page);

    // Live lint and schema errors while typing.
    await page
      .locator("#ruleset-json")
      .fill(version1.replace('"agent": "writer"', '"agent": "nobody"'));
    await expect
      .poll(() => page.locator("#problems").textContent())
      .toContain("rules[0].agent");
    expect(await page.locator(".line-numbers .has-problem").count()).toBeGreaterThan(0);

    await page
      .locator("#ruleset-json")
      .fill(version1.replace('"priority": 10', '"priority": 42'));
    await expect
      .poll(() => page.locator("#problems").textContent())
      .not.toContain("rules[0].agent");
    await page.getByRole("button", { name: "Save version" }).click();
    await expect
      .poll(() => page.locator("#editor-state").textContent())
      .toContain("e2e-small v2");
    expect(await editorText(page)).toContain('"priority": 42');

    await page.getByLabel("Compare").selectOption("1");
    await page.getByLabel("with", { exact: true }).selectOption("2");
    await expect.poll(() => page.locator("#diff .removed").count()).toBe(1);
    expect(await page.locator("#diff .removed").textContent()).toContain(
      '"priority": 10',
    );
    expect(await page.locator("#diff .added").textContent()).toContain('"priority": 42');
    await screenshot(page, "rules-diff");

    await page.getByRole("button", { name: "Restore version 1" }).click();
    await expect
      .poll(() => page.locator("#editor-state").textContent())
      .toContain("e2e-small v3");
    expect(await editorText(page)).toBe(version1);
    expect(await page.locator("#history li").count()).toBe(3);
    expect(await page.locator("#history").textContent()).toContain("restored from v1");
    expect(problems).toEqual([]);
  });

  test("sets a rule set active for the planner", async () => {
    const { page } = await openPage(context, `${baseURL}rules.html`);
    await page
      .getByLabel("Import a rule-set file")
      .setInputFiles(jsonFile("active.json", { ...smallRuleSet, name: "e2e-active" }));
    await expect
      .poll(() => page.locator("#editor-state").textContent())
      .toContain("e2e-active v1");
    await page.getByRole("button", { name: "Set active" }).click();
    await expect
      .poll(() => page.locator("#ruleset-list").textContent())
      .toContain("active · v1");

    await page.goto(baseURL);
    await expect
      .poll(() => page.locator("#ruleset-select option:checked").textContent())
      .toContain("e2e-active");
  });

  test("exports the open rule set as a file", async () => {
    const { page } = await openPage(context, `${baseURL}rules.html`);
    await page.locator("#ruleset-list button").first().click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export", exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("genesis-default.ruleset.json");
    const path = await download.path();
    const { readFile } = await import("node:fs/promises");
    const exported = JSON.parse(await readFile(path, "utf8")) as { rules: unknown[] };
    expect(exported.rules).toHaveLength(22);
  });
});
