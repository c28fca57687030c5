import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { launchChromium, openPage, screenshot } from "./helpers/browser.js";

const baseURL = inject("baseURL");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

test("benchmark page runs a quick suite and exports it", async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const { page, problems, foreignRequests } = await openPage(
    context,
    `${baseURL}bench.html`,
  );
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  await page.getByLabel("baselines").uncheck();
  await page.getByLabel("reference").check();
  await page.getByRole("button", { name: "Run benchmark" }).click();
  await page.locator("#bench-progress-block:not([hidden])").waitFor();
  await page.locator("table.bench-table").first().waitFor({ timeout: 90_000 });

  const rows = page.locator('table[aria-label="reference results"] tbody tr');
  const measured = await rows.count();
  expect(measured).toBeGreaterThanOrEqual(12);
  expect(await page.locator("#bench-charts canvas").count()).toBe(1);
  await screenshot(page, "bench-reference");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export JSON" }).click(),
  ]);
  const report = JSON.parse(await readFile(await download.path(), "utf8")) as {
    format: string;
    results: unknown[];
  };
  expect(report.format).toBe("switchyard/bench-report");
  expect(report.results).toHaveLength(measured);
  expect(problems).toEqual([]);
  expect(foreignRequests).toEqual([]);
});
