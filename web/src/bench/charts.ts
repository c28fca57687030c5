/** Bar charts of benchmark results with chart.js (bundled, no network). */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LogarithmicScale,
  Tooltip,
} from "chart.js";
import type { Measurement } from "../../../bench/report.js";
import { h } from "../lib/dom.js";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LogarithmicScale,
  Legend,
  Tooltip,
);

/** Colours by the engine a measurement names, so JS, WASM and baselines read apart. */
const ENGINE_COLORS: [RegExp, string, string][] = [
  [/wasm/i, "#1f5fbf", "WASM matcher"],
  [/json-rules-engine|jre/i, "#c2410c", "json-rules-engine"],
  [/naive/i, "#9a3412", "naive router"],
  [/worker/i, "#7c3aed", "through the worker"],
  [/js/i, "#15803d", "JS matcher"],
];
const OTHER_COLOR = "#64748b";

export function engineOf(name: string): { color: string; label: string } {
  for (const [pattern, color, label] of ENGINE_COLORS) {
    if (pattern.test(name)) return { color, label };
  }
  return { color: OTHER_COLOR, label: "switchyard" };
}

let charts: Chart[] = [];

/** Draws one chart per suite: the median per unit on a log scale. */
export function renderCharts(
  container: HTMLElement,
  results: readonly Measurement[],
): void {
  for (const chart of charts) chart.destroy();
  charts = [];
  const suites = [...new Set(results.map((result) => result.suite))];
  container.replaceChildren();
  for (const suite of suites) {
    const rows = results.filter((result) => result.suite === suite);
    const canvas = h("canvas", {
      role: "img",
      "aria-label": `Median microseconds per unit for the ${suite} suite`,
    });
    container.append(
      h(
        "figure",
        { class: "chart-box" },
        h("div", { class: "chart-canvas" }, canvas),
        h("figcaption", { class: "muted" }, `${suite}: median µs per unit (log scale)`),
      ),
    );
    charts.push(
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: rows.map((row) => row.name),
          datasets: [
            {
              label: "µs per unit",
              data: rows.map((row) => Math.max(row.perUnitUs, 1e-4)),
              backgroundColor: rows.map((row) => engineOf(row.name).color),
            },
          ],
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: false } },
          scales: {
            x: { type: "logarithmic", title: { display: true, text: "µs per unit" } },
            y: { ticks: { autoSkip: false, font: { size: 10 } } },
          },
        },
      }),
    );
  }
}
