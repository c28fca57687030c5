/**
 * Timing with tinybench: one cold call timed on its own, then warm-up and
 * repeated samples. Calls cheaper than a timer tick run in batches of
 * `batch` calls per sample, and every figure is divided back to one call.
 */
import { Bench } from "tinybench";

/** One measured scenario. Times are milliseconds per call. */
export interface Measurement {
  suite: string;
  name: string;
  /** Work units per call (tasks routed, matches), for the per-unit figure. */
  units: number;
  /** The first call, before any warm-up (includes JIT compilation and caches). */
  coldMs: number;
  medianMs: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
  /** Median absolute deviation of the samples. */
  madMs: number;
  samples: number;
  /** Calls per timed sample. */
  batch: number;
  /** Median microseconds per unit. */
  perUnitUs: number;
  note?: string;
}

export interface MeasureOptions {
  suite: string;
  units?: number;
  quick: boolean;
  /** Fixed calls per sample; by default sized so a sample lasts at least `minSampleMs`. */
  batch?: number;
  /** Minimum number of warm samples (fewer for calls slower than 100 ms). */
  minSamples?: number;
  note?: string;
}

/** Shortest sample that a coarse browser timer (5 µs when isolated) still resolves well. */
const MIN_SAMPLE_MS = 0.5;

type Call = () => unknown;

function now(): number {
  return performance.now();
}

/**
 * Estimates calls per sample from timed calls after the cold one. The first
 * round only warms the JIT, the second is the estimate.
 */
async function chooseBatch(fn: Call, coldMs: number): Promise<number> {
  if (coldMs > MIN_SAMPLE_MS * 4) return 1;
  let perCall = coldMs;
  for (let round = 0; round < 2; round++) {
    let calls = 0;
    const start = now();
    while (now() - start < MIN_SAMPLE_MS * 4 && calls < 100_000) {
      await fn();
      calls += 1;
    }
    perCall = (now() - start) / calls;
  }
  return Math.max(1, Math.ceil(MIN_SAMPLE_MS / Math.max(perCall, 1e-6)));
}

function batched(fn: Call, batch: number, isAsync: boolean): Call {
  if (batch === 1) return fn;
  if (isAsync) {
    return async () => {
      for (let i = 0; i < batch; i++) await fn();
    };
  }
  return () => {
    for (let i = 0; i < batch; i++) fn();
  };
}

/** Measures `fn`: cold call, then tinybench warm-up and samples. */
export async function measure(
  name: string,
  fn: Call,
  options: MeasureOptions,
): Promise<Measurement> {
  const start = now();
  const first = fn();
  const isAsync = first instanceof Promise;
  if (isAsync) await first;
  const coldMs = now() - start;
  const batch = options.batch ?? (await chooseBatch(fn, coldMs));

  const slow = coldMs > 100;
  const slowSamples = options.quick || coldMs > 1000 ? 2 : 4;
  const minSamples = options.minSamples ?? (options.quick ? 10 : 30);
  // A slow function gets no time budget, only the fixed iteration counts.
  let timeMs = 0;
  let warmupMs = 0;
  if (!slow) {
    timeMs = options.quick ? 150 : 600;
    warmupMs = options.quick ? 30 : 150;
  }
  const bench = new Bench({
    name,
    time: timeMs,
    iterations: slow ? slowSamples : minSamples,
    warmupTime: warmupMs,
    warmupIterations: slow ? 1 : 5,
    throws: true,
  });
  bench.add(name, batched(fn, batch, isAsync), { async: isAsync });
  await bench.run();

  const task = bench.tasks[0];
  const result = task?.result;
  if (result === undefined || !("latency" in result)) {
    throw new Error(
      `Benchmark ${name} produced no samples (state ${result?.state ?? "none"})`,
    );
  }
  const latency = result.latency;
  const units = options.units ?? 1;
  const medianMs = latency.p50 / batch;
  const measurement: Measurement = {
    suite: options.suite,
    name,
    units,
    coldMs,
    medianMs,
    p99Ms: latency.p99 / batch,
    minMs: latency.min / batch,
    maxMs: latency.max / batch,
    madMs: latency.mad / batch,
    samples: latency.samplesCount,
    batch,
    perUnitUs: (medianMs * 1000) / units,
  };
  if (options.note !== undefined) measurement.note = options.note;
  return measurement;
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil(p * sorted.length) - 1),
  );
  return sorted[index]!;
}

/**
 * Summarises samples timed by the caller, for scenarios that tinybench
 * cannot repeat in one process state (cold starts). The first sample is
 * reported as the cold one and is also part of the statistics.
 */
export function summarize(
  name: string,
  samples: readonly number[],
  options: { suite: string; units?: number; note?: string },
): Measurement {
  if (samples.length === 0) throw new Error(`No samples for ${name}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const median = percentile(sorted, 0.5);
  const deviations = sorted.map((s) => Math.abs(s - median)).sort((a, b) => a - b);
  const units = options.units ?? 1;
  const measurement: Measurement = {
    suite: options.suite,
    name,
    units,
    coldMs: samples[0]!,
    medianMs: median,
    p99Ms: percentile(sorted, 0.99),
    minMs: sorted[0]!,
    maxMs: sorted[sorted.length - 1]!,
    madMs: percentile(deviations, 0.5),
    samples: samples.length,
    batch: 1,
    perUnitUs: (median * 1000) / units,
  };
  if (options.note !== undefined) measurement.note = options.note;
  return measurement;
}
