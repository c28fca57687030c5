/** Result tables of a benchmark report. */
import type { BenchReport, GoalResult, Measurement } from "../../../bench/report.js";
import { h, replaceChildren } from "../lib/dom.js";
import { engineOf } from "./charts.js";

function num(value: number | null, digits = 3): HTMLTableCellElement {
  return h(
    "td",
    { class: "num" },
    value === null || !Number.isFinite(value) ? "—" : value.toPrecision(digits),
  );
}

/** Picks the badge class and label for a goal's `met` flag, null when not measured. */
function goalBadge(met: boolean | null): { className: string; label: string } {
  if (met === null) return { className: "skip", label: "n/a" };
  if (met) return { className: "pass", label: "yes" };
  return { className: "fail", label: "no" };
}

function measurementTable(suite: string, rows: readonly Measurement[]): HTMLElement {
  return h(
    "table",
    { class: "bench-table", "aria-label": `${suite} results` },
    h("caption", {}, suite),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, "Scenario"),
        h("th", {}, "Engine"),
        h("th", { class: "num" }, "Units"),
        h("th", { class: "num" }, "Cold ms"),
        h("th", { class: "num" }, "Median ms"),
        h("th", { class: "num" }, "p99 ms"),
        h("th", { class: "num" }, "µs/unit"),
        h("th", { class: "num" }, "Samples"),
      ),
    ),
    h(
      "tbody",
      {},
      ...rows.map((row) =>
        h(
          "tr",
          {},
          h("td", {}, h("code", {}, row.name)),
          h("td", {}, engineOf(row.name).label),
          h("td", { class: "num" }, row.units),
          num(row.coldMs),
          num(row.medianMs),
          num(row.p99Ms),
          num(row.perUnitUs),
          h("td", { class: "num" }, `${row.samples}×${row.batch}`),
        ),
      ),
    ),
  );
}

function goalTable(goals: readonly GoalResult[]): HTMLElement {
  return h(
    "table",
    { class: "bench-table", "aria-label": "Goals" },
    h("caption", {}, "Goals"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, "Goal"),
        h("th", {}, "Target"),
        h("th", { class: "num" }, "Measured"),
        h("th", {}, "Met"),
        h("th", {}, "Detail"),
      ),
    ),
    h(
      "tbody",
      {},
      ...goals.map((goal) => {
        const badge = goalBadge(goal.met);
        return h(
          "tr",
          {},
          h("td", {}, goal.description),
          h("td", {}, goal.target),
          h(
            "td",
            { class: "num" },
            goal.measured === null ? "—" : `${goal.measured.toPrecision(3)} ${goal.unit}`,
          ),
          h("td", {}, h("span", { class: `badge ${badge.className}` }, badge.label)),
          h("td", { class: "muted" }, goal.detail),
        );
      }),
    ),
  );
}

export function renderTables(container: HTMLElement, report: BenchReport): void {
  const suites = [...new Set(report.results.map((result) => result.suite))];
  replaceChildren(
    container,
    h(
      "p",
      {},
      `${report.results.length} measurements in ${(report.durationMs / 1000).toFixed(1)} s`,
      report.referenceSumMs === null
        ? ""
        : `; the twelve reference scenarios sum to ${report.referenceSumMs.toPrecision(3)} ms`,
      report.quick ? " (quick run)." : ".",
    ),
    report.goals.length > 0 && goalTable(report.goals),
    ...suites.map((suite) =>
      measurementTable(
        suite,
        report.results.filter((result) => result.suite === suite),
      ),
    ),
    report.memory.length > 0 &&
      h(
        "table",
        { class: "bench-table", "aria-label": "Memory" },
        h("caption", {}, "Memory"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "Run"),
            h("th", { class: "num" }, "Tasks"),
            h("th", { class: "num" }, "Bytes/task"),
            h("th", {}, "Source"),
          ),
        ),
        h(
          "tbody",
          {},
          ...report.memory.map((reading) =>
            h(
              "tr",
              {},
              h("td", {}, reading.name),
              h("td", { class: "num" }, reading.tasks),
              num(reading.bytesPerTask),
              h("td", { class: "muted" }, reading.source),
            ),
          ),
        ),
      ),
    report.notes.length > 0 &&
      h("ul", { class: "muted" }, ...report.notes.map((note) => h("li", {}, note))),
  );
}
