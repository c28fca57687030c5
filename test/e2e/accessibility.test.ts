import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { launchChromium, openPage } from "./helpers/browser.js";

const baseURL = inject("baseURL");
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext();
});

afterAll(async () => {
  await browser?.close();
});

describe.each(["index.html", "rules.html", "bench.html"])("%s", (path) => {
  test("labels every form control", async () => {
    const { page } = await openPage(context, `${baseURL}${path}`);
    await page.locator("main").waitFor();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("input, select, textarea")]
        .filter(
          (element) =>
            !(element instanceof HTMLInputElement && element.type === "hidden"),
        )
        .filter((element) => {
          const labels = (element as HTMLInputElement).labels;
          const named =
            (labels !== null && labels.length > 0) || element.hasAttribute("aria-label");
          return !named && !element.hasAttribute("aria-labelledby");
        })
        .map((element) => element.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
  });

  test("shows a visible focus outline", async () => {
    const { page } = await openPage(context, `${baseURL}${path}`);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(outline.style).toBe("solid");
    expect(outline.width).toBeGreaterThanOrEqual(2);
  });

  test("runs under the content security policy", async () => {
    const { page, problems, foreignRequests } = await openPage(
      context,
      `${baseURL}${path}`,
    );
    const policy = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute("content");
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).not.toContain("unsafe-inline");
    expect(policy).not.toContain("'unsafe-eval'");
    const inlineScripts = await page.locator("script:not([src])").count();
    expect(inlineScripts).toBe(0);
    await page.waitForLoadState("networkidle");
    expect(problems).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
