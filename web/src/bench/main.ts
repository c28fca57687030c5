/** Benchmark page: runs the suites in a worker and shows charts and tables. */
import { SUITES } from "../../../bench/scenarios.js";
import type { BenchReport } from "../../../bench/report.js";
import { byId, downloadText, h } from "../lib/dom.js";
import { initShell, showError, showNotice } from "../lib/shell.js";
import type { BenchMessage, BenchRequest } from "./bench.worker.js";
import { renderCharts } from "./charts.js";
import { renderTables } from "./tables.js";

initShell();

const choices = byId("suite-choices");
const quick = byId("bench-quick", HTMLInputElement);
const runButton = byId("run-bench", HTMLButtonElement);
const cancelButton = byId("cancel-bench", HTMLButtonElement);
const exportButton = byId("export-bench", HTMLButtonElement);
const progressBlock = byId("bench-progress-block");
const progressLabel = byId("bench-progress-label");
const charts = byId("bench-charts");
const tables = byId("bench-tables");

/** Suites ticked by default: the quick, informative ones. */
const DEFAULT_SUITES = new Set(["reference", "baselines"]);

for (const suite of SUITES) {
  const id = `suite-${suite}`;
  choices.append(
    h(
      "label",
      { class: "check", for: id },
      h("input", {
        type: "checkbox",
        id,
        value: suite,
        checked: DEFAULT_SUITES.has(suite),
      }),
      suite,
    ),
  );
}

byId("isolation-note").textContent = crossOriginIsolated
  ? "Cross-origin isolated: timers have full precision."
  : "Not cross-origin isolated: the browser coarsens timers, so short figures are less precise.";

let worker: Worker | undefined;
let report: BenchReport | undefined;

function selectedSuites(): string[] {
  return [
    ...choices.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked"),
  ].map((box) => box.value);
}

function setRunning(running: boolean): void {
  runButton.disabled = running;
  cancelButton.disabled = !running;
  progressBlock.hidden = !running;
}

function run(): void {
  const suites = selectedSuites();
  if (suites.length === 0) {
    showNotice("error", "Choose at least one suite to run.");
    return;
  }
  worker?.terminate();
  worker = new Worker(new URL("./bench.worker.ts", import.meta.url), { type: "module" });
  let measured = 0;
  setRunning(true);
  progressLabel.textContent = "Starting…";

  worker.addEventListener("message", (event: MessageEvent<BenchMessage>) => {
    const message = event.data;
    switch (message.kind) {
      case "progress":
        if (message.event.measurement !== null) measured++;
        progressLabel.textContent = `${message.event.suite}: ${message.event.message} (${measured} measured)`;
        break;
      case "done":
        finish();
        show(message.report);
        break;
      case "failed":
        finish();
        showError("The benchmark failed", message.message);
        break;
      default:
        message satisfies never;
    }
  });
  worker.addEventListener("error", (event) => {
    finish();
    showError("The benchmark worker failed", event.message || "unknown error");
  });
  const request: BenchRequest = {
    suites,
    quick: quick.checked,
    environment: {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated,
    },
  };
  worker.postMessage(request);
}

function finish(): void {
  worker?.terminate();
  worker = undefined;
  setRunning(false);
}

function show(result: BenchReport): void {
  report = result;
  exportButton.disabled = false;
  renderCharts(charts, result.results);
  renderTables(tables, result);
  showNotice("success", `Benchmark finished: ${result.results.length} measurements.`);
}

runButton.addEventListener("click", run);
cancelButton.addEventListener("click", () => {
  finish();
  showNotice("info", "Benchmark cancelled.");
});
exportButton.addEventListener("click", () => {
  if (report !== undefined) {
    downloadText(
      `switchyard-bench-${report.startedAt.replace(/[:.]/g, "-")}.json`,
      `${JSON.stringify(report, null, 2)}\n`,
    );
  }
});
