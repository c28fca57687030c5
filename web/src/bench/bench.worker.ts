/**
 * Runs the benchmark suites in a dedicated worker, so that the page keeps
 * painting progress while the measurements run, and posts progress events
 * and the final report back. The page terminates the worker to cancel.
 */
import {
  runSuite,
  type MemorySample,
  type ProgressEvent,
} from "../../../bench/scenarios.js";
import type { BenchReport } from "../../../bench/report.js";

export interface BenchRequest {
  suites: string[];
  quick: boolean;
  environment: Record<string, string | number | boolean | null>;
}

export type BenchMessage =
  | { kind: "progress"; event: ProgressEvent }
  | { kind: "done"; report: BenchReport }
  | { kind: "failed"; message: string };

/** Chromium exposes heap figures as the non-standard `performance.memory`. */
interface ChromiumPerformance {
  memory?: { usedJSHeapSize: number };
}

async function readMemory(): Promise<MemorySample> {
  const memory = (performance as ChromiumPerformance).memory;
  return memory === undefined
    ? { usedBytes: null, peakBytes: null, source: "unavailable in this browser" }
    : {
        usedBytes: memory.usedJSHeapSize,
        peakBytes: null,
        source: "performance.memory (JS heap)",
      };
}

function post(message: BenchMessage): void {
  self.postMessage(message);
}

self.addEventListener("message", (event: MessageEvent<BenchRequest>) => {
  const request = event.data;
  runSuite({
    suites: request.suites,
    quick: request.quick,
    runtime: "browser",
    environment: request.environment,
    memoryProbe: readMemory,
    onProgress: (progress) => post({ kind: "progress", event: progress }),
  }).then(
    (report) => post({ kind: "done", report }),
    (error: unknown) =>
      post({
        kind: "failed",
        message: error instanceof Error ? error.message : String(error),
      }),
  );
});
