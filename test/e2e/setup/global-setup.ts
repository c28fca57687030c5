/**
 * Builds the web app with `vite build` and serves it with `vite preview` on
 * 127.0.0.1 at a free port for the e2e tests, which read the address with
 * `inject("baseURL")`. The preview server is stopped when the run ends.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { freePort, runCommand, startServer } from "../helpers/process.js";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const viteBin = fileURLToPath(
  new URL("../../../node_modules/vite/bin/vite.js", import.meta.url),
);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Vitest sets NODE_ENV=test, which would make Vite build in development
  // mode (no service worker registration, unminified code).
  const env = { ...process.env, NODE_ENV: "production" };
  await runCommand(process.execPath, [viteBin, "build", "--logLevel", "warn"], {
    cwd: repoRoot,
    env,
  });
  const port = await freePort();
  const server = await startServer(
    spawn(
      process.execPath,
      [viteBin, "preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort"],
      { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] },
    ),
    `http://127.0.0.1:${port}/`,
  );
  project.provide("baseURL", server.url);
  return server.stop;
}
