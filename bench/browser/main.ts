/**
 * The page that `npm run bench:browser` opens in headless Chromium. It runs
 * the suites named in the query string and hands the report to the driver
 * through `window.__benchDone`, or shows it when opened by hand.
 */
import { formatReport, type BenchReport } from "../report.js";
import { SUITES, runSuite, type MemorySample, type ProgressEvent } from "../scenarios.js";

interface DriverHooks {
  __benchProgress?: (line: string) => void;
  __benchDone?: (report: BenchReport) => void;
  __benchFailed?: (message: string) => void;
}

interface MemoryMeasurement {
  bytes: number;
}

const hooks = window as unknown as DriverHooks & Window;
const log = document.getElementById("log") as HTMLPreElement;

function write(line: string): void {
  log.textContent += `${line}\n`;
  hooks.__benchProgress?.(line);
}

/**
 * Reads the page's memory with `performance.measureUserAgentSpecificMemory`,
 * which Chromium offers only on cross-origin-isolated pages.
 */
async function readMemory(): Promise<MemorySample> {
  const api = performance as Performance & {
    measureUserAgentSpecificMemory?: () => Promise<MemoryMeasurement>;
  };
  if (!crossOriginIsolated || api.measureUserAgentSpecificMemory === undefined) {
    return {
      usedBytes: null,
      peakBytes: null,
      source: "unavailable (page not cross-origin isolated)",
    };
  }
  const result = await api.measureUserAgentSpecificMemory();
  return {
    usedBytes: result.bytes,
    peakBytes: null,
    source: "measureUserAgentSpecificMemory",
  };
}

function describe(event: ProgressEvent): string {
  const m = event.measurement;
  if (m === null) return `[${event.suite}] ${event.message}`;
  return `[${event.suite}] ${m.name}: median ${m.medianMs.toPrecision(4)} ms, cold ${m.coldMs.toPrecision(4)} ms`;
}

async function main(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const suites = (query.get("suites") ?? SUITES.join(",")).split(",").filter(Boolean);
  const report = await runSuite({
    suites,
    quick: query.get("quick") === "1",
    runtime: "browser",
    memoryProbe: readMemory,
    environment: {
      runtime: navigator.userAgent,
      crossOriginIsolated,
      cores: navigator.hardwareConcurrency,
      timerResolutionMs: estimateTimerResolution(),
    },
    onProgress: (event) => write(describe(event)),
  });
  log.textContent += `${formatReport(report)}\n`;
  hooks.__benchDone?.(report);
}

/** Smallest step of `performance.now()` seen in a short busy loop. */
function estimateTimerResolution(): number {
  let smallest = Infinity;
  let last = performance.now();
  const end = last + 20;
  while (last < end) {
    const next = performance.now();
    if (next > last) smallest = Math.min(smallest, next - last);
    last = next;
  }
  return smallest;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(`Benchmark failed: ${message}`);
  hooks.__benchFailed?.(message);
});
