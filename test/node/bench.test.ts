import { describe, expect, test } from "vitest";
import { formatReport } from "../../bench/report.js";
import { REFERENCE_SCENARIOS, SUITES, runSuite } from "../../bench/scenarios.js";
import type { BenchReport } from "../../bench/report.js";

/** Runs every suite at toy sizes; checks the report, never the times. */
async function runTinySuite(): Promise<BenchReport> {
  return runSuite({
    suites: [...SUITES],
    quick: true,
    runtime: "node",
    scaleSizes: [60],
    ruleCounts: [22],
    baselineTasks: 30,
    memoryTasks: 500,
    memoryProbe: async () => ({
      usedBytes: process.memoryUsage().heapUsed,
      peakBytes: null,
      source: "test",
    }),
  });
}

describe("benchmark suite", () => {
  let report: BenchReport;

  test("runs every suite at toy sizes", async () => {
    report = await runTinySuite();
    expect(report.format).toBe("switchyard/bench-report");
    expect(report.suites).toEqual([...SUITES]);
  }, 240_000);

  test("reports the twelve reference scenarios", () => {
    const names = report.results.map((m) => m.name);
    for (const name of REFERENCE_SCENARIOS) expect(names).toContain(name);
    expect(REFERENCE_SCENARIOS).toHaveLength(12);
    expect(report.referenceSumMs).not.toBeNull();
  });

  test("reports scale, baseline and worker scenarios", () => {
    const names = report.results.map((m) => m.name);
    expect(names).toContain("scale/assign-js/22/60");
    expect(names).toContain("scale/assign-wasm/22/60");
    expect(names).toContain("scale/worker-wasm/22/60");
    expect(names).toContain("baseline/jre/default/30");
    expect(names).toContain("baseline/naive/3000/30");
    expect(names).toContain("worker/round-trip-js/200");
    expect(names).toContain("worker/cold-start-wasm");
  });

  test("fills every measurement with samples", () => {
    for (const m of report.results) {
      expect(m.samples, m.name).toBeGreaterThan(0);
      expect(Number.isFinite(m.medianMs), m.name).toBe(true);
      expect(m.minMs, m.name).toBeLessThanOrEqual(m.maxMs);
    }
  });

  test("computes goals from the measurements", () => {
    const goals = new Map(report.goals.map((g) => [g.id, g]));
    expect(goals.get("vs-json-rules-engine")?.measured).not.toBeNull();
    expect(goals.get("vs-naive-3000")?.measured).not.toBeNull();
    expect(goals.get("boundary-bytes")?.measured).toBeGreaterThan(0);
    expect(goals.get("worker-million")?.met).toBeNull();
  });

  test("records memory and boundary readings", () => {
    expect(report.memory[0]?.tasks).toBe(500);
    expect(report.boundary.map((b) => b.tasks)).toContain(60);
  });

  test("survives a JSON round trip and formats", () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(formatReport(report)).toContain("reference/route-200");
  });

  test("rejects an unknown suite name", async () => {
    await expect(runSuite({ suites: ["nope"], runtime: "node" })).rejects.toThrow(
      /Unknown benchmark suite "nope"/,
    );
  });
});
