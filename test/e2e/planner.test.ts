import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import {
  launchChromium,
  openPage,
  screenshot,
  type TrackedPage,
} from "./helpers/browser.js";

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

async function planGoal(goal: string): Promise<TrackedPage> {
  const tracked = await openPage(context, baseURL);
  const { page } = tracked;
  await page.getByLabel("Goal", { exact: true }).fill(goal);
  await page.getByRole("button", { name: "Plan and route" }).click();
  await page.locator("[data-check=solvability] .badge").waitFor();
  return tracked;
}

describe("planner page", () => {
  test("plans a goal and explains a task", async () => {
    const { page, problems, foreignRequests } = await planGoal(
      "Build a SaaS business with authentication, payments, and analytics",
    );

    const nodes = page.locator("g.task");
    expect(await nodes.count()).toBe(7);
    await page.locator('g.task[data-task="spec"]').click();
    const explanation = page.getByTestId("explanation");
    await expect.poll(() => explanation.textContent()).toMatch(/^Rule rule_design: /);
    await page.locator(".trace table").waitFor();
    expect(await page.locator(".trace .outcome-won").first().textContent()).toBe("won");

    const legend = await page.locator("#legend").textContent();
    expect(legend).toContain("spec_agent");
    expect(legend).toContain("builder_agent");

    const partRows = page.locator('table[aria-label="Score parts"] tbody tr');
    expect(await partRows.count()).toBe(4);
    for (const check of [
      "solvability",
      "completeness",
      "nonRedundancy",
      "structure",
      "budget",
    ]) {
      expect(await page.locator(`[data-check=${check}] .badge`).textContent()).toMatch(
        /passed|failed|not run/,
      );
    }
    await screenshot(page, "planner-saas");
    expect(problems).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  test("scores one generic task at 0.828", async () => {
    const { page } = await planGoal("Write a haiku about trains");
    expect(await page.locator("g.task").count()).toBe(1);
    expect(await page.getByTestId("quality-score").textContent()).toBe("0.828");
  });

  test("reaches a task node by keyboard", async () => {
    const { page } = await planGoal("Build a SaaS business");
    await page.locator("#large-size").focus();
    let focusedTask: string | null = null;
    for (let presses = 0; presses < 12 && focusedTask === null; presses++) {
      await page.keyboard.press("Tab");
      focusedTask = await page.evaluate(
        () =>
          document.activeElement?.closest("g.task")?.getAttribute("data-task") ?? null,
      );
    }
    expect(focusedTask).not.toBeNull();

    const ringVisibility = await page.evaluate(
      () =>
        getComputedStyle(document.activeElement!.querySelector(".focus-ring")!)
          .visibility,
    );
    expect(ringVisibility).toBe("visible");

    await page.keyboard.press("ArrowRight");
    const next = await page.evaluate(() =>
      document.activeElement?.getAttribute("data-task"),
    );
    expect(next).not.toBe(focusedTask);
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator("#task-details h3").first().textContent())
      .toBe(next);
    await screenshot(page, "planner-keyboard-focus");
  });

  test("imports a task list from an LLM planner", async () => {
    const { page, problems } = await openPage(context, baseURL);
    const file = {
      tasks: [
        {
          task_id: "research_market",
          task_type: "research",
          description: "Study the market",
        },
        {
          task_id: "write_copy",
          task_type: "marketing",
          description: "Write landing copy",
        },
      ],
    };
    await page.getByLabel(/Plan file/).setInputFiles({
      name: "tasks.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(file)),
    });
    await page.locator("[data-check=solvability] .badge").waitFor();
    expect(await page.locator("g.task").count()).toBe(2);
    const legend = await page.locator("#legend").textContent();
    expect(legend).toContain("research_agent");
    expect(problems).toEqual([]);
  });

  test("stays responsive on a 100,000-task plan", async () => {
    const { page, problems } = await openPage(context, baseURL);
    await page.getByLabel("Tasks in a generated plan").fill("100000");
    await page.getByRole("button", { name: "Generate large plan" }).click();
    await page.locator("#progress-block:not([hidden])").waitFor();

    // Count animation frames while the plan is routed and validated: a page
    // blocked by the work would paint only a handful.
    const frames = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let count = 0;
          const started = performance.now();
          const tick = (): void => {
            count++;
            if (performance.now() - started < 1000) requestAnimationFrame(tick);
            else resolve(count);
          };
          requestAnimationFrame(tick);
        }),
    );
    expect(frames).toBeGreaterThan(5);

    await page.locator("[data-check=solvability] .badge").waitFor({ timeout: 90_000 });
    expect(await page.locator("#dag-summary").isVisible()).toBe(true);
    expect(await page.locator("#dag-caption").textContent()).toContain(
      "of 100,000 tasks",
    );
    expect(await page.locator("g.task").count()).toBeLessThanOrEqual(120);
    await screenshot(page, "planner-large", false);
    expect(problems).toEqual([]);
  });
});
