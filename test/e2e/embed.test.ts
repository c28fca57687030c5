/**
 * Packs the library, installs the tarball into a fresh Vite project made
 * from examples/embed, builds and serves it on 127.0.0.1, and checks in
 * Chromium that the page routes with the packed worker and WASM matcher.
 */
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { launchChromium, openPage, screenshot } from "./helpers/browser.js";
import {
  freePort,
  runCommand,
  startServer,
  type RunningServer,
} from "./helpers/process.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const viteBin = join(repoRoot, "node_modules/vite/bin/vite.js");
const env = { ...process.env, NODE_ENV: "production" };
let workDir: string | undefined;
let server: RunningServer | undefined;

afterAll(async () => {
  await server?.stop();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

test("packed library routes in a fresh Vite app", async () => {
  workDir = await mkdtemp(join(tmpdir(), "switchyard-embed-"));
  await runCommand("npm", ["pack", "--pack-destination", workDir, "--silent"], {
    cwd: repoRoot,
    env,
    timeoutMs: 180_000,
  });
  const tarball = (await readdir(workDir)).find((name) => name.endsWith(".tgz"));
  expect(tarball).toBeDefined();

  const app = join(workDir, "app");
  await cp(join(repoRoot, "examples/embed"), app, { recursive: true });
  const manifest = JSON.parse(await readFile(join(app, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  manifest.dependencies.switchyard = `file:${join(workDir, tarball!)}`;
  await writeFile(join(app, "package.json"), JSON.stringify(manifest, null, 2));
  // --prefer-offline takes the tarball's dependencies (comlink, idb, zod) from
  // npm's cache when it has them and queries the registry only otherwise.
  await runCommand(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"],
    { cwd: app, env, timeoutMs: 180_000 },
  );
  await runCommand(process.execPath, [viteBin, "build", "--logLevel", "warn"], {
    cwd: app,
    env,
  });
  const assets = await readdir(join(app, "dist/assets"));
  expect(assets.some((name) => name.endsWith(".wasm"))).toBe(true);

  const port = await freePort();
  server = await startServer(
    spawn(
      process.execPath,
      [viteBin, "preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort"],
      { cwd: app, env, stdio: ["ignore", "pipe", "pipe"] },
    ),
    `http://127.0.0.1:${port}/`,
  );

  const browser = await launchChromium();
  try {
    const { page, problems, foreignRequests } = await openPage(
      await browser.newContext(),
      server.url,
    );
    const status = page.locator("#status");
    await expect
      .poll(() => status.textContent(), { timeout: 30_000 })
      .toMatch(/^Routed 7 tasks/);
    expect(await status.getAttribute("data-engine")).toBe("wasm");
    expect(await page.locator("#assignments li").count()).toBe(7);
    await screenshot(page, "embed");
    expect(problems).toEqual([]);
    expect(foreignRequests).toEqual([]);
  } finally {
    await browser.close();
  }
});
