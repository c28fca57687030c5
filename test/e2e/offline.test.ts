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

test("app reloads and routes with the network off", async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const { page, problems, foreignRequests } = await openPage(context, baseURL);
  await expect
    .poll(
      () => page.evaluate(() => navigator.serviceWorker.controller?.state ?? "none"),
      {
        timeout: 20_000,
      },
    )
    .toBe("activated");

  await context.setOffline(true);
  for (const path of ["", "rules.html", "bench.html"]) {
    await page.goto(`${baseURL}${path}`);
    expect(await page.locator("h1").count()).toBe(1);
  }
  await page.goto(baseURL);
  await expect.poll(() => page.locator("#app-status").textContent()).toContain("Offline");
  await page.getByLabel("Goal", { exact: true }).fill("Launch a SaaS product");
  await page.getByRole("button", { name: "Plan and route" }).click();
  await page.locator("[data-check=solvability] .badge").waitFor();
  expect(await page.locator("g.task").count()).toBe(7);
  await screenshot(page, "planner-offline", false);
  await context.setOffline(false);
  expect(problems).toEqual([]);
  expect(foreignRequests).toEqual([]);
});
