/**
 * `npm run bench:browser`: builds the benchmark page with Vite, serves it
 * with `vite preview` on 127.0.0.1 with cross-origin isolation headers (so
 * `performance.now()` is precise), runs it in headless Chromium through
 * playwright-core, prints the tables and writes `bench/results/browser.json`.
 *
 * Options: `--quick`, `--suites=a,b`, `--out=FILE`. `CHROMIUM_PATH` selects
 * the browser (default /usr/bin/chromium).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { build, preview } from "vite";
import { describeCommit } from "./git.js";
import { formatReport, type BenchReport } from "./report.js";
import { SUITES } from "./scenarios.js";

const ROOT = new URL("../../", import.meta.url);
const PAGE_ROOT = fileURLToPath(new URL("bench/browser/", ROOT));
const OUT_DIR = fileURLToPath(new URL("bench-dist/browser/", ROOT));

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

/** Full runs take minutes; a page that reports nothing for this long has hung. */
const TIMEOUT_MS = 20 * 60_000;

interface Arguments {
  quick: boolean;
  suites: string[];
  out: URL;
}

function parseArguments(argv: readonly string[]): Arguments {
  const parsed: Arguments = {
    quick: false,
    suites: [...SUITES],
    out: new URL("bench/results/browser.json", ROOT),
  };
  for (const argument of argv) {
    if (argument === "--quick") {
      parsed.quick = true;
    } else if (argument.startsWith("--suites=")) {
      parsed.suites = argument.slice("--suites=".length).split(",").filter(Boolean);
    } else if (argument.startsWith("--out=")) {
      parsed.out = new URL(argument.slice("--out=".length), `file://${process.cwd()}/`);
    } else {
      throw new Error(
        `Unknown option "${argument}"; expected --quick, --suites=${SUITES.join(",")} or --out=FILE`,
      );
    }
  }
  return parsed;
}

const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

async function buildPage(): Promise<void> {
  await build({
    configFile: false,
    root: PAGE_ROOT,
    base: "./",
    logLevel: "warn",
    worker: { format: "es" },
    build: {
      outDir: OUT_DIR,
      emptyOutDir: true,
      target: "es2022",
      assetsInlineLimit: (filePath: string) =>
        filePath.endsWith(".wasm") ? false : undefined,
    },
  });
}

async function runPage(args: Arguments, url: string): Promise<BenchReport> {
  const browser = await chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    const done = new Promise<BenchReport>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`The benchmark page did not finish within ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      );
      void page.exposeFunction("__benchProgress", (line: string) => {
        process.stderr.write(`${line.split("\n")[0]}\n`);
      });
      void page.exposeFunction("__benchDone", (report: BenchReport) => {
        clearTimeout(timer);
        resolve(report);
      });
      void page.exposeFunction("__benchFailed", (message: string) => {
        clearTimeout(timer);
        reject(new Error(`The benchmark page failed: ${message}`));
      });
      page.on("pageerror", (error) =>
        process.stderr.write(`page error: ${error.message}\n`),
      );
    });
    const query = new URLSearchParams({ suites: args.suites.join(",") });
    if (args.quick) query.set("quick", "1");
    await page.goto(`${url}?${query.toString()}`);
    const report = await done;
    report.environment["browserVersion"] = browser.version();
    report.environment["commit"] = describeCommit();
    return report;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  process.stderr.write("Building the benchmark page with Vite\n");
  await buildPage();
  const server = await preview({
    configFile: false,
    root: PAGE_ROOT,
    logLevel: "warn",
    build: { outDir: OUT_DIR },
    preview: { host: "127.0.0.1", port: 0, strictPort: false, headers: isolationHeaders },
  });
  try {
    const url = server.resolvedUrls?.local[0];
    if (url === undefined) throw new Error("vite preview reported no local URL");
    process.stderr.write(`Serving ${url}\n`);
    const report = await runPage(args, url);
    process.stdout.write(`${formatReport(report)}\n`);
    await mkdir(new URL(".", args.out), { recursive: true });
    await writeFile(args.out, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`Wrote ${fileURLToPath(args.out)}\n`);
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Browser benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
