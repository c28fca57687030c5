/**
 * Chromium for the e2e tests: Debian's build driven by playwright-core,
 * pages that record console errors and CSP violations, and screenshots.
 */
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const screenshotDir = fileURLToPath(
  new URL("../../../test-results/screenshots/", import.meta.url),
);

/** Flags that work as root on a machine without outside network. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
}

export interface TrackedPage {
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  /** Requests that left 127.0.0.1. */
  foreignRequests: string[];
}

/** Opens a page that records problems and any request off 127.0.0.1. */
export async function openPage(
  context: BrowserContext,
  url: string,
): Promise<TrackedPage> {
  const page = await context.newPage();
  const tracked: TrackedPage = { page, problems: [], foreignRequests: [] };
  page.on("console", (message) => {
    if (message.type() === "error") tracked.problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => tracked.problems.push(`page error: ${error.message}`));

  page.on("request", (request) => {
    const requestUrl = new URL(request.url());
    if (requestUrl.protocol.startsWith("http") && requestUrl.hostname !== "127.0.0.1") {
      tracked.foreignRequests.push(request.url());
    }
  });
  await page.goto(url);
  return tracked;
}

/** Saves a screenshot as test-results/screenshots/<name>.png, the whole page by default. */
export async function screenshot(
  page: Page,
  name: string,
  fullPage = true,
): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage });
}
