/**
 * `npm run bench`: runs the benchmark suites under Node, prints the tables
 * and writes `bench/results/node.json`.
 *
 * Options: `--quick` (fewer samples, smaller sizes), `--suites=a,b` (default
 * all), `--out=FILE`. Run with `--expose-gc` for stable memory figures.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { describeCommit } from "./git.js";
import { formatReport } from "./report.js";
import { SUITES, runSuite, type MemorySample } from "./scenarios.js";

interface Arguments {
  quick: boolean;
  suites: string[];
  out: URL;
}

const RESULTS = new URL("../../bench/results/", import.meta.url);

function parseArguments(argv: readonly string[]): Arguments {
  const parsed: Arguments = {
    quick: false,
    suites: [...SUITES],
    out: new URL("node.json", RESULTS),
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

async function readMemory(): Promise<MemorySample> {
  const usage = process.memoryUsage();
  return {
    // Typed arrays live outside the JS heap, so count their buffers too.
    usedBytes: usage.heapUsed + usage.arrayBuffers,
    peakBytes: process.resourceUsage().maxRSS * 1024,
    source: "process.memoryUsage (heapUsed + arrayBuffers), resourceUsage.maxRSS",
  };
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const gc = (globalThis as { gc?: () => void }).gc;
  const cpu = os.cpus()[0];
  const report = await runSuite({
    suites: args.suites,
    quick: args.quick,
    runtime: "node",
    memoryProbe: readMemory,
    wasmUrl: new URL("../../build/release.wasm", import.meta.url),
    ...(gc === undefined ? {} : { collectGarbage: gc }),
    environment: {
      commit: describeCommit(),
      runtime: `node ${process.version}`,
      v8: process.versions.v8,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpu: cpu?.model ?? "unknown",
      cores: os.availableParallelism(),
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      gcExposed: gc !== undefined,
    },
    onProgress(event) {
      if (event.measurement === null) {
        process.stderr.write(`[${event.suite}] ${event.message}\n`);
      } else {
        const m = event.measurement;
        process.stderr.write(
          `[${event.suite}] ${m.name}: median ${m.medianMs.toPrecision(4)} ms, cold ${m.coldMs.toPrecision(4)} ms\n`,
        );
      }
    },
  });
  process.stdout.write(`${formatReport(report)}\n`);
  await mkdir(new URL(".", args.out), { recursive: true });
  await writeFile(args.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`Wrote ${fileURLToPath(args.out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
