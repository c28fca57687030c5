/** Shared harness for CLI tests: a temp folder for input files and an in-process run. */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { main, type CliIo } from "../../src/cli/main.js";

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Creates a temp folder for the calling suite, removed after it. `file`
 * writes JSON (or raw text) there and returns its path.
 */
export function useTempFiles(prefix: string): (name: string, content: unknown) => string {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  };
}

/** Runs the CLI in-process with captured output and no standard input. */
export async function runCli(argv: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stdinIsTty: true,
  };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}
