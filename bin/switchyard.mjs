#!/usr/bin/env node
// The switchyard command: runs the compiled CLI (npm run build:ts builds dist/).
import { main } from "../dist/cli/main.js";

/** Stop reading standard input past this size; the CLI then rejects it. */
const MAX_STDIN_BYTES = 16 * 1024 * 1024 + 1;

/** Reads standard input to the end (or just past the limit) as UTF-8 text. */
async function readStdin() {
  const chunks = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_STDIN_BYTES) break;
  }
  return Buffer.concat(chunks).toString("utf8");
}

const status = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  stdinIsTty: process.stdin.isTTY === true,
});
process.exitCode = status;
